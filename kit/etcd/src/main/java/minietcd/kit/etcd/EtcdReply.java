package minietcd.kit.etcd;

import java.util.List;
import minietcd.kit.mvcc.KvResponse;
import minietcd.kit.mvcc.Leases;

/**
 * The store's answer to one {@link EtcdRequest}, as the kit's records; the gateway writes it as
 * JSON with {@link GatewayRpc#encode}, under a member's {@link Header}. {@link #revision()} is the
 * header's revision.
 */
public sealed interface EtcdReply {
    long revision();

    /** The answer to a range, put, delete or txn. */
    record Kv(KvResponse response) implements EtcdReply {
        @Override public long revision() { return response.revision(); }
    }

    record Compacted(long revision) implements EtcdReply {}

    record Granted(Leases.Granted lease) implements EtcdReply {
        @Override public long revision() { return lease.revision(); }
    }

    record Revoked(long revision) implements EtcdReply {}

    /** One renewed lease: {@code ttl} 0 when the lease does not exist. */
    record Renewed(long id, long ttl) {}

    /** The answers to a keep-alive's requests, in order, all at {@code revision}. */
    record KeptAlive(long revision, List<Renewed> leases) implements EtcdReply {
        public KeptAlive {
            leases = List.copyOf(leases);
        }
    }

    record TimeToLive(Leases.TimeToLive lease) implements EtcdReply {
        @Override public long revision() { return lease.revision(); }
    }

    record LeaseList(long revision, List<Long> ids) implements EtcdReply {
        public LeaseList {
            ids = List.copyOf(ids);
        }
    }
}
