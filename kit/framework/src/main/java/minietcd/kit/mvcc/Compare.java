package minietcd.kit.mvcc;

/**
 * A txn condition on a key, or on every key of [key, rangeEnd): its target field compared with the
 * given value. A missing key has version, create and mod revision 0 and no value (a VALUE compare
 * on it is false).
 */
public record Compare(Result result, Target target, Bytes key, Bytes rangeEnd, long version, long createRevision,
                      long modRevision, Bytes value, long lease) {
    public enum Result { EQUAL, GREATER, LESS, NOT_EQUAL }

    public enum Target { VERSION, CREATE, MOD, VALUE, LEASE }

    public static Compare version(Bytes key, Result r, long v) { return new Compare(r, Target.VERSION, key, Bytes.EMPTY, v, 0, 0, Bytes.EMPTY, 0); }
    public static Compare createRevision(Bytes key, Result r, long v) { return new Compare(r, Target.CREATE, key, Bytes.EMPTY, 0, v, 0, Bytes.EMPTY, 0); }
    public static Compare modRevision(Bytes key, Result r, long v) { return new Compare(r, Target.MOD, key, Bytes.EMPTY, 0, 0, v, Bytes.EMPTY, 0); }
    public static Compare value(Bytes key, Result r, Bytes v) { return new Compare(r, Target.VALUE, key, Bytes.EMPTY, 0, 0, 0, v, 0); }
    public static Compare lease(Bytes key, Result r, long v) { return new Compare(r, Target.LEASE, key, Bytes.EMPTY, 0, 0, 0, Bytes.EMPTY, v); }

    public Compare withRangeEnd(Bytes end) { return new Compare(result, target, key, end, version, createRevision, modRevision, value, lease); }
}
