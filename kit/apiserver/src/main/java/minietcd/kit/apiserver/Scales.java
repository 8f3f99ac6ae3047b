package minietcd.kit.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import minietcd.kit.controlplane.ObjectJson;
import minietcd.kit.controlplane.Resource;
import minietcd.kit.controlplane.StatusException;

/** A ReplicaSet's {@code scale} subresource: an {@code autoscaling/v1} {@code Scale} made from it, and written back to its spec.replicas. */
final class Scales {
    private Scales() {}

    static ObjectNode of(ObjectNode rs) {
        ObjectNode s = ObjectJson.MAPPER.createObjectNode().put("kind", "Scale").put("apiVersion", "autoscaling/v1");
        ObjectNode meta = s.putObject("metadata");
        for (String f : List.of("name", "namespace", "uid", "resourceVersion", "creationTimestamp"))
            if (rs.path("metadata").has(f)) meta.set(f, rs.path("metadata").get(f).deepCopy());
        s.putObject("spec").put("replicas", rs.path("spec").path("replicas").asInt(1));
        List<String> selector = new ArrayList<>();
        for (var it = rs.path("spec").path("selector").path("matchLabels").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            selector.add(e.getKey() + "=" + e.getValue().asText());
        }
        s.putObject("status").put("replicas", rs.path("status").path("replicas").asInt(0)).put("selector", String.join(",", selector));
        return s;
    }

    /** The ReplicaSet with the scale's replicas; a scale carrying another resourceVersion is a 409. */
    static ObjectNode apply(ObjectNode rs, ObjectNode scale) {
        String rv = ObjectJson.resourceVersion(scale);
        if (!rv.isEmpty() && !rv.equals(ObjectJson.resourceVersion(rs))) throw StatusException.staleUpdate(Resource.REPLICASETS, ObjectJson.name(rs));
        JsonNode replicas = scale.path("spec").path("replicas");
        if (!replicas.canConvertToInt() || replicas.asInt() < 0)
            throw StatusException.invalid(Resource.REPLICASETS, ObjectJson.name(rs), "spec.replicas: Invalid value: " + replicas + ": must be greater than or equal to 0");
        ObjectNode next = rs.deepCopy();
        ObjectNode spec = next.get("spec") instanceof ObjectNode o ? o : next.putObject("spec");
        if (spec.path("replicas").asInt(1) != replicas.asInt()) {
            spec.put("replicas", replicas.asInt());
            ObjectJson.metadata(next).put("generation", rs.path("metadata").path("generation").asLong(1) + 1);
        }
        return next;
    }
}
