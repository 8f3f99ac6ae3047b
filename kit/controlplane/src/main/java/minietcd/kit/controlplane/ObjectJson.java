package minietcd.kit.controlplane;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import minietcd.kit.mvcc.Bytes;
import minietcd.kit.mvcc.KeyValue;

/**
 * Kubernetes objects as JSON trees (Jackson's {@link ObjectNode}), as the API server holds them: the
 * metadata every object has, and the two conversions of the storage layer. An object is stored in
 * etcd as its JSON without {@code metadata.resourceVersion}; read back, its resourceVersion is the
 * key's mod_revision, written as a decimal string.
 */
public final class ObjectJson {
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private ObjectJson() {}

    /** The object's JSON as it is stored in etcd: the same object without its resourceVersion. */
    public static Bytes forStorage(ObjectNode object) {
        ObjectNode copy = object.deepCopy();
        if (copy.get("metadata") instanceof ObjectNode meta) meta.remove("resourceVersion");
        try {
            return Bytes.of(MAPPER.writeValueAsBytes(copy));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + object, e);
        }
    }

    /**
     * The object a stored key-value holds, its resourceVersion set to {@code resourceVersion} (the
     * kv's mod_revision, or for a deleted object the delete's revision).
     *
     * @throws StatusException 500 if the value is not a JSON object
     */
    public static ObjectNode fromStorage(KeyValue kv, long resourceVersion) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(kv.value().toByteArray());
        } catch (IOException e) {
            throw StatusException.internal("the value of " + kv.key().utf8() + " is not JSON: " + e.getMessage());
        }
        if (!(tree instanceof ObjectNode o)) throw StatusException.internal("the value of " + kv.key().utf8() + " is not a JSON object");
        return withResourceVersion(o, resourceVersion);
    }

    /** The object with {@code metadata.resourceVersion} set (in place), returned for chaining. */
    public static ObjectNode withResourceVersion(ObjectNode object, long resourceVersion) {
        metadata(object).put("resourceVersion", Long.toString(resourceVersion));
        return object;
    }

    /** The object's metadata, created empty if it has none. */
    public static ObjectNode metadata(ObjectNode object) {
        return object.get("metadata") instanceof ObjectNode m ? m : object.putObject("metadata");
    }

    public static String name(ObjectNode object) { return text(object, "metadata", "name"); }
    public static String namespace(ObjectNode object) { return text(object, "metadata", "namespace"); }
    public static String uid(ObjectNode object) { return text(object, "metadata", "uid"); }
    /** The resourceVersion, "" when unset. */
    public static String resourceVersion(ObjectNode object) { return text(object, "metadata", "resourceVersion"); }

    /** The labels, in their order; empty when there are none. */
    public static Map<String, String> labels(ObjectNode object) {
        Map<String, String> labels = new LinkedHashMap<>();
        JsonNode l = object.path("metadata").path("labels");
        l.fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return labels;
    }

    /** The text at a path of field names, "" when absent or null. */
    public static String text(JsonNode object, String... path) {
        JsonNode n = object;
        for (String p : path) n = n.path(p);
        return n.isMissingNode() || n.isNull() ? "" : n.asText();
    }

    /** Parses an object from JSON text; a 400 Status if it is not a JSON object. */
    public static ObjectNode parse(String json) {
        try {
            if (MAPPER.readTree(json) instanceof ObjectNode o) return o;
        } catch (JsonProcessingException e) {
            throw StatusException.badRequest("the body is not JSON: " + e.getOriginalMessage());
        }
        throw StatusException.badRequest("the body is not a JSON object");
    }
}
