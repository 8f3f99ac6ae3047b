package minietcd.kit.mvcc;

import java.util.List;

/** etcd's KV requests (etcdserverpb RangeRequest, PutRequest, DeleteRangeRequest, TxnRequest), with etcd's defaults. */
public sealed interface KvRequest {
    enum SortOrder { NONE, ASCEND, DESCEND }

    /**
     * etcd's range rule, for ranges, deletes, compares and watches alike: an empty {@code rangeEnd}
     * names {@code key} alone, {@link Bytes#ZERO} every key from {@code key} on, and anything else the
     * keys of [key, rangeEnd) (none if rangeEnd is not above key).
     */
    static boolean inRange(Bytes k, Bytes key, Bytes rangeEnd) {
        if (rangeEnd.isEmpty()) return k.equals(key);
        if (rangeEnd.equals(Bytes.ZERO)) return k.compareTo(key) >= 0;
        return k.compareTo(key) >= 0 && k.compareTo(rangeEnd) < 0;
    }

    enum SortTarget { KEY, VERSION, CREATE, MOD, VALUE }

    /**
     * Reads a key, or the range [key, rangeEnd): rangeEnd empty for one key, {@link Bytes#ZERO} for
     * every key from {@code key} on. {@code revision} &lt;= 0 reads the latest; {@code limit} &lt;= 0
     * means no limit. The min/max filters apply when non-zero.
     */
    record Range(Bytes key, Bytes rangeEnd, long limit, long revision, SortOrder sortOrder, SortTarget sortTarget,
                 boolean serializable, boolean keysOnly, boolean countOnly,
                 long minModRevision, long maxModRevision, long minCreateRevision, long maxCreateRevision) implements KvRequest {
        public static Range of(Bytes key) {
            return new Range(key, Bytes.EMPTY, 0, 0, SortOrder.NONE, SortTarget.KEY, false, false, false, 0, 0, 0, 0);
        }

        public static Range prefix(Bytes prefix) {
            return of(prefix).withRangeEnd(prefix.prefixEnd());
        }

        public Range withRangeEnd(Bytes end) { return new Range(key, end, limit, revision, sortOrder, sortTarget, serializable, keysOnly, countOnly, minModRevision, maxModRevision, minCreateRevision, maxCreateRevision); }
        public Range withLimit(long n) { return new Range(key, rangeEnd, n, revision, sortOrder, sortTarget, serializable, keysOnly, countOnly, minModRevision, maxModRevision, minCreateRevision, maxCreateRevision); }
        public Range atRevision(long rev) { return new Range(key, rangeEnd, limit, rev, sortOrder, sortTarget, serializable, keysOnly, countOnly, minModRevision, maxModRevision, minCreateRevision, maxCreateRevision); }
        public Range sorted(SortOrder order, SortTarget target) { return new Range(key, rangeEnd, limit, revision, order, target, serializable, keysOnly, countOnly, minModRevision, maxModRevision, minCreateRevision, maxCreateRevision); }
        /** The same read served by whichever member gets it, from its own store, without a quorum (etcd's --consistency=s). */
        public Range withSerializable() { return new Range(key, rangeEnd, limit, revision, sortOrder, sortTarget, true, keysOnly, countOnly, minModRevision, maxModRevision, minCreateRevision, maxCreateRevision); }
        public Range withKeysOnly() { return new Range(key, rangeEnd, limit, revision, sortOrder, sortTarget, serializable, true, countOnly, minModRevision, maxModRevision, minCreateRevision, maxCreateRevision); }
        public Range withCountOnly() { return new Range(key, rangeEnd, limit, revision, sortOrder, sortTarget, serializable, keysOnly, true, minModRevision, maxModRevision, minCreateRevision, maxCreateRevision); }
        public Range filtered(long minMod, long maxMod, long minCreate, long maxCreate) { return new Range(key, rangeEnd, limit, revision, sortOrder, sortTarget, serializable, keysOnly, countOnly, minMod, maxMod, minCreate, maxCreate); }
    }

    /** Writes a key. {@code ignoreValue} keeps the current value, {@code ignoreLease} the current lease. */
    record Put(Bytes key, Bytes value, long lease, boolean prevKv, boolean ignoreValue, boolean ignoreLease) implements KvRequest {
        public static Put of(Bytes key, Bytes value) {
            return new Put(key, value, 0, false, false, false);
        }

        public Put withLease(long id) { return new Put(key, value, id, prevKv, ignoreValue, ignoreLease); }
        public Put withPrevKv() { return new Put(key, value, lease, true, ignoreValue, ignoreLease); }
    }

    /** Deletes a key or the range [key, rangeEnd), with the same range rules as {@link Range}. */
    record DeleteRange(Bytes key, Bytes rangeEnd, boolean prevKv) implements KvRequest {
        public static DeleteRange of(Bytes key) {
            return new DeleteRange(key, Bytes.EMPTY, false);
        }
    }

    /** If every compare holds, runs {@code success}, else {@code failure}; all its writes share one revision. */
    record Txn(List<Compare> compare, List<KvRequest> success, List<KvRequest> failure) implements KvRequest {
        public Txn {
            compare = List.copyOf(compare);
            success = List.copyOf(success);
            failure = List.copyOf(failure);
        }
    }
}
