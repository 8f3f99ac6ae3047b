package minietcd.kit.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;
import minietcd.kit.mvcc.Bytes;
import minietcd.kit.mvcc.Compare;
import minietcd.kit.mvcc.KvRequest;

/**
 * Random KV requests, good and bad, over a small key space that includes the bytes 0x00 0x01 and
 * 0xff: range ends of every kind, read revisions around the compaction point and the current
 * revision, limits, sorts and filters, txns nested two deep with compares on keys and ranges, and
 * now and then an empty key or a flag etcd refuses. One random source gives one sequence. The model
 * tests ({@link KvFuzz}) and the differential run against etcd draw from it.
 */
public final class RandomRequests {
    /** The keys requests name. */
    public static final List<Bytes> KEYS = List.of(Bytes.of("a"), Bytes.of("ab"), Bytes.of("abc"), Bytes.of("b"), Bytes.of("b0"), Bytes.of("c"),
            Bytes.of("d"), Bytes.of(new byte[] {0, 1}), Bytes.of(new byte[] {(byte) 0xff}));

    private final SplittableRandom random;
    private final boolean leases;
    private final LongSupplier current, compacted;

    /**
     * @param leases whether puts may name leases 1 to 3 (and use ignore_lease)
     * @param current the store's current revision, for read revisions and compares
     * @param compacted the store's compaction revision (0 if none)
     */
    public RandomRequests(SplittableRandom random, boolean leases, LongSupplier current, LongSupplier compacted) {
        this.random = random;
        this.leases = leases;
        this.current = current;
        this.compacted = compacted;
    }

    private Bytes key() {
        return random.nextInt(25) == 0 ? Bytes.EMPTY : KEYS.get(random.nextInt(KEYS.size())); // now and then a bad request
    }

    private Bytes end(Bytes key) {
        int r = random.nextInt(10);
        if (r < 4) return Bytes.EMPTY;
        if (r < 5) return Bytes.ZERO;
        if (r < 7) return key.prefixEnd();
        return KEYS.get(random.nextInt(KEYS.size()));
    }

    private Bytes value() {
        return random.nextInt(6) == 0 ? Bytes.EMPTY : Bytes.of("v" + random.nextInt(4));
    }

    private long revision() {
        if (random.nextInt(5) < 3) return 0;
        return compacted.getAsLong() - 1 + random.nextLong(current.getAsLong() - compacted.getAsLong() + 3);
    }

    public KvRequest.Put put() {
        boolean ignoreValue = random.nextInt(15) == 0, ignoreLease = leases && random.nextInt(15) == 0;
        long lease = leases && random.nextInt(3) == 0 ? 1 + random.nextInt(3) : 0;
        Bytes value = ignoreValue && random.nextInt(4) != 0 ? Bytes.EMPTY : value();
        return new KvRequest.Put(key(), value, lease, random.nextBoolean(), ignoreValue, ignoreLease);
    }

    public KvRequest.DeleteRange delete() {
        Bytes k = key();
        return new KvRequest.DeleteRange(k, end(k), random.nextBoolean());
    }

    public KvRequest.Range range() {
        Bytes k = key();
        KvRequest.Range r = KvRequest.Range.of(k).withRangeEnd(end(k)).atRevision(revision()).withLimit(random.nextInt(4) - 1);
        if (random.nextInt(3) == 0) r = r.sorted(KvRequest.SortOrder.values()[random.nextInt(3)], KvRequest.SortTarget.values()[random.nextInt(5)]);
        if (random.nextInt(6) == 0) r = r.withKeysOnly();
        if (random.nextInt(8) == 0) r = r.withCountOnly();
        if (random.nextInt(6) == 0) r = r.filtered(random.nextInt(4), random.nextInt(3) * 5, random.nextInt(4), random.nextInt(3) * 5);
        return r;
    }

    /** A txn of up to two levels of nesting, with compares on single keys and ranges. */
    public KvRequest.Txn txn() {
        return txn(0);
    }

    private KvRequest.Txn txn(int depth) {
        List<Compare> cmps = new ArrayList<>();
        for (int i = random.nextInt(3); i > 0; i--) {
            Bytes k = KEYS.get(random.nextInt(KEYS.size()));
            Compare.Result res = Compare.Result.values()[random.nextInt(4)];
            Compare c = switch (random.nextInt(5)) {
                case 0 -> Compare.value(k, res, value());
                case 1 -> Compare.version(k, res, random.nextInt(3));
                case 2 -> Compare.createRevision(k, res, random.nextInt((int) current.getAsLong() + 1));
                case 3 -> Compare.modRevision(k, res, random.nextInt((int) current.getAsLong() + 1));
                default -> Compare.lease(k, res, random.nextInt(2));
            };
            cmps.add(random.nextInt(5) == 0 ? c.withRangeEnd(end(k)) : c);
        }
        return new KvRequest.Txn(cmps, ops(depth), ops(depth));
    }

    /** A txn etcd refuses: a key put twice, put and deleted, or more than 128 ops. */
    public KvRequest.Txn badTxn() {
        Bytes k = KEYS.get(random.nextInt(KEYS.size()));
        List<KvRequest> ops = new ArrayList<>();
        switch (random.nextInt(3)) {
            case 0 -> { ops.add(KvRequest.Put.of(k, value())); ops.add(range()); ops.add(KvRequest.Put.of(k, value())); }
            case 1 -> { ops.add(KvRequest.DeleteRange.of(k)); ops.add(KvRequest.Put.of(k, value())); }
            default -> { for (int i = 0; i < 129; i++) ops.add(KvRequest.Range.of(KEYS.get(i % KEYS.size()))); }
        }
        return new KvRequest.Txn(List.of(), ops, List.of());
    }

    private List<KvRequest> ops(int depth) {
        List<KvRequest> ops = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            int k = random.nextInt(10);
            if (k < 4) ops.add(put());
            else if (k < 6) ops.add(delete());
            else if (k < 9 || depth >= 2) ops.add(range());
            else ops.add(txn(depth + 1));
        }
        return ops;
    }
}
