package minietcd.kit.controlplane;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * Lab 5 part A: the Kubernetes API server's storage layer for one resource, over etcd (Kubernetes'
 * {@code storage.Interface}). The API server keeps nothing itself: every object lives in etcd under
 * {@code /registry/<prefix>/<namespace>/<name>} (cluster-scoped: {@code /registry/<prefix>/<name>}),
 * its value the object's JSON without its resourceVersion ({@link ObjectJson#forStorage}), and an
 * object's resourceVersion is its key's mod_revision ({@link ObjectJson#fromStorage}).
 *
 * <p>The contract, for every method:
 * <ul>
 *   <li>Returns at once; the future completes with the result, or exceptionally with a
 *       {@link StatusException} (etcd's failures turned into Kubernetes' by
 *       {@link StatusException#fromStore}). Every object handed out carries its resourceVersion.</li>
 *   <li>Each write is one etcd txn whose compare makes it safe against every other writer: nothing is
 *       ever written over a version the writer did not see.</li>
 *   <li>Must not block: in the simulator it runs on the simulation's thread, inside the client
 *       node's events, so it chains futures ({@code thenCompose}), never waits on them.</li>
 * </ul>
 * For cluster-scoped resources, {@code namespace} is "" (and ignored).
 */
public interface ObjectStore {
    /** The resource this store keeps. */
    Resource resource();

    /**
     * Creates the object named by its metadata: one txn that puts it only if its key's mod_revision
     * is 0. 409 AlreadyExists if the name is taken; 400 if the object carries a resourceVersion.
     * Completes with the object as stored, its resourceVersion the put's revision.
     */
    CompletableFuture<ObjectNode> create(ObjectNode object);

    /**
     * Reads one object. {@code resourceVersion}: "" a linearizable read, "0" a serializable one,
     * N a linearizable read that must have reached revision N (504 if it has not). 404 if absent.
     */
    CompletableFuture<ObjectNode> get(String namespace, String name, String resourceVersion);

    /**
     * Kubernetes' GuaranteedUpdate: reads the object (404 if absent), checks {@code preconditions}
     * on it, hands a copy to {@code tryUpdate} (which may throw a {@link StatusException} to give up),
     * and writes its result only if the key's mod_revision is still what was read. If the txn fails
     * because someone else wrote first, it goes round again from the value that failed txn returned
     * (its else branch reads the key), without another read. If the result's stored bytes equal the
     * current ones, nothing is written and the current object is the result.
     */
    CompletableFuture<ObjectNode> update(String namespace, String name, Preconditions preconditions, UnaryOperator<ObjectNode> tryUpdate);

    /**
     * Deletes the object if {@code preconditions} hold on it as it is when deleted: one txn that
     * deletes only if the key's mod_revision is what was checked, going round again on a race as
     * {@link #update} does. Completes with the object as it was, its resourceVersion the delete's
     * revision. 404 if absent.
     */
    CompletableFuture<ObjectNode> delete(String namespace, String name, Preconditions preconditions);

    /**
     * Lists the objects of one namespace, or of all when {@code namespace} is "" (and always for a
     * cluster-scoped resource), as {@link ListOptions} says. With a limit, each page holds up to
     * {@code limit} objects that match the selection (reading on while a page is short and the
     * store has more), all pages at the revision of the first; a continue token whose revision was
     * compacted away is 410 Expired.
     */
    CompletableFuture<ObjectList> list(String namespace, ListOptions options);

    /**
     * Watches the objects of one namespace, or of all when {@code namespace} is "", as
     * {@link WatchOptions} says, delivering events to {@code listener} in revision order, each
     * once. A stream ends with {@link Listener#ended}, after an ERROR event or when the store's
     * watch breaks; a client then watches again from the last resourceVersion it saw.
     */
    Watch watch(String namespace, WatchOptions options, Listener listener);

    /** Hears one watch. */
    interface Listener {
        void onEvent(WatchEvent event);

        /** The watch is over (an ERROR event came first, or the stream broke); nothing more comes. */
        void ended(String why);
    }

    /** An open watch. */
    interface Watch {
        /** Stops the watch: nothing more reaches its listener, not even {@link Listener#ended}. */
        void stop();
    }
}
