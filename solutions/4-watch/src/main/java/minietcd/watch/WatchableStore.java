package minietcd.watch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import minietcd.kit.mvcc.Bytes;
import minietcd.kit.mvcc.Event;
import minietcd.kit.mvcc.KV;
import minietcd.kit.mvcc.KvRequest;
import minietcd.kit.mvcc.KvResponse;
import minietcd.kit.mvcc.Leases;
import minietcd.kit.watch.WatchRequest;
import minietcd.kit.watch.WatchResponse;
import minietcd.kit.watch.WatchSink;
import minietcd.kit.watch.Watchable;

/**
 * Lab 4: etcd's watchable store over a {@link KV}. A watcher is synced while it has been sent
 * everything up to the store's revision: it then gets each new revision's events as the write
 * happens (part A). A watcher that starts in the past, or whose sink was full, is unsynced: it
 * catches up from the store's history when time passes, or is canceled if that history was
 * compacted (part B). Progress notifications and slow sinks are part C. The contract is in
 * {@link Watchable}.
 */
public final class WatchableStore implements Watchable {
    private final KV store;

    /** One watcher. Invariant: every matching event below {@code next} has been sent, and none at or above it. */
    private static final class Watcher {
        final long id;
        final WatchSink sink;
        final WatchRequest request;
        /** The next revision this watcher needs. */
        long next;
        /** Whether it gets live events (else it catches up in tick). */
        boolean synced;
        /** Its created message has not been taken yet. */
        boolean createdPending = true;
        // BEGIN SOLUTION
        /** Its place in creation order. */
        long seq;
        // END SOLUTION

        Watcher(long id, WatchSink sink, WatchRequest request, long next) {
            this.id = id;
            this.sink = sink;
            this.request = request;
            this.next = next;
        }
    }

    /** One stream's watchers by id, and the id the next watcher gets unless it asks for one (ids are never reused). */
    private static final class Stream {
        final TreeMap<Long, Watcher> watchers = new TreeMap<>();
        long nextId;
    }

    /** The streams, by sink (identity: a sink is a connection). */
    private final Map<WatchSink, Stream> streams = new IdentityHashMap<>();
    /** Every watcher in creation order, for a fair catch-up. */
    private final List<Watcher> all = new ArrayList<>();
    /** The last revision whose events went to the synced watchers. */
    private long published;
    private long ticks;
    /** Canceled messages a full sink refused: offered again, in order, at the next ticks. */
    private final List<Map.Entry<WatchSink, WatchResponse>> undelivered = new ArrayList<>();
    // BEGIN SOLUTION
    /**
     * The watchers again, found by key as etcd's watcher group finds them, so that a write costs
     * what its own watchers cost and not what every watcher costs: a single-key watcher under its
     * key, a range or prefix watcher in {@link #ranges}. Invariant: a watcher is in {@link #all} if
     * and only if it is here.
     */
    private final Map<Bytes, List<Watcher>> byKey = new HashMap<>();
    private final List<Watcher> ranges = new ArrayList<>();
    /** How many watchers were ever created: a watcher's place in {@link #all}'s order. */
    private long created;
    // END SOLUTION

    public WatchableStore(KV store) {
        this.store = store;
        // TODO(lab 4 part A): remember the revision the store is at: later revisions are what watchers need
        // BEGIN SOLUTION
        this.published = store.currentRevision();
        // END SOLUTION
    }

    // ---- the store: reads as they are, writes followed by publishing their revision ------------

    @Override public long currentRevision() { return store.currentRevision(); }
    @Override public long compactRevision() { return store.compactRevision(); }
    @Override public KvResponse.Range range(KvRequest.Range r) { return store.range(r); }
    @Override public List<Event> changesAt(long revision) { return store.changesAt(revision); }
    @Override public void close() { store.close(); }

    @Override public KvResponse.Put put(KvRequest.Put r) { KvResponse.Put out = store.put(r); publish(); return out; }
    @Override public KvResponse.DeleteRange deleteRange(KvRequest.DeleteRange r) { KvResponse.DeleteRange out = store.deleteRange(r); publish(); return out; }
    @Override public KvResponse.Txn txn(KvRequest.Txn t) { KvResponse.Txn out = store.txn(t); publish(); return out; }
    @Override public long compact(long revision) { return store.compact(revision); }

    @Override
    public Leases leases() {
        Leases inner = store.leases();
        return new Leases() { // revokes and expiries delete keys: publish what they wrote
            @Override public Granted grant(long id, long ttl) { return inner.grant(id, ttl); }
            @Override public long revoke(long id) { long rev = inner.revoke(id); publish(); return rev; }
            @Override public long keepAlive(long id) { return inner.keepAlive(id); }
            @Override public TimeToLive timeToLive(long id, boolean keys) { return inner.timeToLive(id, keys); }
            @Override public List<Long> leases() { return inner.leases(); }
            @Override public int expire() { int n = inner.expire(); publish(); return n; }
        };
    }

    // ---- part A: live watchers ----------------------------------------------------------------

    @Override
    public long watch(WatchRequest request, WatchSink sink) {
        // TODO(lab 4 part A): choose the id, send created, and register the watcher as synced from the next revision (part B: a past start catches up first)
        // BEGIN SOLUTION
        Stream stream = streams.computeIfAbsent(sink, s -> new Stream());
        long id = request.watchId();
        if (id < 0) {
            while (stream.watchers.containsKey(stream.nextId)) stream.nextId++;
            id = stream.nextId++;
        } else if (stream.watchers.containsKey(id)) {
            throw new IllegalArgumentException("watch id " + id + " is already in use on this stream");
        }
        long current = store.currentRevision();
        long start = request.startRevision() <= 0 ? current + 1 : request.startRevision();
        Watcher w = new Watcher(id, sink, request, start);
        stream.watchers.put(id, w);
        add(w);
        w.createdPending = !sink.offer(WatchResponse.created(id, current));
        w.synced = !w.createdPending && start > current;
        if (!w.synced) catchUp(w);
        return id;
        // END SOLUTION
    }

    @Override
    public boolean cancel(WatchSink sink, long watchId) {
        // TODO(lab 4 part A): forget the watcher and send canceled
        // BEGIN SOLUTION
        Stream stream = streams.get(sink);
        Watcher w = stream == null ? null : stream.watchers.remove(watchId);
        if (w == null) return false;
        remove(w);
        WatchResponse canceled = WatchResponse.canceled(watchId, store.currentRevision());
        if (!sink.offer(canceled)) undelivered.add(Map.entry(sink, canceled));
        return true;
        // END SOLUTION
    }

    /** Sends every revision written since the last publish to the synced watchers, one message per revision and watcher. */
    private void publish() {
        // TODO(lab 4 part A): for each new revision, send its matching events to each synced watcher (part C: a full sink makes the watcher fall behind)
        // BEGIN SOLUTION
        long current = store.currentRevision();
        for (long rev = published + 1; rev <= current; rev++) {
            List<Event> events = store.changesAt(rev);
            for (Watcher w : interestedIn(events)) {
                if (!w.synced || rev < w.next) continue;
                List<Event> mine = matching(w, events);
                if (mine.isEmpty() || w.sink.offer(WatchResponse.events(w.id, rev, mine))) w.next = rev + 1;
                else w.synced = false; // its sink is full: it catches up from history later
            }
        }
        published = current;
        // END SOLUTION
    }

    // BEGIN SOLUTION
    private void add(Watcher w) {
        w.seq = created++;
        all.add(w);
        if (w.request.rangeEnd().isEmpty()) byKey.computeIfAbsent(w.request.key(), k -> new ArrayList<>()).add(w);
        else ranges.add(w);
    }

    private void remove(Watcher w) {
        all.remove(w);
        if (!w.request.rangeEnd().isEmpty()) {
            ranges.remove(w);
            return;
        }
        List<Watcher> same = byKey.get(w.request.key());
        same.remove(w);
        if (same.isEmpty()) byKey.remove(w.request.key());
    }

    /** The watchers whose key or range holds a key of {@code events}, each once, in creation order. */
    private List<Watcher> interestedIn(List<Event> events) {
        List<Watcher> found = new ArrayList<>(ranges);
        if (!byKey.isEmpty()) for (Event e : events) found.addAll(byKey.getOrDefault(e.kv().key(), List.of()));
        if (events.size() > 1 || !ranges.isEmpty()) {
            found.sort(Comparator.comparingLong(w -> w.seq));
            for (int i = found.size() - 1; i > 0; i--) if (found.get(i) == found.get(i - 1)) found.remove(i);
        }
        return found;
    }

    /** The events a watcher wants: in its range, not filtered out, with prev_kv only if asked for. */
    private static List<Event> matching(Watcher w, List<Event> events) {
        List<Event> out = new ArrayList<>();
        WatchRequest r = w.request;
        for (Event e : events) {
            if (!KvRequest.inRange(e.kv().key(), r.key(), r.rangeEnd())) continue;
            if (e.type() == Event.Type.PUT ? r.noPut() : r.noDelete()) continue;
            out.add(r.prevKv() ? e : new Event(e.type(), e.kv(), null));
        }
        return out;
    }
    // END SOLUTION

    // ---- part B: catching up from history ------------------------------------------------------

    /**
     * Brings an unsynced watcher up to date if its sink takes it: a start below the compaction
     * point cancels it with the compaction revision; otherwise every matching event from its next
     * revision to now goes in one message (whole revisions), and it is synced again.
     */
    private void catchUp(Watcher w) {
        // TODO(lab 4 part B): send created if still pending; cancel with compact_revision if history is gone; else send the missed events in one message and mark it synced
        // BEGIN SOLUTION
        if (w.createdPending) {
            if (!w.sink.offer(WatchResponse.created(w.id, store.currentRevision()))) return;
            w.createdPending = false;
        }
        long current = store.currentRevision();
        if (w.next < store.compactRevision()) {
            if (w.sink.offer(WatchResponse.compacted(w.id, store.compactRevision()))) {
                streams.get(w.sink).watchers.remove(w.id);
                remove(w);
            }
            return;
        }
        List<Event> missed = new ArrayList<>();
        for (long rev = w.next; rev <= current; rev++) missed.addAll(matching(w, store.changesAt(rev)));
        if (missed.isEmpty() || w.sink.offer(WatchResponse.events(w.id, current, missed))) {
            w.next = Math.max(w.next, current + 1);
            w.synced = true;
        }
        // END SOLUTION
    }

    @Override
    public void tick() {
        // TODO(lab 4 part B): offer refused canceled messages again; catch up every unsynced watcher (part C: every PROGRESS_TICKS ticks, notify synced watchers that asked for progress)
        // BEGIN SOLUTION
        undelivered.removeIf(e -> e.getKey().offer(e.getValue()));
        for (Watcher w : new ArrayList<>(all)) if (!w.synced) catchUp(w);
        if (++ticks % PROGRESS_TICKS != 0) return;
        long current = store.currentRevision();
        for (Watcher w : all) if (w.synced && w.request.progressNotify()) w.sink.offer(WatchResponse.progress(w.id, current));
        // END SOLUTION
    }

    // ---- part C: progress -----------------------------------------------------------------------

    @Override
    public void requestProgress(WatchSink sink) {
        // TODO(lab 4 part C): only when every watcher of this stream is synced, send a progress message with watch id -1
        // BEGIN SOLUTION
        Stream stream = streams.get(sink);
        if (stream != null) for (Watcher w : stream.watchers.values()) if (!w.synced) return;
        sink.offer(WatchResponse.progress(-1, store.currentRevision()));
        // END SOLUTION
    }
}
