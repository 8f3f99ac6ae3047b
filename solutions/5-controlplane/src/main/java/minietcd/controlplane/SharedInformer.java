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
    // BEGIN SOLUTION
    /** Each index: value to the keys of the cached objects that have it. */
    private final Map<String, Map<String, TreeSet<String>>> indices = new HashMap<>();
    private String lastSyncResourceVersion = "";
    private boolean running, synced;
    private long epoch, backoff = MIN_BACKOFF_MS;
    private ObjectStore.Watch watch;
    // END SOLUTION

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
        // BEGIN SOLUTION
        if (synced) for (ObjectNode o : List.copyOf(cache.values())) handler.onAdd(o);
        // END SOLUTION
    }

    @Override
    public void addIndexer(String name, Function<ObjectNode, List<String>> values) {
        indexers.put(name, values);
        // TODO(lab 5 part B): index the objects already in the cache too (an index may be added after the first list)
        // BEGIN SOLUTION
        Map<String, TreeSet<String>> index = indices.computeIfAbsent(name, n -> new HashMap<>());
        for (Map.Entry<String, ObjectNode> e : cache.entrySet())
            for (String v : values.apply(e.getValue())) index.computeIfAbsent(v, x -> new TreeSet<>()).add(e.getKey());
        // END SOLUTION
    }

    @Override
    public void start() {
        // TODO(lab 5 part B): list, then watch; with a resync period, resync every period
        // BEGIN SOLUTION
        if (running) return;
        running = true;
        relist();
        if (resyncMillis > 0) timers.after(resyncMillis, this::resync);
        // END SOLUTION
    }

    @Override
    public void stop() {
        // TODO(lab 5 part B): stop the watch and every timer; answers still on their way change nothing
        // BEGIN SOLUTION
        running = false;
        epoch++;
        if (watch != null) watch.stop();
        watch = null; // the timers set still fire, and find the informer stopped
        // END SOLUTION
    }

    @Override
    public boolean hasSynced() {
        // TODO(lab 5 part B): whether the first list has reached the cache and the handlers
        // BEGIN SOLUTION
        return synced;
        // END SOLUTION
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
        // BEGIN SOLUTION
        Map<String, TreeSet<String>> index = indices.get(name);
        if (index == null) throw new IllegalArgumentException("no index " + name + " on the informer of " + resource.plural());
        List<ObjectNode> out = new ArrayList<>();
        for (String key : index.getOrDefault(value, new TreeSet<>())) out.add(cache.get(key));
        return out;
        // END SOLUTION
    }

    @Override
    public String lastSyncResourceVersion() {
        // TODO(lab 5 part B): the resourceVersion of the last list, event or bookmark taken in
        // BEGIN SOLUTION
        return lastSyncResourceVersion;
        // END SOLUTION
    }

    /** Lists everything, then tells the handlers how the cache changed and watches from the list's resourceVersion. */
    void relist() {
        // TODO(lab 5 part B): list at "" (a new epoch: whatever the old watch still says is ignored); replace the cache with the list, then watch from its resourceVersion; on a failure try again after the backoff
        // BEGIN SOLUTION
        long mine = ++epoch; // a 410 ended the old watch already: an ERROR is a stream's last event
        watch = null;
        source.list(ListOptions.LATEST).whenComplete((page, failure) -> {
            if (!running || mine != epoch) return;
            if (failure != null) {
                later(this::relist);
                return;
            }
            replace(page.items());
            lastSyncResourceVersion = Long.toString(page.resourceVersion());
            synced = true;
            watchFrom(lastSyncResourceVersion);
        });
        // END SOLUTION
    }

    // BEGIN SOLUTION
    /** The cache becomes the list: new objects are adds, the others updates, and those gone deletes with their state unknown. */
    private void replace(List<ObjectNode> items) {
        Map<String, ObjectNode> fresh = new TreeMap<>();
        for (ObjectNode o : items) fresh.put(Informer.keyOf(o), o);
        for (Map.Entry<String, ObjectNode> e : fresh.entrySet()) {
            ObjectNode before = put(e.getKey(), e.getValue());
            for (ResourceEventHandler h : handlers) {
                if (before == null) h.onAdd(e.getValue());
                else h.onUpdate(before, e.getValue());
            }
        }
        for (String key : new ArrayList<>(cache.keySet())) {
            if (fresh.containsKey(key)) continue;
            ObjectNode gone = remove(key);
            for (ResourceEventHandler h : handlers) h.onDelete(gone, true);
        }
    }

    private void watchFrom(String resourceVersion) {
        long mine = epoch;
        watch = source.watch(new WatchOptions(resourceVersion, Selection.EVERYTHING, true), new ObjectStore.Listener() {
            @Override
            public void onEvent(WatchEvent e) {
                if (running && mine == epoch) take(e);
            }

            @Override
            public void ended(String why) {
                if (!running || mine != epoch) return;
                watch = null;
                later(() -> watchFrom(lastSyncResourceVersion));
            }
        });
    }

    /** One watch event: the cache first, then the handlers. */
    private void take(WatchEvent e) {
        ObjectNode o = e.object();
        switch (e.type()) {
            case ADDED, MODIFIED -> {
                String key = Informer.keyOf(o);
                lastSyncResourceVersion = ObjectJson.resourceVersion(o);
                backoff = MIN_BACKOFF_MS;
                ObjectNode before = put(key, o);
                for (ResourceEventHandler h : handlers) {
                    if (before == null) h.onAdd(o);
                    else h.onUpdate(before, o);
                }
            }
            case DELETED -> {
                lastSyncResourceVersion = ObjectJson.resourceVersion(o);
                backoff = MIN_BACKOFF_MS;
                ObjectNode before = remove(Informer.keyOf(o));
                if (before != null) for (ResourceEventHandler h : handlers) h.onDelete(o, false);
            }
            case BOOKMARK -> lastSyncResourceVersion = ObjectJson.resourceVersion(o);
            case ERROR -> {
                if (o.path("code").asInt() == 410) relist(); // the stream ends next; the new epoch ignores it
            }
        }
    }

    private ObjectNode put(String key, ObjectNode o) {
        ObjectNode before = cache.put(key, o);
        if (before != null) unindex(key, before);
        for (Map.Entry<String, Function<ObjectNode, List<String>>> ix : indexers.entrySet())
            for (String v : ix.getValue().apply(o)) indices.get(ix.getKey()).computeIfAbsent(v, x -> new TreeSet<>()).add(key);
        return before;
    }

    private ObjectNode remove(String key) {
        ObjectNode before = cache.remove(key);
        if (before != null) unindex(key, before);
        return before;
    }

    private void unindex(String key, ObjectNode o) {
        for (Map.Entry<String, Function<ObjectNode, List<String>>> ix : indexers.entrySet()) {
            Map<String, TreeSet<String>> index = indices.get(ix.getKey());
            for (String v : ix.getValue().apply(o)) {
                TreeSet<String> keys = index.get(v);
                if (keys == null) continue;
                keys.remove(key);
                if (keys.isEmpty()) index.remove(v);
            }
        }
    }

    /** Runs {@code action} after the backoff, and doubles the backoff for next time. */
    private void later(Runnable action) {
        long mine = epoch;
        timers.after(backoff, () -> {
            if (running && mine == epoch) action.run();
        });
        backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
    }

    private void resync() {
        if (!running) return;
        if (synced) for (ObjectNode o : List.copyOf(cache.values())) for (ResourceEventHandler h : handlers) h.onUpdate(o, o);
        timers.after(resyncMillis, this::resync);
    }
    // END SOLUTION
}
