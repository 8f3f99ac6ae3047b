package minietcd.kit.controlplane;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Lab 5 part B: a shared informer (client-go's Reflector, indexed cache and handler dispatch) over a
 * {@link ListerWatcher}. It lists, then watches from the list's resourceVersion with bookmarks; keeps
 * the last resourceVersion it saw (events and bookmarks alike); when a watch ends it watches again
 * from there, without listing; on 410 Expired it lists again and tells its handlers the difference
 * (adds, updates, and deletes it missed as tombstones); every resync period it hands each cached
 * object to {@code onUpdate(o, o)}. Its cache is updated before its handlers hear of a change. A
 * list or watch that fails is tried again after a backoff: 100 ms, doubled after each further
 * failure, at most 10 s, and back to 100 ms once events come again.
 *
 * <p>Must not block: it runs on its component's thread (the simulation's in the simulator), chains
 * futures, and waits only through its {@link Timers}.
 */
public interface Informer {
    /** Handlers added before {@link #start} hear of every object from the first list on. */
    void addEventHandler(ResourceEventHandler handler);

    /** An index: each object's values under {@code name} (a pod's node name, say); {@link #byIndex} looks them up. */
    void addIndexer(String name, Function<ObjectNode, List<String>> values);

    /** Starts listing and watching; returns at once. */
    void start();

    /** Stops watching and retrying; the cache stays as it is. */
    void stop();

    /** Whether the first list has reached the cache and the handlers. */
    boolean hasSynced();

    /** The cached object with this key ({@link #keyOf}). */
    Optional<ObjectNode> get(String key);

    /** Every cached object. */
    List<ObjectNode> list();

    /** The cached objects whose values under the index {@code name} include {@code value}. */
    List<ObjectNode> byIndex(String name, String value);

    /** The resourceVersion of the last list, event or bookmark this informer took in ("" before the first list). */
    String lastSyncResourceVersion();

    /** client-go's MetaNamespaceKeyFunc: {@code namespace/name}, or {@code name} for a cluster-scoped object. */
    static String keyOf(ObjectNode object) {
        String ns = ObjectJson.namespace(object);
        return ns.isEmpty() ? ObjectJson.name(object) : ns + "/" + ObjectJson.name(object);
    }
}
