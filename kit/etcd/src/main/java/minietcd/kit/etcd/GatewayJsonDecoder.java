package minietcd.kit.etcd;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import minietcd.kit.etcd.GoJson.Arr;
import minietcd.kit.etcd.GoJson.Bool;
import minietcd.kit.etcd.GoJson.Num;
import minietcd.kit.etcd.GoJson.Obj;
import minietcd.kit.etcd.GoJson.Str;
import minietcd.kit.etcd.GoJson.Value;
import minietcd.kit.mvcc.Bytes;
import minietcd.kit.mvcc.Compare;
import minietcd.kit.mvcc.EtcdException;
import minietcd.kit.mvcc.KvRequest;

/**
 * Request bodies of etcd's JSON gateway, read as etcd 3.4 reads them: the gateway takes the first
 * JSON value of the body with Go's json.Decoder and hands it to golang/protobuf's jsonpb (1.3)
 * with unknown fields allowed. What follows from that, and is imitated here:
 *
 * <ul>
 *   <li>An empty body (or white space) is an empty message; so is {@code null}. Anything after
 *       the first value is ignored.
 *   <li>A field is found under its proto name or its lowerCamelCase name; when both are present
 *       the lowerCamelCase one wins. Other names are ignored, and so is a {@code null} value.
 *   <li>int64 fields take a number or a string holding one; enums take a name (as a string) or a
 *       number; bytes take standard base64 with padding (or, a Go quirk, an array of numbers 0..255).
 *   <li>Fields are read in proto declaration order, so of several bad fields the first is reported;
 *       a oneof is read after the plain fields.
 * </ul>
 *
 * <p>Every refusal is an {@link EtcdException} with code 3 (InvalidArgument) and Go's message.
 * Where etcd has no defined answer, this class decides as follows:
 *
 * <ul>
 *   <li>An enum given as a number that names no value is accepted by Go, and etcd 3.4 then does
 *       what its switches do with it (checked on loopback): a {@code sort_order} such as 7 or -1
 *       sorts neither way (key order, whatever the target); a compare's unknown target or result
 *       decides as described at {@link #unknownEnum}. An unknown {@code sort_target} makes etcd
 *       3.4.23 panic and stop serving; here it is refused with {@code unknown value N for enum <type>}.
 *   <li>When a txn op or a compare names several oneof members (say both {@code request_put} and
 *       {@code request_range}), Go keeps one chosen by map order, which varies; here the last in
 *       proto field order wins.
 *   <li>A {@code null} element of {@code compare} is read as an empty compare, and a {@code null}
 *       element of {@code success}/{@code failure} as an empty op. (etcd would fail while
 *       re-encoding such a request.)
 *   <li>Txns nested so deeply (a couple of thousand levels) that reading them overflows the Java
 *       stack are refused with {@code txn nesting too deep}; etcd's own op budget (below) refuses
 *       anything nested 128 levels or more long before.
 * </ul>
 *
 * <p>An op with none of {@code request_range}/{@code request_put}/{@code request_delete_range}/
 * {@code request_txn} cannot be expressed as a {@link KvRequest}. etcd answers it with
 * {@code etcdserver: key not found} during its txn checks, so when a txn holds one, this class runs
 * those checks in etcd's order (too many ops, then each compare's key, then the ops one by one, a
 * nested txn with the op budget its parent left) and throws the first failure, which is what etcd
 * would answer. Otherwise the checks are left to whoever runs the txn: a server runs them at its
 * edge ({@link GatewayRpc#check}), and lab 3's store runs its own.
 */
final class GatewayJsonDecoder {
    private GatewayJsonDecoder() {}

    /** etcd's default --max-txn-ops. */
    static final int MAX_TXN_OPS = 128;

    private static final String[] SORT_ORDER = {"NONE", "ASCEND", "DESCEND"};
    private static final String[] SORT_TARGET = {"KEY", "VERSION", "CREATE", "MOD", "VALUE"};
    private static final String[] COMPARE_RESULT = {"EQUAL", "GREATER", "LESS", "NOT_EQUAL"};
    private static final String[] COMPARE_TARGET = {"VERSION", "CREATE", "MOD", "VALUE", "LEASE"};

    /** The fields of one JSON object, looked up the way jsonpb does. */
    static final class Fields {
        private final Map<String, Value> map;

        Fields(Map<String, Value> map) {
            this.map = map;
        }

        /** The value under the camel name, else the proto name; null when absent or JSON null. */
        Value get(String proto, String camel) {
            Value v = camel != null && map.containsKey(camel) ? map.get(camel) : map.get(proto);
            return v == GoJson.Null.NULL ? null : v;
        }

        Value get(String proto) {
            return get(proto, null);
        }

        Bytes bytes(String proto, String camel) {
            return GatewayJsonDecoder.bytes(get(proto, camel));
        }

        long int64(String proto, String camel) {
            return GatewayJsonDecoder.int64(get(proto, camel));
        }

        boolean bool(String proto, String camel) {
            return GatewayJsonDecoder.bool(get(proto, camel));
        }

        int enumValue(String proto, String camel, String type, String[] names) {
            return GatewayJsonDecoder.enumValue(get(proto, camel), type, names);
        }

        /** An enum as Go reads it: a name, or any int32, which may name no value (see {@link GatewayJsonDecoder#enumNumber}). */
        int enumNumber(String proto, String camel, String type, String[] names) {
            return GatewayJsonDecoder.enumNumber(get(proto, camel), type, names);
        }

        /**
         * A oneof's own name used as a field: jsonpb tries to read it into the Go interface that
         * holds the oneof, which only a null survives.
         */
        void oneofName(String name, String goInterface) {
            Value v = get(name);
            if (v != null) throw GoJson.typeError(GoJson.kind(v), goInterface);
        }
    }

    static Fields message(Value v) {
        if (v == null || v == GoJson.Null.NULL) return new Fields(Map.of());
        if (v instanceof Obj o) return new Fields(o.fields());
        throw GoJson.typeError(GoJson.kind(v), "map[string]json.RawMessage");
    }

    /** The first JSON value of a unary request body, as a message. */
    private static Fields body(String body) {
        return message(new GoJson.Stream(body).next());
    }

    static List<Value> repeated(Value v) {
        if (v == null) return List.of();
        if (v instanceof Arr a) return a.items();
        throw GoJson.typeError(GoJson.kind(v), "[]json.RawMessage");
    }

    static Bytes bytes(Value v) {
        if (v == null) return Bytes.EMPTY;
        if (v instanceof Str s) return Bytes.of(GoStrings.base64(s.bytes()));
        if (v instanceof Arr a) { // Go fills a byte slice from an array of small numbers
            byte[] out = new byte[a.items().size()];
            for (int i = 0; i < out.length; i++) {
                Value item = a.items().get(i);
                if (item instanceof Num n) {
                    if (!n.literal().matches("[0-9]+") || n.literal().length() > 3 || Integer.parseInt(n.literal()) > 255) {
                        throw GoJson.typeError("number " + n.literal(), "uint8");
                    }
                    out[i] = (byte) Integer.parseInt(n.literal());
                } else if (item != GoJson.Null.NULL) {
                    throw GoJson.typeError(GoJson.kind(item), "uint8");
                }
            }
            return Bytes.of(out);
        }
        throw GoJson.typeError(GoJson.kind(v), "[]uint8");
    }

    static boolean bool(Value v) {
        if (v == null) return false;
        if (v instanceof Bool b) return b.value();
        throw GoJson.typeError(GoJson.kind(v), "bool");
    }

    /**
     * jsonpb takes an int64 as a number, or as a string whose contents (escapes not applied) are
     * then read as JSON by Go: so {@code "12"} and {@code " 12 "} work, {@code "abc"} fails with a
     * syntax error and {@code "1.5"} with a type error.
     */
    static long int64(Value v) {
        if (v instanceof Str s) v = GoJson.parseWhole(s.raw());
        if (v == null || v == GoJson.Null.NULL) return 0;
        if (v instanceof Num n) {
            Long parsed = parseInteger(n.literal(), Long.MIN_VALUE, Long.MAX_VALUE);
            if (parsed == null) throw GoJson.typeError("number " + n.literal(), "int64");
            return parsed;
        }
        throw GoJson.typeError(GoJson.kind(v), "int64");
    }

    /** Go's strconv.ParseInt(s, 10, 64) followed by a range check; null when either fails. */
    static Long parseInteger(String literal, long min, long max) {
        if (!literal.matches("-?[0-9]+")) return null;
        try {
            long x = Long.parseLong(literal);
            return x < min || x > max ? null : x;
        } catch (NumberFormatException overflow) {
            return null;
        }
    }

    /** An enum by name (its raw text, as jsonpb does not unescape it) or by number. */
    static int enumValue(Value v, String type, String[] names) {
        int x = enumNumber(v, type, names);
        if (x < 0 || x >= names.length) throw GoJson.invalid("unknown value " + x + " for enum " + type);
        return x;
    }

    /** As {@link #enumValue}, but a number that names no value is returned as it is, as Go keeps it. */
    static int enumNumber(Value v, String type, String[] names) {
        if (v == null) return 0;
        if (v instanceof Str s) {
            String name = s.rawText();
            for (int i = 0; i < names.length; i++) if (names[i].equals(name)) return i;
            throw GoJson.invalid("unknown value " + GoStrings.quote(s.raw()) + " for enum " + type);
        }
        if (v instanceof Num n) {
            Long x = parseInteger(n.literal(), Integer.MIN_VALUE, Integer.MAX_VALUE);
            if (x == null) throw GoJson.typeError("number " + n.literal(), type);
            return x.intValue();
        }
        throw GoJson.typeError(GoJson.kind(v), type);
    }

    static KvRequest.Range range(String body) {
        return range(body(body));
    }

    private static KvRequest.Range range(Fields f) {
        Bytes key = f.bytes("key", null);
        Bytes rangeEnd = f.bytes("range_end", "rangeEnd");
        long limit = f.int64("limit", null);
        long revision = f.int64("revision", null);
        int order = f.enumNumber("sort_order", "sortOrder", "etcdserverpb.RangeRequest_SortOrder", SORT_ORDER);
        int target = f.enumValue("sort_target", "sortTarget", "etcdserverpb.RangeRequest_SortTarget", SORT_TARGET);
        if (order < 0 || order >= SORT_ORDER.length) { // etcd sorts neither way, whatever the target: key order, as NONE by KEY
            order = 0;
            target = 0;
        }
        boolean serializable = f.bool("serializable", null);
        boolean keysOnly = f.bool("keys_only", "keysOnly");
        boolean countOnly = f.bool("count_only", "countOnly");
        long minMod = f.int64("min_mod_revision", "minModRevision");
        long maxMod = f.int64("max_mod_revision", "maxModRevision");
        long minCreate = f.int64("min_create_revision", "minCreateRevision");
        long maxCreate = f.int64("max_create_revision", "maxCreateRevision");
        return new KvRequest.Range(key, rangeEnd, limit, revision, KvRequest.SortOrder.values()[order],
                KvRequest.SortTarget.values()[target], serializable, keysOnly, countOnly, minMod, maxMod, minCreate, maxCreate);
    }

    static KvRequest.Put put(String body) {
        return put(body(body));
    }

    private static KvRequest.Put put(Fields f) {
        Bytes key = f.bytes("key", null);
        Bytes value = f.bytes("value", null);
        long lease = f.int64("lease", null);
        boolean prevKv = f.bool("prev_kv", "prevKv");
        boolean ignoreValue = f.bool("ignore_value", "ignoreValue");
        boolean ignoreLease = f.bool("ignore_lease", "ignoreLease");
        return new KvRequest.Put(key, value, lease, prevKv, ignoreValue, ignoreLease);
    }

    static KvRequest.DeleteRange deleteRange(String body) {
        return deleteRange(body(body));
    }

    private static KvRequest.DeleteRange deleteRange(Fields f) {
        Bytes key = f.bytes("key", null);
        Bytes rangeEnd = f.bytes("range_end", "rangeEnd");
        boolean prevKv = f.bool("prev_kv", "prevKv");
        return new KvRequest.DeleteRange(key, rangeEnd, prevKv);
    }

    static KvRequest.Txn txn(String body) {
        try {
            PendingTxn t = txn(body(body));
            if (t.hasEmptyOp()) t.check(MAX_TXN_OPS);
            return t.build();
        } catch (StackOverflowError tooDeep) { // only a pathological nesting of txns gets here
            throw GoJson.invalid("txn nesting too deep");
        }
    }

    /** A txn as read, where an op may still be {@link #EMPTY}, and a nested txn is still pending. */
    private record PendingTxn(List<Compare> compare, List<Object> success, List<Object> failure) {
        boolean hasEmptyOp() {
            return hasEmpty(success) || hasEmpty(failure);
        }

        private static boolean hasEmpty(List<Object> ops) {
            for (Object op : ops) if (op == EMPTY || (op instanceof PendingTxn t && t.hasEmptyOp())) return true;
            return false;
        }

        /**
         * etcd's checkTxnRequest, in its order. {@code budget} is how many ops this level may hold:
         * etcd's --max-txn-ops at the top, and for a nested txn what its parent left, the parent's
         * budget less the parent's own widest list (so a chain of one-op txns may be 128 deep).
         */
        void check(int budget) {
            int width = Math.max(compare.size(), Math.max(success.size(), failure.size()));
            if (width > budget) throw EtcdException.tooManyOps();
            for (Compare c : compare) if (c.key().isEmpty()) throw EtcdException.keyNotProvided();
            for (Object op : success) checkOp(op, budget - width);
            for (Object op : failure) checkOp(op, budget - width);
        }

        private static void checkOp(Object op, int budget) {
            if (op == EMPTY) throw EtcdException.keyNotFound();
            if (op instanceof PendingTxn t) t.check(budget);
            else GatewayRpc.checkOp((KvRequest) op);
        }

        KvRequest.Txn build() {
            return new KvRequest.Txn(compare, build(success), build(failure));
        }

        private static List<KvRequest> build(List<Object> ops) {
            List<KvRequest> out = new ArrayList<>(ops.size());
            for (Object op : ops) out.add(op instanceof PendingTxn t ? t.build() : (KvRequest) op);
            return out;
        }
    }

    /** An op that names no request. */
    private static final Object EMPTY = new Object();

    private static PendingTxn txn(Fields f) {
        List<Compare> compare = new ArrayList<>();
        for (Value v : repeated(f.get("compare"))) compare.add(compare(message(v)));
        List<Object> success = ops(f.get("success"));
        List<Object> failure = ops(f.get("failure"));
        return new PendingTxn(compare, success, failure);
    }

    private static List<Object> ops(Value v) {
        List<Object> out = new ArrayList<>();
        for (Value item : repeated(v)) out.add(op(message(item)));
        return out;
    }

    private static Object op(Fields f) {
        f.oneofName("request", "etcdserverpb.isRequestOp_Request");
        Object op = EMPTY;
        Value v;
        if ((v = f.get("request_range", "requestRange")) != null) op = range(message(v));
        if ((v = f.get("request_put", "requestPut")) != null) op = put(message(v));
        if ((v = f.get("request_delete_range", "requestDeleteRange")) != null) op = deleteRange(message(v));
        if ((v = f.get("request_txn", "requestTxn")) != null) op = txn(message(v));
        return op;
    }

    private static Compare compare(Fields f) {
        int result = f.enumNumber("result", null, "etcdserverpb.Compare_CompareResult", COMPARE_RESULT);
        int target = f.enumNumber("target", null, "etcdserverpb.Compare_CompareTarget", COMPARE_TARGET);
        Bytes key = f.bytes("key", null);
        f.oneofName("target_union", "etcdserverpb.isCompare_TargetUnion");
        Bytes rangeEnd = f.bytes("range_end", "rangeEnd");
        long version = f.int64("version", null);
        long create = f.int64("create_revision", "createRevision");
        long mod = f.int64("mod_revision", "modRevision");
        Bytes value = f.bytes("value", null);
        long lease = f.int64("lease", null);
        boolean knownResult = result >= 0 && result < COMPARE_RESULT.length, knownTarget = target >= 0 && target < COMPARE_TARGET.length;
        if (!knownTarget || !knownResult) return unknownEnum(key, rangeEnd, knownResult ? Compare.Result.values()[result] : null, knownTarget ? Compare.Target.values()[target] : null);
        return new Compare(Compare.Result.values()[result], Compare.Target.values()[target], key, rangeEnd,
                version, create, mod, value, lease);
    }

    /**
     * A compare whose target or result names no value, as etcd 3.4 decides it (checked on loopback):
     * an unknown target compares nothing, as if equal, so EQUAL (or an unknown result) holds and the
     * other results fail; an unknown result holds, except on VALUE for a key that does not exist,
     * which fails first. Each is written here as a compare of the kit's that decides the same way for
     * every key and range: create > -1 always holds, create < 0 never does, version > 0 holds where a
     * key exists.
     */
    private static Compare unknownEnum(Bytes key, Bytes rangeEnd, Compare.Result result, Compare.Target target) {
        Compare always = Compare.createRevision(key, Compare.Result.GREATER, -1).withRangeEnd(rangeEnd);
        if (target == null) return result == null || result == Compare.Result.EQUAL ? always : Compare.createRevision(key, Compare.Result.LESS, 0).withRangeEnd(rangeEnd);
        return target == Compare.Target.VALUE ? Compare.version(key, Compare.Result.GREATER, 0).withRangeEnd(rangeEnd) : always;
    }

    static GatewayJson.Compaction compaction(String body) {
        Fields f = body(body);
        long revision = f.int64("revision", null);
        boolean physical = f.bool("physical", null);
        return new GatewayJson.Compaction(revision, physical);
    }

    static GatewayJson.LeaseGrant leaseGrant(String body) {
        Fields f = body(body);
        long ttl = f.int64("TTL", null);
        long id = f.int64("ID", null);
        return new GatewayJson.LeaseGrant(ttl, id);
    }

    /** The ID of a revoke request. */
    static long leaseId(String body) {
        return body(body).int64("ID", null);
    }

    static GatewayJson.LeaseTimeToLive leaseTimeToLive(String body) {
        Fields f = body(body);
        long id = f.int64("ID", null);
        boolean keys = f.bool("keys", null);
        return new GatewayJson.LeaseTimeToLive(id, keys);
    }

    static void leaseLeases(String body) {
        body(body);
    }

    /**
     * The IDs of a keepalive stream body, which may hold several requests one after another. The
     * gateway decodes the first request before it starts the stream: if that fails, the client
     * gets an error, with code 2 (Unknown) because the gateway passes Go's error on as it is. A
     * later request that fails to decode just ends the stream, without an error to the client.
     * An empty body gives no request at all.
     */
    static List<Long> leaseKeepAlive(String body) {
        List<Long> ids = new ArrayList<>();
        GoJson.Stream stream = new GoJson.Stream(body);
        try {
            Value v;
            while ((v = stream.next()) != null) ids.add(message(v).int64("ID", null));
        } catch (EtcdException e) {
            if (ids.isEmpty()) throw new EtcdException(EtcdException.UNKNOWN, e.getMessage());
        }
        return ids;
    }
}
