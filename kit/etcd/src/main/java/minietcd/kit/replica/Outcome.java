package minietcd.kit.replica;

import minietcd.kit.mvcc.EtcdException;

/** How a client's request to the replicated store ended: the gateway's JSON answer, or etcd's error. */
public sealed interface Outcome {
    /** The answer's JSON; a keep-alive request with several ids gets one line per id. */
    record Answer(String json) implements Outcome {}

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
