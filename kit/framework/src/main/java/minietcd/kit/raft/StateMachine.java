package minietcd.kit.raft;

/**
 * What the log drives. Implementations must be deterministic: the same commands in the same order
 * give the same state on every node.
 */
public interface StateMachine {
    /** Applies one committed entry; called in index order, exactly once per entry per incarnation. */
    void apply(Entry entry);

    /**
     * The state after the last applied entry, as text. A state machine that keeps its state durably
     * on its own may give a reference to it instead, and the whole state where it is sent to a peer
     * (the replicated store does, as etcd does).
     */
    String snapshot();

    /** Replaces the state with a snapshot's. */
    void restore(String data);
}
