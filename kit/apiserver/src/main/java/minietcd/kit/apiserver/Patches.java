package minietcd.kit.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import minietcd.kit.controlplane.ObjectJson;
import minietcd.kit.controlplane.StatusException;

/**
 * The three patch formats a Kubernetes client sends with PATCH, by content type: a JSON merge patch
 * (RFC 7386), a JSON patch (RFC 6902), and the strategic merge patch that {@code kubectl apply}
 * sends, which is a merge patch whose lists of objects with a merge key (containers by name, ...)
 * are merged element by element, with the {@code $patch} and {@code $setElementOrder} directives.
 */
final class Patches {
    static final String MERGE = "application/merge-patch+json", JSON = "application/json-patch+json", STRATEGIC = "application/strategic-merge-patch+json";

    /** The key each list of objects merges by in a strategic merge patch, by the list's field name. */
    private static final Map<String, String> MERGE_KEYS = Map.of("containers", "name", "initContainers", "name", "volumes", "name", "env", "name",
            "volumeMounts", "mountPath", "ports", "containerPort", "conditions", "type", "addresses", "type", "ownerReferences", "uid");

    private Patches() {}

    /**
     * The object with the patch applied (a new tree; {@code target} is left alone).
     *
     * @throws StatusException 415 for a content type that is not a patch this server takes, 422 for a patch that cannot apply
     */
    static ObjectNode apply(String contentType, ObjectNode target, JsonNode patch) {
        String type = contentType == null ? "" : contentType.split(";")[0].strip();
        JsonNode out = switch (type) {
            case MERGE -> merge(target.deepCopy(), patch, false, "");
            case STRATEGIC -> merge(target.deepCopy(), patch, true, "");
            case JSON -> jsonPatch(target.deepCopy(), patch);
            default -> throw new StatusException(415, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted media types include: "
                    + JSON + ", " + MERGE + ", " + STRATEGIC, null, null);
        };
        if (!(out instanceof ObjectNode o)) throw new StatusException(422, "Invalid", "the patch made the object something other than an object", null, null);
        return o;
    }

    private static JsonNode merge(JsonNode target, JsonNode patch, boolean strategic, String field) {
        if (!(patch instanceof ObjectNode p)) return patch.deepCopy();
        if (strategic && "replace".equals(p.path("$patch").asText())) {
            ObjectNode copy = p.deepCopy();
            copy.remove("$patch");
            return copy;
        }
        ObjectNode t = target instanceof ObjectNode o ? o : ObjectJson.MAPPER.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            JsonNode v = e.getValue();
            if (strategic && (k.startsWith("$setElementOrder/") || k.equals("$retainKeys") || k.equals("$patch"))) continue;
            if (strategic && k.startsWith("$deleteFromPrimitiveList/")) {
                String list = k.substring("$deleteFromPrimitiveList/".length());
                if (t.get(list) instanceof ArrayNode a && v instanceof ArrayNode del) {
                    for (int i = a.size() - 1; i >= 0; i--) for (JsonNode d : del) if (a.get(i).equals(d)) { a.remove(i); break; }
                }
                continue;
            }
            if (v.isNull()) t.remove(k);
            else if (strategic && v instanceof ArrayNode list && MERGE_KEYS.containsKey(k) && t.get(k) instanceof ArrayNode current) t.set(k, mergeList(current, list, MERGE_KEYS.get(k)));
            else if (strategic && v instanceof ArrayNode list && MERGE_KEYS.containsKey(k)) t.set(k, mergeList(ObjectJson.MAPPER.createArrayNode(), list, MERGE_KEYS.get(k)));
            else t.set(k, merge(t.get(k), v, strategic, k));
        }
        return t;
    }

    /** Merges a list of objects element by element on {@code key}; {@code $patch: delete} removes one. */
    private static ArrayNode mergeList(ArrayNode current, ArrayNode patch, String key) {
        ArrayNode out = current.deepCopy();
        for (JsonNode p : patch) {
            if (!(p instanceof ObjectNode po) || !po.has(key)) {
                out.add(p.deepCopy());
                continue;
            }
            int at = -1;
            for (int i = 0; i < out.size(); i++) if (out.get(i).path(key).equals(po.get(key))) at = i;
            if ("delete".equals(po.path("$patch").asText())) {
                if (at >= 0) out.remove(at);
            } else if (at >= 0) {
                out.set(at, merge(out.get(at), po, true, ""));
            } else {
                out.add(merge(ObjectJson.MAPPER.createObjectNode(), po, true, ""));
            }
        }
        return out;
    }

    private static JsonNode jsonPatch(JsonNode doc, JsonNode patch) {
        if (!(patch instanceof ArrayNode ops)) throw invalid("a JSON patch is an array of operations");
        JsonNode d = doc;
        for (JsonNode op : ops) {
            String kind = op.path("op").asText(), path = op.path("path").asText(null);
            if (path == null) throw invalid("an operation without a path: " + op);
            switch (kind) {
                case "add" -> d = add(d, path, value(op));
                case "remove" -> d = remove(d, path);
                case "replace" -> d = add(remove(d, path), path, value(op));
                case "move" -> {
                    JsonNode v = at(d, op.path("from").asText()).deepCopy();
                    d = add(remove(d, op.path("from").asText()), path, v);
                }
                case "copy" -> d = add(d, path, at(d, op.path("from").asText()).deepCopy());
                case "test" -> {
                    if (!at(d, path).equals(value(op))) throw invalid("test failed at " + path);
                }
                default -> throw invalid("unknown operation " + kind);
            }
        }
        return d;
    }

    private static JsonNode value(JsonNode op) {
        if (!op.has("value")) throw invalid("an operation without a value: " + op);
        return op.get("value").deepCopy();
    }

    private static List<String> tokens(String path) {
        if (path.isEmpty()) return List.of();
        if (!path.startsWith("/")) throw invalid("a path must start with /: " + path);
        List<String> t = new ArrayList<>();
        for (String s : path.substring(1).split("/", -1)) t.add(s.replace("~1", "/").replace("~0", "~"));
        return t;
    }

    private static JsonNode at(JsonNode doc, String path) {
        JsonNode n = doc;
        for (String t : tokens(path)) {
            n = n.isArray() ? n.path(index(t, n.size() - 1)) : n.path(t);
            if (n.isMissingNode()) throw invalid("no value at " + path);
        }
        return n;
    }

    private static JsonNode add(JsonNode doc, String path, JsonNode value) {
        List<String> t = tokens(path);
        if (t.isEmpty()) return value;
        JsonNode parent = parent(doc, t);
        String last = t.get(t.size() - 1);
        if (parent instanceof ObjectNode o) o.set(last, value);
        else if (parent instanceof ArrayNode a) {
            if (last.equals("-")) a.add(value);
            else a.insert(index(last, a.size()), value);
        } else throw invalid("cannot add under a value at " + path);
        return doc;
    }

    private static JsonNode remove(JsonNode doc, String path) {
        List<String> t = tokens(path);
        if (t.isEmpty()) throw invalid("cannot remove the whole object");
        at(doc, path);
        JsonNode parent = parent(doc, t);
        String last = t.get(t.size() - 1);
        if (parent instanceof ObjectNode o) o.remove(last);
        else if (parent instanceof ArrayNode a) a.remove(index(last, a.size() - 1));
        return doc;
    }

    /** The value holding the last token's place. */
    private static JsonNode parent(JsonNode doc, List<String> tokens) {
        JsonNode n = doc;
        for (String t : tokens.subList(0, tokens.size() - 1)) {
            n = n.isArray() ? n.path(index(t, n.size() - 1)) : n.path(t);
            if (n.isMissingNode()) throw invalid("no value at /" + String.join("/", tokens));
        }
        return n;
    }

    private static int index(String token, int max) {
        try {
            int i = Integer.parseInt(token);
            if (i >= 0 && i <= max) return i;
        } catch (NumberFormatException e) {
            // below
        }
        throw invalid("no index " + token);
    }

    private static StatusException invalid(String why) {
        return new StatusException(422, "Invalid", "the patch cannot be applied: " + why, null, null);
    }
}
