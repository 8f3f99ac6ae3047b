package minietcd.kit.etcd;

import java.util.List;
import minietcd.kit.mvcc.KvRequest;

/**
 * One unary request of etcd's KV and lease API, as the kit's records: what a client asks and what
 * a replicated store's log carries, whichever client sent it (the JSON gateway, a simulated client,
 * lab 5's API server). JSON exists only at the edge: {@link GatewayRpc#decode} reads a gateway body
 * into one of these, {@link RequestJson} writes one back.
 */
public sealed interface EtcdRequest {
    /** A range, put, delete or txn. */
    record Kv(KvRequest op) implements EtcdRequest {}

    /** Compact the history up to {@code revision}; {@code physical} waits for the compaction to be applied. */
    record Compact(long revision, boolean physical) implements EtcdRequest {}

    /** Grant a lease of {@code ttl} seconds; {@code id} 0 lets the server choose. */
    record LeaseGrant(long ttl, long id) implements EtcdRequest {}

    record LeaseRevoke(long id) implements EtcdRequest {}

    /** Renew each lease of {@code ids}, in order (one keep-alive stream's requests). */
    record LeaseKeepAlive(List<Long> ids) implements EtcdRequest {
        public LeaseKeepAlive {
            ids = List.copyOf(ids);
        }
    }

    /** How long lease {@code id} has left; {@code keys} asks for the keys attached to it. */
    record LeaseTimeToLive(long id, boolean keys) implements EtcdRequest {}

    /** Every lease's id. */
    record LeaseLeases() implements EtcdRequest {}

    /**
     * Whether it only reads, so a replicated store serves it without the log (after a read index,
     * unless {@link #isSerializable}): a range, a lease lookup, or a txn whose every op, nested ones
     * included, is a range (etcd serves such a txn as it serves a range).
     */
    default boolean isRead() {
        return this instanceof Kv k ? readOnly(k.op()) : this instanceof LeaseTimeToLive || this instanceof LeaseLeases;
    }

    /** Whether a read may be served from a member's own store at once: a serializable range, or a txn of serializable ranges only. */
    default boolean isSerializable() {
        return this instanceof Kv k && serializable(k.op());
    }

    private static boolean readOnly(KvRequest op) {
        if (op instanceof KvRequest.Range) return true;
        if (!(op instanceof KvRequest.Txn t)) return false;
        for (List<KvRequest> ops : List.of(t.success(), t.failure())) for (KvRequest o : ops) if (!readOnly(o)) return false;
        return true;
    }

    private static boolean serializable(KvRequest op) {
        if (op instanceof KvRequest.Range r) return r.serializable();
        if (!(op instanceof KvRequest.Txn t)) return false;
        for (List<KvRequest> ops : List.of(t.success(), t.failure())) for (KvRequest o : ops) if (!serializable(o)) return false;
        return true;
    }
}
