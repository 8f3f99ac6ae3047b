package minietcd.kit.controlplane;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What an informer tells its handlers, after its cache has the change (client-go's
 * ResourceEventHandler). Handlers run on the component's thread and must not block.
 */
public interface ResourceEventHandler {
    /** An object the cache did not have. */
    void onAdd(ObjectNode object);

    /** A change to a cached object; also {@code (o, o)} for each cached object at every resync. */
    void onUpdate(ObjectNode before, ObjectNode after);

    /**
     * An object gone from the cache. {@code finalStateUnknown}: the informer learnt of the delete
     * from a relist, not from a DELETED event, so {@code lastKnown} is the last state it had seen
     * (client-go's {@code DeletedFinalStateUnknown} tombstone).
     */
    void onDelete(ObjectNode lastKnown, boolean finalStateUnknown);
}
