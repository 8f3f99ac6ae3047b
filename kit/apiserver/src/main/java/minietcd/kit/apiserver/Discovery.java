package minietcd.kit.apiserver;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import minietcd.kit.controlplane.ObjectJson;
import minietcd.kit.controlplane.Resource;

/**
 * What a client learns about the server before it asks for objects, in the shapes of Kubernetes'
 * legacy discovery: {@code /version}, {@code /api}, {@code /apis}, and each group version's
 * resources with their verbs, short names and subresources.
 */
final class Discovery {
    /** The Kubernetes version this server speaks (kubectl warns past one minor version of skew). */
    static final String MAJOR = "1", MINOR = "32";

    private static final List<String> VERBS = List.of("create", "delete", "get", "list", "patch", "update", "watch");
    private static final Map<String, String> SINGULAR = Map.of("pods", "pod", "nodes", "node", "namespaces", "namespace", "events", "event",
            "replicasets", "replicaset", "leases", "lease");

    private Discovery() {}

    static ObjectNode version() {
        return ObjectJson.MAPPER.createObjectNode().put("major", MAJOR).put("minor", MINOR).put("gitVersion", "v" + MAJOR + "." + MINOR + ".0-minietcd")
                .put("gitCommit", "").put("gitTreeState", "clean").put("buildDate", "2026-01-01T00:00:00Z").put("goVersion", "java")
                .put("compiler", "javac").put("platform", "linux/amd64");
    }

    static ObjectNode coreVersions(String serverAddress) {
        ObjectNode o = ObjectJson.MAPPER.createObjectNode().put("kind", "APIVersions");
        o.putArray("versions").add("v1");
        o.putArray("serverAddressByClientCIDRs").addObject().put("clientCIDR", "0.0.0.0/0").put("serverAddress", serverAddress);
        return o;
    }

    static ObjectNode groups() {
        ObjectNode o = ObjectJson.MAPPER.createObjectNode().put("kind", "APIGroupList").put("apiVersion", "v1");
        ArrayNode groups = o.putArray("groups");
        Set<String> seen = new LinkedHashSet<>();
        for (Resource r : Resource.ALL) {
            if (r.group().isEmpty() || !seen.add(r.apiVersion())) continue;
            ObjectNode g = groups.addObject().put("name", r.group());
            g.putArray("versions").addObject().put("groupVersion", r.apiVersion()).put("version", r.version());
            g.putObject("preferredVersion").put("groupVersion", r.apiVersion()).put("version", r.version());
        }
        return o;
    }

    /** The resources of one group version ({@code v1}, {@code apps/v1}, ...), or empty if it has none. */
    static Optional<ObjectNode> resources(String groupVersion) {
        List<Resource> rs = Resource.ALL.stream().filter(r -> r.apiVersion().equals(groupVersion)).toList();
        if (rs.isEmpty()) return Optional.empty();
        ObjectNode o = ObjectJson.MAPPER.createObjectNode().put("kind", "APIResourceList").put("apiVersion", "v1").put("groupVersion", groupVersion);
        ArrayNode list = o.putArray("resources");
        for (Resource r : rs) {
            ObjectNode e = list.addObject().put("name", r.plural()).put("singularName", SINGULAR.getOrDefault(r.plural(), r.plural()))
                    .put("namespaced", r.namespaced()).put("kind", r.kind());
            VERBS.forEach(e.putArray("verbs")::add);
            if (!r.shortNames().isEmpty()) r.shortNames().forEach(e.putArray("shortNames")::add);
            if (r.equals(Resource.PODS) || r.equals(Resource.REPLICASETS)) e.putArray("categories").add("all");
            for (String sub : subresources(r)) {
                ObjectNode s = list.addObject().put("name", r.plural() + "/" + sub).put("singularName", "").put("namespaced", r.namespaced());
                switch (sub) {
                    case "binding" -> {
                        s.put("kind", "Binding");
                        s.putArray("verbs").add("create");
                    }
                    case "scale" -> {
                        s.put("group", "autoscaling").put("version", "v1").put("kind", "Scale");
                        List.of("get", "patch", "update").forEach(s.putArray("verbs")::add);
                    }
                    default -> {
                        s.put("kind", r.kind());
                        List.of("get", "patch", "update").forEach(s.putArray("verbs")::add);
                    }
                }
            }
        }
        return Optional.of(o);
    }

    static List<String> subresources(Resource r) {
        if (r.equals(Resource.PODS)) return List.of("binding", "status");
        if (r.equals(Resource.REPLICASETS)) return List.of("scale", "status");
        if (r.equals(Resource.NODES) || r.equals(Resource.NAMESPACES)) return List.of("status");
        return List.of();
    }
}
