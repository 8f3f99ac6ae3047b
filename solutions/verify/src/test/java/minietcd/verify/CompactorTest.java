package minietcd.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.TreeMap;
import minietcd.kit.apiserver.Compactor;
import minietcd.kit.client.EtcdClient;
import minietcd.kit.harness.ApiStorage;
import minietcd.kit.harness.ProcessTimers;
import minietcd.kit.mvcc.Bytes;
import minietcd.kit.mvcc.KvRequest;
import minietcd.kit.sim.Faults;
import minietcd.kit.sim.Trace;
import org.junit.jupiter.api.Test;

/** The API server's compaction loop, over the reference store in the simulator: two API servers compact as one, and keep an interval of history. */
class CompactorTest {
    private static final long INTERVAL_MS = 10_000;

    @Test
    void twoApiServersCompactOnceAnIntervalAndKeepAnIntervalOfHistory() {
        for (long seed = 1; seed <= 20; seed++) {
            ApiStorage storage = new ApiStorage(seed, Faults.RELIABLE, Trace.off());
            EtcdClient writer = storage.client().etcd();
            TreeMap<Long, Long> revisionAt = new TreeMap<>(); // simulated time -> the store's revision after a write then
            Runnable[] write = new Runnable[1];
            write[0] = () -> writer.put("/registry/pods/default/p", "v" + storage.sim().now())
                    .whenComplete((r, e) -> {
                        if (r != null) revisionAt.put(storage.sim().now(), r.revision());
                        storage.sim().schedule(500, "write", write[0]);
                    });
            write[0].run();
            List<Compactor> compactors = List.of(storage.client(), storage.client()).stream()
                    .map(c -> new Compactor(c.etcd(), new ProcessTimers(storage.sim(), "compactor", 1.0, 0), INTERVAL_MS, why -> { })).toList();
            compactors.forEach(Compactor::start);
            storage.sim().runFor(10 * INTERVAL_MS + INTERVAL_MS / 2);

            long version = storage.await(writer.get(Compactor.KEY)).kvs().get(0).version();
            assertThat(version).as("seed %d: rounds that won the key's compare-and-swap in 10 intervals, with two API servers", seed).isBetween(9L, 11L);
            long oldest = oldestReadable(storage, writer, revisionAt.lastEntry().getValue());
            long intervalAgo = revisionAt.floorEntry(storage.sim().now() - INTERVAL_MS).getValue();
            long twoIntervalsAgo = revisionAt.floorEntry(storage.sim().now() - 2 * INTERVAL_MS - 1_000).getValue();
            assertThat(oldest).as("seed %d: the oldest revision still readable is at most an interval old", seed).isLessThanOrEqualTo(intervalAgo);
            assertThat(oldest).as("seed %d: and history more than two intervals old is compacted", seed).isGreaterThan(twoIntervalsAgo);
        }
    }

    /** The lowest revision a read can still be served at. */
    private static long oldestReadable(ApiStorage storage, EtcdClient client, long latest) {
        long low = 1, high = latest;
        while (low < high) {
            long mid = (low + high) / 2;
            boolean readable;
            try {
                storage.await(client.range(KvRequest.Range.of(Bytes.of("/registry/pods/default/p")).atRevision(mid)));
                readable = true;
            } catch (RuntimeException compacted) {
                readable = false;
            }
            if (readable) high = mid;
            else low = mid + 1;
        }
        return low;
    }
}
