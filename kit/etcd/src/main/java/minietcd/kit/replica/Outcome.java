package minietcd.kit.replica;

import minietcd.kit.etcd.EtcdReply;
import minietcd.kit.etcd.GatewayRpc;
import minietcd.kit.etcd.Header;
import minietcd.kit.mvcc.EtcdException;

/** How a client's request to the replicated store ended: the store's answer, or etcd's error. */
public sealed interface Outcome {
    /** The store's answer, with the header of the member that answered. */
    record Answer(Header header, EtcdReply reply) implements Outcome {
        /** The answer as etcd's gateway writes it; a keep-alive request with several ids gets one line per id. */
        public String json() {
            return GatewayRpc.encode(revision -> header, reply);
        }
    }

    record Refused(EtcdException error) implements Outcome {}

    /** etcd's answer to a write that did not commit in time (a lost quorum, a lost leader). */
    static Refused writeTimedOut() {
        return new Refused(new EtcdException(EtcdException.UNKNOWN, "context deadline exceeded"));
    }

    /** etcd's answer to a linearizable read that could not be confirmed in time. */
    static Refused readTimedOut() {
        return new Refused(new EtcdException(EtcdException.UNAVAILABLE, "etcdserver: request timed out"));
    }
}
