package minietcd.integration;

import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import minietcd.kit.mvcc.Event;
import minietcd.kit.mvcc.KvRequest;
import minietcd.kit.mvcc.KvResponse;
import minietcd.kit.mvcc.Leases;
import minietcd.kit.watch.WatchRequest;
import minietcd.kit.watch.WatchSink;
import minietcd.kit.watch.Watchable;

/**
 * A watchable store that counts the watchers alive in the store beneath it: made by {@link #watch},
 * gone by {@link #cancel} or by a canceled message the store sent (a compacted start). So a test sees
 * whether the gateway let go of a stream's watchers. Everything else passes through. Like the store,
 * used under the gateway's store lock; {@link #live()} may be read from any thread.
 */
final class LiveWatchers implements Watchable {
    private final Watchable store;
    /** One stable wrapper per gateway sink, so the store sees the same sink each time (it keys streams by identity). */
    private final Map<WatchSink, WatchSink> wrappers = new IdentityHashMap<>();
    private final Set<String> live = new HashSet<>();
    private volatile int count;

    LiveWatchers(Watchable store) {
        this.store = store;
    }

    /** How many watchers the store holds now. */
    int live() {
        return count;
    }

    private WatchSink wrapped(WatchSink sink) {
        return wrappers.computeIfAbsent(sink, s -> m -> {
            // counted before its created message is offered: once offered, a writer thread may put it on the wire at once
            boolean born = m.created() && !m.canceled();
            if (born) born(s, m.watchId());
            boolean taken = s.offer(m);
            if (born && !taken) gone(s, m.watchId());
            if (taken && m.canceled()) gone(s, m.watchId());
            return taken;
        });
    }

    private String key(WatchSink sink, long id) {
        return System.identityHashCode(sink) + "/" + id;
    }

    private void born(WatchSink sink, long id) {
        live.add(key(sink, id));
        count = live.size();
        synchronized (this) {
            notifyAll();
        }
    }

    /** Waits, at most {@code millis}, until the store holds at least {@code n} watchers; returns whether it does. */
    synchronized boolean awaitLive(int n, long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000;
        while (count < n) {
            long left = (end - System.nanoTime()) / 1_000_000;
            if (left <= 0) return false;
            wait(left);
        }
        return true;
    }

    private void gone(WatchSink sink, long id) {
        live.remove(key(sink, id));
        count = live.size();
    }

    @Override
    public long watch(WatchRequest request, WatchSink sink) {
        return store.watch(request, wrapped(sink));
    }

    @Override
    public boolean cancel(WatchSink sink, long watchId) {
        boolean had = store.cancel(wrapped(sink), watchId);
        gone(sink, watchId);
        return had;
    }

    @Override public void requestProgress(WatchSink sink) { store.requestProgress(wrapped(sink)); }
    @Override public void tick() { store.tick(); }
    @Override public long currentRevision() { return store.currentRevision(); }
    @Override public long compactRevision() { return store.compactRevision(); }
    @Override public KvResponse.Range range(KvRequest.Range r) { return store.range(r); }
    @Override public KvResponse.Put put(KvRequest.Put r) { return store.put(r); }
    @Override public KvResponse.DeleteRange deleteRange(KvRequest.DeleteRange r) { return store.deleteRange(r); }
    @Override public KvResponse.Txn txn(KvRequest.Txn t) { return store.txn(t); }
    @Override public List<Event> changesAt(long revision) { return store.changesAt(revision); }
    @Override public long compact(long revision) { return store.compact(revision); }
    @Override public Leases leases() { return store.leases(); }
    @Override public void close() { store.close(); }
}
