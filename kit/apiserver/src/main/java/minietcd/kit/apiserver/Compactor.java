package minietcd.kit.apiserver;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import minietcd.kit.client.EtcdClient;
import minietcd.kit.controlplane.Timers;
import minietcd.kit.mvcc.Bytes;
import minietcd.kit.mvcc.Compare;
import minietcd.kit.mvcc.KvRequest;
import minietcd.kit.mvcc.KvResponse;

/**
 * The API server's compaction loop, as Kubernetes runs it: every interval one txn on the key
 * {@value #KEY}. If the key's version is still the one this API server saw last, the txn puts the
 * store's revision noted at the previous round, and the store is compacted at that revision; if
 * another API server got there first, this one takes the key's new version and compacts nothing.
 * So however many API servers run, the store is compacted about once an interval and keeps at least
 * an interval of history: a watcher or informer further behind than that gets 410 Gone and relists.
 *
 * <p>Everything runs through its {@link Timers} (the simulation's in the simulator).
 */
public final class Compactor {
    /** The key the API servers agree through. */
    public static final String KEY = "compact_rev_key";
    /** Kubernetes' default interval ({@code --etcd-compaction-interval}). */
    public static final long DEFAULT_INTERVAL_MS = 5 * 60_000;

    private final EtcdClient etcd;
    private final Timers timers;
    private final long intervalMillis;
    private final Consumer<String> log;
    private long version;
    private long revision;
    private boolean stopped;
    private Timers.Cancel next;

    public Compactor(EtcdClient etcd, Timers timers, long intervalMillis, Consumer<String> log) {
        if (intervalMillis <= 0) throw new IllegalArgumentException("a compaction interval must be positive: " + intervalMillis);
        this.etcd = etcd;
        this.timers = timers;
        this.intervalMillis = intervalMillis;
        this.log = log;
    }

    public void start() {
        next = timers.after(intervalMillis, this::round);
    }

    public void stop() {
        stopped = true;
        if (next != null) next.cancel();
    }

    private void round() {
        if (stopped) return;
        Bytes key = Bytes.of(KEY);
        long seen = version, compactTo = revision;
        KvRequest.Txn txn = new KvRequest.Txn(List.of(Compare.version(key, Compare.Result.EQUAL, seen)),
                List.of(KvRequest.Put.of(key, Bytes.of(Long.toString(compactTo)))), List.of(KvRequest.Range.of(key)));
        etcd.txn(txn).thenCompose(r -> {
            revision = r.revision();
            if (!r.succeeded()) {
                KvResponse.Range now = (KvResponse.Range) r.responses().get(0);
                version = now.kvs().isEmpty() ? 0 : now.kvs().get(0).version();
                return CompletableFuture.completedFuture(null);
            }
            version = seen + 1;
            if (compactTo == 0) return CompletableFuture.completedFuture(null);
            return etcd.compact(compactTo).thenAccept(done -> log.accept("compacted the store at revision " + compactTo));
        }).whenComplete((ok, e) -> {
            if (e != null) log.accept("compaction round failed, trying again in " + intervalMillis / 1000 + " s: " + e);
            if (!stopped) next = timers.after(intervalMillis, this::round);
        });
    }
}
