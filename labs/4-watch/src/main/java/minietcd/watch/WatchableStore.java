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

    public WatchableStore(KV store) {
        this.store = store;
        // TODO(lab 4 part A): remember the revision the store is at: later revisions are what watchers need
        throw new UnsupportedOperationException("TODO(lab 4 part A): remember the revision the store is at: later revisions are what watchers need");
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
        throw new UnsupportedOperationException("TODO(lab 4 part A): choose the id, send created, and register the watcher as synced from the next revision (part B: a past start catches up first)");
    }

    @Override
    public boolean cancel(WatchSink sink, long watchId) {
        // TODO(lab 4 part A): forget the watcher and send canceled
        throw new UnsupportedOperationException("TODO(lab 4 part A): forget the watcher and send canceled");
    }

    /** Sends every revision written since the last publish to the synced watchers, one message per revision and watcher. */
    private void publish() {
        // TODO(lab 4 part A): for each new revision, send its matching events to each synced watcher (part C: a full sink makes the watcher fall behind)
        throw new UnsupportedOperationException("TODO(lab 4 part A): for each new revision, send its matching events to each synced watcher (part C: a full sink makes the watcher fall behind)");
    }


    // ---- part B: catching up from history ------------------------------------------------------

    /**
     * Brings an unsynced watcher up to date if its sink takes it: a start below the compaction
     * point cancels it with the compaction revision; otherwise every matching event from its next
     * revision to now goes in one message (whole revisions), and it is synced again.
     */
    private void catchUp(Watcher w) {
        // TODO(lab 4 part B): send created if still pending; cancel with compact_revision if history is gone; else send the missed events in one message and mark it synced
        throw new UnsupportedOperationException("TODO(lab 4 part B): send created if still pending; cancel with compact_revision if history is gone; else send the missed events in one message and mark it synced");
    }

    @Override
    public void tick() {
        // TODO(lab 4 part B): offer refused canceled messages again; catch up every unsynced watcher (part C: every PROGRESS_TICKS ticks, notify synced watchers that asked for progress)
        throw new UnsupportedOperationException("TODO(lab 4 part B): offer refused canceled messages again; catch up every unsynced watcher (part C: every PROGRESS_TICKS ticks, notify synced watchers that asked for progress)");
    }

    // ---- part C: progress -----------------------------------------------------------------------

    @Override
    public void requestProgress(WatchSink sink) {
        // TODO(lab 4 part C): only when every watcher of this stream is synced, send a progress message with watch id -1
        throw new UnsupportedOperationException("TODO(lab 4 part C): only when every watcher of this stream is synced, send a progress message with watch id -1");
    }
}
