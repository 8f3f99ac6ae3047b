package minietcd.controlplane;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import minietcd.kit.controlplane.Informer;
import minietcd.kit.controlplane.ListOptions;
import minietcd.kit.controlplane.ListerWatcher;
import minietcd.kit.controlplane.ObjectJson;
import minietcd.kit.controlplane.ObjectStore;
import minietcd.kit.controlplane.ResourceEventHandler;
import minietcd.kit.controlplane.Resource;
import minietcd.kit.controlplane.Selection;
import minietcd.kit.controlplane.Timers;
import minietcd.kit.controlplane.WatchEvent;
import minietcd.kit.controlplane.WatchOptions;

/**
 * Lab 5 part B: client-go's shared informer (see {@link Informer} for the contract): a reflector that
 * lists, then watches from where it left off, an indexed cache, and handlers that hear of a change
 * once the cache has it. Every callback of a list or watch should know whether it still counts: the
 * reference keeps a counter (an epoch) that a stop or a relist moves on, and each callback compares
 * the epoch it began in with the current one, so answers to an older one are ignored.
 */
public final class SharedInformer implements Informer {
    /** The first wait before a list or watch is tried again, doubled on each failure up to the most. */
    static final long MIN_BACKOFF_MS = 100, MAX_BACKOFF_MS = 10_000;

    private final ListerWatcher source;
    private final Resource resource;
    private final Timers timers;
    private final long resyncMillis;
    private final List<ResourceEventHandler> handlers = new ArrayList<>();
    private final Map<String, Function<ObjectNode, List<String>>> indexers = new LinkedHashMap<>();
    /** The cache, by key ({@link Informer#keyOf}), in key order. */
    private final Map<String, ObjectNode> cache = new TreeMap<>();

    public SharedInformer(ListerWatcher source, Resource resource, Timers timers, long resyncMillis) {
        this.source = source;
        this.resource = resource;
        this.timers = timers;
        this.resyncMillis = resyncMillis;
    }

    @Override
    public void addEventHandler(ResourceEventHandler handler) {
        handlers.add(handler);
        // TODO(lab 5 part B): a handler added after the first list hears of every cached object as an add
        throw new UnsupportedOperationException("TODO(lab 5 part B): a handler added after the first list hears of every cached object as an add");
    }

    @Override
    public void addIndexer(String name, Function<ObjectNode, List<String>> values) {
        indexers.put(name, values);
        // TODO(lab 5 part B): index the objects already in the cache too (an index may be added after the first list)
        throw new UnsupportedOperationException("TODO(lab 5 part B): index the objects already in the cache too (an index may be added after the first list)");
    }

    @Override
    public void start() {
        // TODO(lab 5 part B): list, then watch; with a resync period, resync every period
        throw new UnsupportedOperationException("TODO(lab 5 part B): list, then watch; with a resync period, resync every period");
    }

    @Override
    public void stop() {
        // TODO(lab 5 part B): stop the watch and every timer; answers still on their way change nothing
        throw new UnsupportedOperationException("TODO(lab 5 part B): stop the watch and every timer; answers still on their way change nothing");
    }

    @Override
    public boolean hasSynced() {
        // TODO(lab 5 part B): whether the first list has reached the cache and the handlers
        throw new UnsupportedOperationException("TODO(lab 5 part B): whether the first list has reached the cache and the handlers");
    }

    @Override
    public Optional<ObjectNode> get(String key) {
        return Optional.ofNullable(cache.get(key));
    }

    @Override
    public List<ObjectNode> list() {
        return List.copyOf(cache.values());
    }

    @Override
    public List<ObjectNode> byIndex(String name, String value) {
        // TODO(lab 5 part B): the cached objects whose values under the index include value, in key order
        throw new UnsupportedOperationException("TODO(lab 5 part B): the cached objects whose values under the index include value, in key order");
    }

    @Override
    public String lastSyncResourceVersion() {
        // TODO(lab 5 part B): the resourceVersion of the last list, event or bookmark taken in
        throw new UnsupportedOperationException("TODO(lab 5 part B): the resourceVersion of the last list, event or bookmark taken in");
    }

    /** Lists everything, then tells the handlers how the cache changed and watches from the list's resourceVersion. */
    void relist() {
        // TODO(lab 5 part B): list at "" (a new epoch: whatever the old watch still says is ignored); replace the cache with the list, then watch from its resourceVersion; on a failure try again after the backoff
        throw new UnsupportedOperationException("TODO(lab 5 part B): list at \"\" (a new epoch: whatever the old watch still says is ignored); replace the cache with the list, then watch from its resourceVersion; on a failure try again after the backoff");
    }

}
