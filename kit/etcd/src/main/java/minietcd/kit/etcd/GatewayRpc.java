package minietcd.kit.etcd;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.LongFunction;
import minietcd.kit.mvcc.Compare;
import minietcd.kit.mvcc.EtcdException;
import minietcd.kit.mvcc.KV;
import minietcd.kit.mvcc.KvRequest;
import minietcd.kit.mvcc.KvResponse;
import minietcd.kit.mvcc.Leases;

/**
 * etcd's KV and lease RPCs as its gateway serves them: a JSON request body in, decoded with
 * {@link GatewayJson}, run on a {@link KV}, the answer encoded back. The caller supplies the response
 * header for a revision (a server its own member's, a replay the recording's). Refusals are thrown
 * as {@link EtcdException}, with etcd's code and message.
 */
public final class GatewayRpc {
    /** etcd's default --max-request-bytes: 1.5 MiB. */
    public static final long MAX_REQUEST_BYTES = 1_572_864;
    /** The largest request message etcd's gRPC server takes: --max-request-bytes and 512 KiB of room. */
    public static final long MAX_MESSAGE_BYTES = MAX_REQUEST_BYTES + 512 * 1024;
    /**
     * The largest answer this gateway builds (etcd's is 2 GiB, gRPC's own cap): an answer is held
     * whole in memory as JSON, base64 and all, so the kit refuses one whose keys and values come to
     * more than 64 MiB with gRPC's error, before encoding it, rather than run out of memory.
     */
    public static final long MAX_RESPONSE_BYTES = 64L << 20;

    /** The unary RPCs, by their path under /v3/ (the /v3/kv/lease/ aliases included). */
    public static final Set<String> UNARY = Set.of("kv/range", "kv/put", "kv/deleterange", "kv/txn", "kv/compaction",
            "lease/grant", "lease/revoke", "lease/timetolive", "lease/leases", "kv/lease/revoke", "kv/lease/timetolive", "kv/lease/leases");

    private GatewayRpc() {}

    /**
     * Runs one unary RPC. A write whose body would decode to more than {@code maxRequestBytes} is
     * refused as etcd refuses it, after the body was found well formed (the size is estimated from
     * the JSON: base64 takes 4 characters for 3 bytes).
     */
    public static String call(KV kv, String rpc, String body, LongFunction<Header> header, long maxRequestBytes) {
        switch (rpc.startsWith("kv/lease/") ? rpc.substring(3) : rpc) {
            case "kv/range": { KvResponse.Range r = sized(kv.range(GatewayJson.range(body))); return GatewayJson.range(header.apply(r.revision()), r); }
            case "kv/put": {
                var request = GatewayJson.put(body);
                checkMessage(request);
                checkSize(body, maxRequestBytes);
                KvResponse.Put r = kv.put(request);
                return GatewayJson.put(header.apply(r.revision()), r);
            }
            case "kv/deleterange": {
                var request = GatewayJson.deleteRange(body);
                checkMessage(request);
                checkSize(body, maxRequestBytes);
                KvResponse.DeleteRange r = sized(kv.deleteRange(request));
                return GatewayJson.deleteRange(header.apply(r.revision()), r);
            }
            case "kv/txn": {
                var request = GatewayJson.txn(body);
                checkMessage(request);
                checkSize(body, maxRequestBytes);
                KvResponse.Txn r = sized(kv.txn(request));
                return GatewayJson.txn(header.apply(r.revision()), r);
            }
            case "kv/compaction": {
                kv.compact(GatewayJson.compaction(body).revision());
                return GatewayJson.compaction(header.apply(kv.currentRevision()));
            }
            case "lease/grant": {
                GatewayJson.LeaseGrant g = GatewayJson.leaseGrant(body);
                Leases.Granted r = kv.leases().grant(g.id(), g.ttl());
                return GatewayJson.leaseGrant(header.apply(r.revision()), r);
            }
            case "lease/revoke": return GatewayJson.leaseRevoke(header.apply(kv.leases().revoke(GatewayJson.leaseRevoke(body))));
            case "lease/timetolive": {
                GatewayJson.LeaseTimeToLive t = GatewayJson.leaseTimeToLive(body);
                Leases.TimeToLive r = kv.leases().timeToLive(t.id(), t.keys());
                return GatewayJson.leaseTimeToLive(header.apply(r.revision()), r);
            }
            case "lease/leases": {
                GatewayJson.leaseLeases(body);
                return GatewayJson.leaseLeases(header.apply(kv.currentRevision()), kv.leases().leases());
            }
            default: throw new IllegalArgumentException("not a unary KV or lease RPC: " + rpc);
        }
    }

    /**
     * Whether the request only reads, so a replicated store serves it without the log (after a read
     * index unless {@link #isSerializable}): a range, a lease lookup, or a txn whose every op, nested
     * ones included, is a range (etcd serves such a txn as it serves a range). The body must be one
     * that {@link #check} took.
     */
    public static boolean isRead(String rpc, String body) {
        String r = rpc.startsWith("kv/lease/") ? rpc.substring(3) : rpc;
        if (r.equals("kv/txn")) return readOnly(GatewayJson.txn(body));
        return r.equals("kv/range") || r.equals("lease/timetolive") || r.equals("lease/leases");
    }

    /** Whether a read may be served from the member's own store at once: a serializable range, or a txn of serializable ranges only. */
    public static boolean isSerializable(String rpc, String body) {
        if (rpc.equals("kv/range")) return GatewayJson.range(body).serializable();
        if (rpc.equals("kv/txn")) return serializable(GatewayJson.txn(body));
        return false;
    }

    private static boolean readOnly(KvRequest.Txn t) {
        for (List<KvRequest> ops : List.of(t.success(), t.failure()))
            for (KvRequest op : ops) if (!(op instanceof KvRequest.Range || op instanceof KvRequest.Txn n && readOnly(n))) return false;
        return true;
    }

    private static boolean serializable(KvRequest.Txn t) {
        for (List<KvRequest> ops : List.of(t.success(), t.failure()))
            for (KvRequest op : ops) if (!(op instanceof KvRequest.Range r ? r.serializable() : serializable((KvRequest.Txn) op))) return false;
        return true;
    }

    /** The answer, if it is not too large to send (see {@link #MAX_RESPONSE_BYTES}). */
    private static <R extends KvResponse> R sized(R response) {
        long size = MessageSize.of(response);
        if (size > MAX_RESPONSE_BYTES) throw EtcdException.responseMessageTooLarge(size, MAX_RESPONSE_BYTES);
        return response;
    }

    /**
     * Decodes a request body as {@link #call} or {@link #keepAlive} would, runs the checks etcd's
     * server makes before its store sees a request (gRPC's message size, {@link #checkTxn}), and sizes
     * a write as {@code call} does, without running it: what a server checks at its edge, on the
     * request's own thread, before a request goes near the store or the log.
     *
     * @throws EtcdException the refusal {@code call} would give for the body
     */
    public static void check(String rpc, String body, long maxRequestBytes) {
        switch (rpc.startsWith("kv/lease/") ? rpc.substring(3) : rpc) {
            case "kv/range" -> GatewayJson.range(body);
            case "kv/put" -> { checkMessage(GatewayJson.put(body)); checkSize(body, maxRequestBytes); }
            case "kv/deleterange" -> { checkMessage(GatewayJson.deleteRange(body)); checkSize(body, maxRequestBytes); }
            case "kv/txn" -> {
                KvRequest.Txn t = GatewayJson.txn(body);
                checkMessage(t);
                checkTxn(t, GatewayJsonDecoder.MAX_TXN_OPS);
                checkSize(body, maxRequestBytes);
            }
            case "kv/compaction" -> GatewayJson.compaction(body);
            case "lease/grant" -> GatewayJson.leaseGrant(body);
            case "lease/revoke" -> GatewayJson.leaseRevoke(body);
            case "lease/timetolive" -> GatewayJson.leaseTimeToLive(body);
            case "lease/leases" -> GatewayJson.leaseLeases(body);
            case "lease/keepalive" -> GatewayJson.leaseKeepAlive(body);
            default -> throw new IllegalArgumentException("not a KV or lease RPC: " + rpc);
        }
    }

    /** /v3/lease/keepalive: one message per request in the body, in order, without newlines. */
    public static List<String> keepAlive(KV kv, String body, LongFunction<Header> header) {
        List<String> out = new ArrayList<>();
        for (long id : GatewayJson.leaseKeepAlive(body)) {
            long ttl = kv.leases().keepAlive(id);
            out.add(GatewayJson.leaseKeepAlive(header.apply(kv.currentRevision()), id, ttl).strip());
        }
        return out;
    }

    /**
     * etcd's checkTxnRequest, which its server runs before the store sees a txn, in its order: too
     * many ops, each compare's key, then the ops one by one (keys, and put's flags). {@code budget}
     * is how many ops this level may hold: --max-txn-ops at the top, and for a nested txn what its
     * parent left, the parent's budget less the parent's widest list (so a chain of one-op txns may
     * be 127 levels deep, and no more).
     */
    static void checkTxn(KvRequest.Txn t, int budget) {
        int width = Math.max(t.compare().size(), Math.max(t.success().size(), t.failure().size()));
        if (width > budget) throw EtcdException.tooManyOps();
        for (Compare c : t.compare()) if (c.key().isEmpty()) throw EtcdException.keyNotProvided();
        for (List<KvRequest> ops : List.of(t.success(), t.failure()))
            for (KvRequest op : ops) {
                if (op instanceof KvRequest.Txn nested) checkTxn(nested, budget - width);
                else checkOp(op);
            }
    }

    /** etcd's checkRequestOp for a range, delete or put: a key, and a put's flags that agree with it. */
    static void checkOp(KvRequest op) {
        if (op instanceof KvRequest.Range r && r.key().isEmpty()) throw EtcdException.keyNotProvided();
        else if (op instanceof KvRequest.DeleteRange d && d.key().isEmpty()) throw EtcdException.keyNotProvided();
        else if (op instanceof KvRequest.Put p) {
            if (p.key().isEmpty()) throw EtcdException.keyNotProvided();
            if (p.ignoreValue() && !p.value().isEmpty()) throw EtcdException.valueProvided();
            if (p.ignoreLease() && p.lease() != 0) throw EtcdException.leaseProvided();
        }
    }

    /** gRPC's own limit, which etcd's server applies before anything else looks at the request. */
    private static void checkMessage(KvRequest request) {
        long size = MessageSize.of(request);
        if (size > MAX_MESSAGE_BYTES) throw EtcdException.requestMessageTooLarge(size, MAX_MESSAGE_BYTES);
    }

    private static void checkSize(String body, long max) {
        long estimate = (long) body.getBytes(StandardCharsets.UTF_8).length * 3 / 4;
        if (estimate > max) throw new EtcdException(EtcdException.INVALID_ARGUMENT, "etcdserver: request is too large");
    }
}
