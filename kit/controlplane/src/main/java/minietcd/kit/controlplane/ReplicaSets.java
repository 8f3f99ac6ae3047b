package minietcd.kit.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the ReplicaSet controller reads and makes: a ReplicaSet's selector and replicas, a pod's
 * controller reference, and a new pod from the template.
 */
public final class ReplicaSets {
    private ReplicaSets() {}

    /** {@code spec.replicas}, 1 when unset. */
    public static int replicas(ObjectNode rs) {
        return rs.path("spec").path("replicas").asInt(1);
    }

    /** The ReplicaSet's {@code spec.selector} (matchLabels and matchExpressions) as a label selector; a selector that selects nothing when it is empty. */
    public static LabelSelector selector(ObjectNode rs) {
        JsonNode sel = rs.path("spec").path("selector");
        List<LabelSelector.Requirement> rs2 = new ArrayList<>();
        sel.path("matchLabels").fields().forEachRemaining(e -> rs2.add(new LabelSelector.Requirement(e.getKey(), LabelSelector.Op.EQUALS, Set.of(e.getValue().asText()))));
        for (JsonNode x : sel.path("matchExpressions")) {
            List<String> values = new ArrayList<>();
            x.path("values").forEach(v -> values.add(v.asText()));
            LabelSelector.Op op = switch (x.path("operator").asText()) {
                case "In" -> LabelSelector.Op.IN;
                case "NotIn" -> LabelSelector.Op.NOT_IN;
                case "Exists" -> LabelSelector.Op.EXISTS;
                case "DoesNotExist" -> LabelSelector.Op.DOES_NOT_EXIST;
                default -> throw StatusException.invalid(Resource.REPLICASETS, ObjectJson.name(rs), "spec.selector: unknown operator " + x.path("operator").asText());
            };
            rs2.add(new LabelSelector.Requirement(x.path("key").asText(), op, Set.copyOf(values)));
        }
        if (rs2.isEmpty()) return new LabelSelector(List.of(new LabelSelector.Requirement("", LabelSelector.Op.IN, Set.of()))); // selects nothing
        return new LabelSelector(rs2);
    }

    /** The pod's controller: the owner reference with {@code controller: true}, if any. */
    public static Optional<ObjectNode> controllerOf(ObjectNode pod) {
        for (JsonNode ref : pod.path("metadata").path("ownerReferences"))
            if (ref.path("controller").asBoolean() && ref instanceof ObjectNode o) return Optional.of(o);
        return Optional.empty();
    }

    /** Whether the pod's controller is this ReplicaSet (by uid). */
    public static boolean ownedBy(ObjectNode pod, ObjectNode rs) {
        return controllerOf(pod).map(ref -> ref.path("uid").asText().equals(ObjectJson.uid(rs))).orElse(false);
    }

    /** The controller reference a pod of this ReplicaSet carries. */
    public static ObjectNode ownerReference(ObjectNode rs) {
        return ObjectJson.MAPPER.createObjectNode().put("apiVersion", "apps/v1").put("kind", "ReplicaSet").put("name", ObjectJson.name(rs))
                .put("uid", ObjectJson.uid(rs)).put("controller", true).put("blockOwnerDeletion", true);
    }

    /** The pod with its owner references set to this ReplicaSet's alone (adoption) or to none (release), in place. */
    public static ObjectNode setController(ObjectNode pod, ObjectNode rsOrNull) {
        ArrayNode refs = ObjectJson.metadata(pod).putArray("ownerReferences");
        if (rsOrNull != null) refs.add(ownerReference(rsOrNull));
        else ObjectJson.metadata(pod).remove("ownerReferences");
        return pod;
    }

    /** A new pod from the ReplicaSet's template: its labels and spec, {@code generateName} "NAME-", its controller reference, no status. */
    public static ObjectNode newPod(ObjectNode rs) {
        ObjectNode pod = ObjectJson.MAPPER.createObjectNode().put("apiVersion", "v1").put("kind", "Pod");
        ObjectNode meta = pod.putObject("metadata").put("generateName", ObjectJson.name(rs) + "-").put("namespace", ObjectJson.namespace(rs));
        JsonNode labels = rs.path("spec").path("template").path("metadata").path("labels");
        if (labels instanceof ObjectNode l) meta.set("labels", l.deepCopy());
        meta.putArray("ownerReferences").add(ownerReference(rs));
        JsonNode spec = rs.path("spec").path("template").path("spec");
        pod.set("spec", spec instanceof ObjectNode s ? s.deepCopy() : ObjectJson.MAPPER.createObjectNode());
        return pod;
    }
}
