package minietcd.kit.raft;

/** Tells the world what a Raft node does for its clients. Called on the node's own thread; must not block. */
public interface RaftListener {
    /** The node applied an entry to its state machine. */
    default void applied(int node, Entry entry) {}

    /** A ReadIndex read finished: with ok, the node's state machine has applied at least {@code index}. */
    default void readDone(int node, long requestId, long index, boolean ok) {}

    RaftListener NONE = new RaftListener() {};
}
