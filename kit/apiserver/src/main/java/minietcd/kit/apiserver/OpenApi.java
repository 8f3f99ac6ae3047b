package minietcd.kit.apiserver;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import minietcd.kit.controlplane.ObjectJson;
import minietcd.kit.controlplane.Resource;

/**
 * A minimal OpenAPI v3 description, enough for kubectl to learn that each resource's PATCH takes the
 * {@code fieldValidation} parameter, so that it leaves validation to the server instead of
 * downloading the full schemas (which this server does not have). The root lists each group
 * version's document; a document names, for each resource, its object path's PATCH operation with
 * the resource's group, version and kind.
 */
final class OpenApi {
    private OpenApi() {}

    /** {@code /openapi/v3}: where each group version's document is. */
    static ObjectNode root() {
        ObjectNode o = ObjectJson.MAPPER.createObjectNode();
        ObjectNode paths = o.putObject("paths");
        Set<String> seen = new LinkedHashSet<>();
        for (Resource r : Resource.ALL) {
            String key = key(r);
            if (seen.add(key)) paths.putObject(key).put("serverRelativeURL", "/openapi/v3/" + key);
        }
        return o;
    }

    /** {@code /openapi/v3/api/v1}, {@code /openapi/v3/apis/apps/v1}, ...: empty if no resource is there. */
    static Optional<ObjectNode> document(String key) {
        ObjectNode o = ObjectJson.MAPPER.createObjectNode().put("openapi", "3.0.0");
        o.putObject("info").put("title", "Kubernetes").put("version", "v" + Discovery.MAJOR + "." + Discovery.MINOR + ".0");
        ObjectNode paths = o.putObject("paths");
        boolean any = false;
        for (Resource r : Resource.ALL) {
            if (!key(r).equals(key)) continue;
            any = true;
            String base = (r.group().isEmpty() ? "/api/" : "/apis/" + r.group() + "/") + r.version() + (r.namespaced() ? "/namespaces/{namespace}/" : "/") + r.plural() + "/{name}";
            ObjectNode patch = paths.putObject(base).putObject("patch");
            patch.putObject("x-kubernetes-group-version-kind").put("group", r.group()).put("version", r.version()).put("kind", r.kind());
            patch.put("x-kubernetes-action", "patch");
            patch.putArray("parameters").addObject().put("name", "fieldValidation").put("in", "query").putObject("schema").put("type", "string");
            patch.putObject("responses").putObject("200").put("description", "OK");
        }
        return any ? Optional.of(o) : Optional.empty();
    }

    private static String key(Resource r) {
        return r.group().isEmpty() ? "api/" + r.version() : "apis/" + r.group() + "/" + r.version();
    }
}
