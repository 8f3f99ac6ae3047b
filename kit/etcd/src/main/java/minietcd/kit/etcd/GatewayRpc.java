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
     * Runs one unary RPC from its JSON body to its JSON answer: {@link #decode}, {@link #run},
     * {@link #encode} (a keep-alive's messages one per line).
     */
    public static String call(KV kv, String rpc, String body, LongFunction<Header> header, long maxRequestBytes) {
        return encode(header, run(kv, decode(rpc, body, maxRequestBytes)));
    }

    /**
     * Reads a request body for the RPC at {@code /v3/<rpc>} (the {@code /v3/kv/lease/} aliases
     * included) and runs the checks etcd's server makes before its store sees a request: gRPC's
     * message size, {@link #checkTxn}, and a write's size, estimated from the JSON (base64 takes 4
     * characters for 3 bytes) against {@code maxRequestBytes}. What a server does at its edge, on
     * the request's own thread, before a request goes near the store or the log.
     *
     * @throws EtcdException the refusal etcd gives for the body
     * @throws IllegalArgumentException if {@code rpc} is no KV or lease RPC
     */
    public static EtcdRequest decode(String rpc, String body, long maxRequestBytes) {
        switch (rpc.startsWith("kv/lease/") ? rpc.substring(3) : rpc) {
            case "kv/range": return new EtcdRequest.Kv(GatewayJson.range(body));
            case "kv/put": {
                KvRequest.Put p = GatewayJson.put(body);
                checkMessage(p);
                checkSize(body, maxRequestBytes);
                return new EtcdRequest.Kv(p);
            }
            case "kv/deleterange": {
                KvRequest.DeleteRange d = GatewayJson.deleteRange(body);
                checkMessage(d);
                checkSize(body, maxRequestBytes);
                return new EtcdRequest.Kv(d);
            }
            case "kv/txn": {
                KvRequest.Txn t = GatewayJson.txn(body);
                checkMessage(t);
                checkTxn(t, GatewayJsonDecoder.MAX_TXN_OPS);
                checkSize(body, maxRequestBytes);
                return new EtcdRequest.Kv(t);
            }
            case "kv/compaction": {
                GatewayJson.Compaction c = GatewayJson.compaction(body);
                return new EtcdRequest.Compact(c.revision(), c.physical());
            }
            case "lease/grant": {
                GatewayJson.LeaseGrant g = GatewayJson.leaseGrant(body);
                return new EtcdRequest.LeaseGrant(g.ttl(), g.id());
            }
            case "lease/revoke": return new EtcdRequest.LeaseRevoke(GatewayJson.leaseRevoke(body));
            case "lease/timetolive": {
                GatewayJson.LeaseTimeToLive t = GatewayJson.leaseTimeToLive(body);
                return new EtcdRequest.LeaseTimeToLive(t.id(), t.keys());
            }
            case "lease/leases": {
                GatewayJson.leaseLeases(body);
                return new EtcdRequest.LeaseLeases();
            }
            case "lease/keepalive": return new EtcdRequest.LeaseKeepAlive(GatewayJson.leaseKeepAlive(body));
            default: throw new IllegalArgumentException("not a KV or lease RPC: " + rpc);
        }
    }

    /**
     * Runs a request on a store. An answer larger than {@link #MAX_RESPONSE_BYTES} is refused
     * before it is built into JSON.
     *
     * @throws EtcdException the store's refusal, with etcd's code and message
     */
    public static EtcdReply run(KV kv, EtcdRequest request) {
        if (request instanceof EtcdRequest.Kv k) {
            KvRequest op = k.op();
            if (op instanceof KvRequest.Range r) return new EtcdReply.Kv(sized(kv.range(r)));
            if (op instanceof KvRequest.Put p) return new EtcdReply.Kv(kv.put(p));
            if (op instanceof KvRequest.DeleteRange d) return new EtcdReply.Kv(sized(kv.deleteRange(d)));
            return new EtcdReply.Kv(sized(kv.txn((KvRequest.Txn) op)));
        }
        if (request instanceof EtcdRequest.Compact c) {
            kv.compact(c.revision());
            return new EtcdReply.Compacted(kv.currentRevision());
        }
        if (request instanceof EtcdRequest.LeaseGrant g) return new EtcdReply.Granted(kv.leases().grant(g.id(), g.ttl()));
        if (request instanceof EtcdRequest.LeaseRevoke r) return new EtcdReply.Revoked(kv.leases().revoke(r.id()));
        if (request instanceof EtcdRequest.LeaseTimeToLive t) return new EtcdReply.TimeToLive(kv.leases().timeToLive(t.id(), t.keys()));
        if (request instanceof EtcdRequest.LeaseKeepAlive k) {
            List<EtcdReply.Renewed> renewed = new ArrayList<>();
            for (long id : k.ids()) renewed.add(new EtcdReply.Renewed(id, kv.leases().keepAlive(id)));
            return new EtcdReply.KeptAlive(kv.currentRevision(), renewed);
        }
        return new EtcdReply.LeaseList(kv.currentRevision(), kv.leases().leases());
    }

    /**
     * The answer's JSON as etcd's gateway writes it, under {@code header}'s header for the answer's
     * revision; a keep-alive's messages ({@code {"result":...}}) one per line.
     */
    public static String encode(LongFunction<Header> header, EtcdReply reply) {
        Header h = header.apply(reply.revision());
        if (reply instanceof EtcdReply.Kv k) {
            KvResponse r = k.response();
            if (r instanceof KvResponse.Range range) return GatewayJson.range(h, range);
            if (r instanceof KvResponse.Put put) return GatewayJson.put(h, put);
            if (r instanceof KvResponse.DeleteRange delete) return GatewayJson.deleteRange(h, delete);
            return GatewayJson.txn(h, (KvResponse.Txn) r);
        }
        if (reply instanceof EtcdReply.Compacted) return GatewayJson.compaction(h);
        if (reply instanceof EtcdReply.Granted g) return GatewayJson.leaseGrant(h, g.lease());
        if (reply instanceof EtcdReply.Revoked) return GatewayJson.leaseRevoke(h);
        if (reply instanceof EtcdReply.TimeToLive t) return GatewayJson.leaseTimeToLive(h, t.lease());
        if (reply instanceof EtcdReply.KeptAlive k) {
            List<String> lines = new ArrayList<>();
            for (EtcdReply.Renewed r : k.leases()) lines.add(GatewayJson.leaseKeepAlive(h, r.id(), r.ttl()).strip());
            return String.join("\n", lines);
        }
        return GatewayJson.leaseLeases(h, ((EtcdReply.LeaseList) reply).ids());
    }

    /** The answer, if it is not too large to send (see {@link #MAX_RESPONSE_BYTES}). */
    private static <R extends KvResponse> R sized(R response) {
        long size = MessageSize.of(response);
        if (size > MAX_RESPONSE_BYTES) throw EtcdException.responseMessageTooLarge(size, MAX_RESPONSE_BYTES);
        return response;
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
