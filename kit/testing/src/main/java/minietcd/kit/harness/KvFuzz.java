package minietcd.kit.harness;

import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import minietcd.kit.check.KvModel;
import minietcd.kit.mvcc.Bytes;
import minietcd.kit.mvcc.EtcdException;
import minietcd.kit.mvcc.KV;
import minietcd.kit.mvcc.KvRequest;
import minietcd.kit.sim.Trace;

/**
 * Model-based testing of a store: random requests, good and bad, run on the store and on
 * {@link KvModel}, and every answer (or error) must be the same; after each one the revisions
 * must agree, and now and then the whole key space. One seed gives one sequence, so a divergence
 * replays exactly. {@link Level} says how much of the store a run uses, part by part.
 */
public final class KvFuzz {
    /** What a run exercises: each level adds to the one before. */
    public enum Level { BASIC, TXN, COMPACTION, LEASES }

    /** Opens the store afresh on the same backend, as after a restart (closing the old one if it must). */
    @FunctionalInterface
    public interface Reopen {
        KV reopen(KV old, LongSupplier clock);
    }

    private final SplittableRandom random;
    private final Level level;
    private final RandomRequests requests;
    private final AtomicLong clock = new AtomicLong(1_000_000);
    private KV store;
    private final KvModel model = new KvModel(clock::get);

    private KvFuzz(long seed, Level level, KV store) {
        this.random = new SplittableRandom(seed);
        this.level = level;
        this.store = store;
        this.requests = new RandomRequests(random, level == Level.LEASES, model::currentRevision, model::compactRevision);
    }

    /**
     * Runs {@code steps} random requests; throws an AssertionError naming the step, the request
     * and both answers at the first divergence.
     */
    public static void run(long seed, int steps, Level level, java.util.function.Function<LongSupplier, KV> open, Reopen reopen, Trace trace) {
        KvFuzz f = new KvFuzz(seed, level, null);
        f.store = open.apply(f.clock::get);
        for (int step = 1; step <= steps; step++) f.step(step, reopen, trace);
    }

    private void step(int step, Reopen reopen, Trace trace) {
        clock.addAndGet(random.nextInt(1_500));
        int kind = random.nextInt(100);
        if (level.ordinal() >= Level.COMPACTION.ordinal() && kind < 3) {
            trace.add(step, "restart", 0, 0, "store reopened on its backend");
            store = reopen.reopen(store, clock::get);
            model.restarted();
        } else if (level.ordinal() >= Level.COMPACTION.ordinal() && kind < 8) {
            long rev = model.compactRevision() + random.nextLong(model.currentRevision() - model.compactRevision() + 2);
            same(step, "compact(" + rev + ")", () -> store.compact(rev), () -> model.compact(rev), trace);
        } else if (level.ordinal() >= Level.LEASES.ordinal() && kind < 22) {
            leaseOp(step, trace);
        } else if (level.ordinal() >= Level.TXN.ordinal() && kind < 40) {
            KvRequest.Txn t = random.nextInt(30) == 0 ? requests.badTxn() : requests.txn();
            same(step, t, () -> store.txn(t), () -> model.txn(t), trace);
        } else if (kind < 65) {
            KvRequest.Put p = requests.put();
            same(step, p, () -> store.put(p), () -> model.put(p), trace);
        } else if (kind < 78) {
            KvRequest.DeleteRange d = requests.delete();
            same(step, d, () -> store.deleteRange(d), () -> model.deleteRange(d), trace);
        } else if (kind < 84 && level.ordinal() >= Level.COMPACTION.ordinal()) { // history is part C
            long rev = model.compactRevision() - 1 + random.nextLong(model.currentRevision() - model.compactRevision() + 3);
            same(step, "changesAt(" + rev + ")", () -> store.changesAt(rev), () -> model.changesAt(rev), trace);
        } else {
            KvRequest.Range r = requests.range();
            same(step, r, () -> store.range(r), () -> model.range(r), trace);
        }
        if (store.currentRevision() != model.currentRevision() || store.compactRevision() != model.compactRevision())
            throw new AssertionError("Model divergence after step " + step + ": store at revision " + store.currentRevision() + " compacted "
                    + store.compactRevision() + ", model at " + model.currentRevision() + " compacted " + model.compactRevision());
        if (level.ordinal() >= Level.COMPACTION.ordinal()) {
            long now = model.currentRevision();
            same(step, "changesAt(" + now + ") after the request", () -> store.changesAt(now), () -> model.changesAt(now), Trace.off());
        }
        if (step % 10 == 0) {
            KvRequest.Range all = KvRequest.Range.of(Bytes.ZERO).withRangeEnd(Bytes.ZERO);
            same(step, "the whole key space", () -> store.range(all), () -> model.range(all), Trace.off());
        }
    }

    private void leaseOp(int step, Trace trace) {
        long id = 1 + random.nextInt(3);
        switch (random.nextInt(5)) {
            case 0 -> { long ttl = random.nextInt(6); same(step, "grant(" + id + ", " + ttl + ")", () -> store.leases().grant(id, ttl), () -> model.grant(id, ttl), trace); }
            case 1 -> same(step, "revoke(" + id + ")", () -> store.leases().revoke(id), () -> model.revoke(id), trace);
            case 2 -> same(step, "keepAlive(" + id + ")", () -> store.leases().keepAlive(id), () -> model.keepAlive(id), trace);
            case 3 -> same(step, "expire() at " + clock.get(), () -> store.leases().expire(), () -> model.expire(), trace);
            default -> same(step, "leases()", () -> new java.util.TreeSet<>(store.leases().leases()), () -> new java.util.TreeSet<>(model.leases()), trace);
        }
    }

    /** Runs both; their answers, or their errors, must be equal. Anything else the store throws fails the step, named. */
    private static void same(int step, Object request, Supplier<Object> onStore, Supplier<Object> onModel, Trace trace) {
        trace.add(step, "request", 0, 0, request);
        Object a;
        try {
            a = attempt(onStore);
        } catch (RuntimeException e) {
            throw new AssertionError("At step " + step + " on " + request + " the store threw " + e
                    + " (not an etcd error: a request the store cannot answer must fail with an EtcdException, as etcd's would)", e);
        }
        Object b = attempt(onModel);
        if (!Objects.equals(a, b))
            throw new AssertionError("Model divergence at step " + step + " on " + request + "\n  store: " + a + "\n  model: " + b);
    }

    private static Object attempt(Supplier<Object> s) {
        try {
            return s.get();
        } catch (EtcdException e) {
            return "error " + e.code() + " " + e.getMessage();
        }
    }

}
