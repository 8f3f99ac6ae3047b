package minietcd.kit.server;

import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import minietcd.kit.etcd.EtcdRequest;
import minietcd.kit.replica.Outcome;
import minietcd.kit.replica.StoreNode;
import minietcd.kit.watch.Watchable;

/**
 * One member of a replicated store, as the gateway serves it: KV and lease RPCs go to the member's
 * node and their answers come back later; watches, status and the member list are read from the
 * member's state under its lock.
 */
public interface Replica {
    /** A member as the member list shows it. */
    record Peer(long id, String name, String peerUrl, String clientUrl) {}

    /** Held by the member's event loop while it runs handlers; hold it to use {@link #store()} or {@link #status()}. */
    ReentrantLock lock();

    /** The member's watchable store (it may be a new object after a snapshot from the leader). Lock held. */
    Watchable store();

    /** The member's Raft view. Lock held. */
    StoreNode.Status status();

    /** Every member of the cluster, this one included. */
    List<Peer> members();

    /** This member's id. */
    long memberId();

    /** The member's current term, readable without the lock. */
    long raftTerm();

    /** Hands a checked KV or lease request to the member's node; {@code reply} runs once, on another thread. Never blocks. */
    void submit(EtcdRequest request, Consumer<Outcome> reply);
}
