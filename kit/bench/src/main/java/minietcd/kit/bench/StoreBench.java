package minietcd.kit.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import minietcd.kit.backend.H2Backend;
import minietcd.kit.backend.MemoryBackend;
import minietcd.kit.mvcc.Backend;
import minietcd.kit.mvcc.Bytes;
import minietcd.kit.mvcc.KV;
import minietcd.kit.mvcc.KvRequest;
import minietcd.kit.mvcc.Stores;

/**
 * Measures lab 3's store with the classes on the classpath (run by {@code ./jbang bench}): put and
 * range throughput with the in-memory and the H2 backend (8-byte keys, 256-byte values, one backend
 * commit per write as the store does it), and heap per key and per revision before and after compaction.
 */
public final class StoreBench {
    private StoreBench() {}

    public static void main(String[] args) throws Exception {
        memory(); // first, on a clean heap
        System.out.printf("%n%-52s %12s %12s%n", "store (one thread)", "puts / s", "ranges / s");
        throughput("in-memory backend, 200,000 puts", new MemoryBackend(), 200_000);
        Path dir = Files.createTempDirectory("bench-h2-");
        throughput("H2 file backend (fsync per commit), 5,000 puts", H2Backend.open(dir), 5_000);
        fanOut();
    }

    /** Events delivered per second when every put goes to 1, 100 or 1,000 watchers of its key range. */
    private static void fanOut() {
        System.out.printf("%n%-52s %12s %16s%n", "watch fan-out (one thread)", "puts / s", "events / s");
        for (int watchers : new int[] {1, 100, 1_000}) {
            minietcd.kit.watch.Watchable w = minietcd.kit.watch.Watchers.open(Stores.open(new MemoryBackend(), () -> 0));
            long[] delivered = {0};
            for (int i = 0; i < watchers; i++)
                w.watch(minietcd.kit.watch.WatchRequest.prefix(Bytes.of("k")), r -> { delivered[0] += r.events().size(); return true; });
            Bytes value = Bytes.of(new byte[256]);
            int puts = Math.max(2_000, 2_000_000 / watchers);
            for (int i = 0; i < 1_000; i++) w.put(KvRequest.Put.of(key(i), value)); // warm-up
            delivered[0] = 0;
            long t0 = System.nanoTime();
            for (int i = 0; i < puts; i++) w.put(KvRequest.Put.of(key(i % 10_000), value));
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf("%-52s %12.0f %16.0f%n", watchers + " watcher" + (watchers == 1 ? "" : "s") + " of every put", puts / secs, delivered[0] / secs);
        }
    }

    private static Bytes key(int i) {
        return Bytes.of(String.format("k%07d", i));
    }

    private static void throughput(String name, Backend backend, int puts) {
        KV kv = Stores.open(backend, () -> 0);
        Bytes value = Bytes.of(new byte[256]);
        int keys = Math.min(puts, 10_000);
        for (int i = 0; i < Math.min(puts, 2_000); i++) kv.put(KvRequest.Put.of(key(i % keys), value)); // warm-up
        long t0 = System.nanoTime();
        for (int i = 0; i < puts; i++) kv.put(KvRequest.Put.of(key(i % keys), value));
        double putRate = puts / ((System.nanoTime() - t0) / 1e9);
        SplittableRandom r = new SplittableRandom(1);
        int ranges = 200_000;
        t0 = System.nanoTime();
        for (int i = 0; i < ranges; i++) kv.range(KvRequest.Range.of(key(r.nextInt(keys))));
        double rangeRate = ranges / ((System.nanoTime() - t0) / 1e9);
        System.out.printf("%-52s %12.0f %12.0f%n", name, putRate, rangeRate);
        kv.close();
    }

    private static void memory() {
        long base = heap();
        KV kv = Stores.open(new MemoryBackend(), () -> 0);
        int keys = 10_000, revisionsPerKey = 10;
        for (int round = 0; round < revisionsPerKey; round++)
            for (int i = 0; i < keys; i++) kv.put(KvRequest.Put.of(key(i), Bytes.of(new byte[256]))); // each put its own bytes, as from a client
        long full = heap() - base;
        kv.compact(kv.currentRevision());
        long compacted = heap() - base;
        System.out.printf("heap, 10,000 keys x 10 revisions, 256-byte values (store and in-memory backend together):%n");
        System.out.printf("  before compaction: %,d bytes = %,d per revision%n", full, full / (keys * (long) revisionsPerKey));
        System.out.printf("  after compacting at the current revision: %,d bytes = %,d per key%n", compacted, compacted / keys);
        if (kv.currentRevision() < 0) System.out.println(); // keeps kv reachable until here
    }

    private static long heap() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) System.gc();
        return rt.totalMemory() - rt.freeMemory();
    }
}
