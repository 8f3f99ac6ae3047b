package minietcd.kit.controlplane;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One event of a Kubernetes watch: {@code ADDED}, {@code MODIFIED} and {@code DELETED} carry the
 * object (a deleted one as it was, its resourceVersion the delete's revision); {@code BOOKMARK}
 * carries an object of the kind with only {@code metadata.resourceVersion} (everything up to it
 * was sent); {@code ERROR} carries a {@code Status} and is the stream's last event.
 */
public record WatchEvent(Type type, ObjectNode object) {
    public enum Type { ADDED, MODIFIED, DELETED, BOOKMARK, ERROR }

    /** The event as a watch stream sends it: {@code {"type":"ADDED","object":{...}}}. */
    public ObjectNode json() {
        ObjectNode o = ObjectJson.MAPPER.createObjectNode().put("type", type.name());
        o.set("object", object);
        return o;
    }

    public static WatchEvent bookmark(Resource r, long revision) {
        ObjectNode o = ObjectJson.MAPPER.createObjectNode().put("kind", r.kind()).put("apiVersion", r.apiVersion());
        ObjectJson.withResourceVersion(o, revision);
        return new WatchEvent(Type.BOOKMARK, o);
    }

    public static WatchEvent error(StatusException e) {
        return new WatchEvent(Type.ERROR, e.status());
    }
}
