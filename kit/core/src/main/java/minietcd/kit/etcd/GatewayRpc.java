package minietcd.kit.etcd;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.LongFunction;
import minietcd.kit.mvcc.EtcdException;
import minietcd.kit.mvcc.KV;
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
            case "kv/range": { KvResponse.Range r = kv.range(GatewayJson.range(body)); return GatewayJson.range(header.apply(r.revision()), r); }
            case "kv/put": {
                var request = GatewayJson.put(body);
                checkSize(body, maxRequestBytes);
                KvResponse.Put r = kv.put(request);
                return GatewayJson.put(header.apply(r.revision()), r);
            }
            case "kv/deleterange": {
                var request = GatewayJson.deleteRange(body);
                checkSize(body, maxRequestBytes);
                KvResponse.DeleteRange r = kv.deleteRange(request);
                return GatewayJson.deleteRange(header.apply(r.revision()), r);
            }
            case "kv/txn": {
                var request = GatewayJson.txn(body);
                checkSize(body, maxRequestBytes);
                KvResponse.Txn r = kv.txn(request);
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

    /** Whether the RPC only reads (a replicated store serves it without the log). */
    public static boolean isRead(String rpc) {
        String r = rpc.startsWith("kv/lease/") ? rpc.substring(3) : rpc;
        return r.equals("kv/range") || r.equals("lease/timetolive") || r.equals("lease/leases");
    }

    /**
     * Decodes a request body as {@link #call} or {@link #keepAlive} would, and sizes a write the
     * same way, without running it: what a replicated store checks before it proposes a request.
     *
     * @throws EtcdException the refusal {@code call} would give for the body
     */
    public static void check(String rpc, String body, long maxRequestBytes) {
        switch (rpc.startsWith("kv/lease/") ? rpc.substring(3) : rpc) {
            case "kv/range" -> GatewayJson.range(body);
            case "kv/put" -> { GatewayJson.put(body); checkSize(body, maxRequestBytes); }
            case "kv/deleterange" -> { GatewayJson.deleteRange(body); checkSize(body, maxRequestBytes); }
            case "kv/txn" -> { GatewayJson.txn(body); checkSize(body, maxRequestBytes); }
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

    private static void checkSize(String body, long max) {
        long estimate = (long) body.getBytes(StandardCharsets.UTF_8).length * 3 / 4;
        if (estimate > max) throw new EtcdException(EtcdException.INVALID_ARGUMENT, "etcdserver: request is too large");
    }
}
