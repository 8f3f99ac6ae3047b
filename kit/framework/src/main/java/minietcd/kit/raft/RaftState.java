package minietcd.kit.raft;

import java.util.Map;
import java.util.TreeMap;

/**
 * The state the parts of a Raft node share (Figure 2 of the paper). The labs' classes read and
 * write these fields directly; the invariants below are what the kit's checkers hold them to.
 */
public final class RaftState {
    /** The latest term this node has seen. Never decreases; persisted with votedFor before this node answers in it. */
    public long term;
    /** The candidate this node voted for in {@code term}, or 0. At most one per term, persisted before the vote is sent. */
    public int votedFor;
    /** What this node is in {@code term}. At most one leader per term in the whole cluster (Election Safety). */
    public Role role = Role.FOLLOWER;
    /** The leader of {@code term} as far as this node knows, or 0. */
    public int leader;
    /** The highest index known to be committed. Never decreases within an incarnation; {@code <= log.lastIndex()}. */
    public long commitIndex;
    /** The highest index applied to the state machine. {@code lastApplied <= commitIndex}. */
    public long lastApplied;
    /** On a leader: the progress of each other member, reset when it becomes leader. Empty otherwise. */
    public final Map<Integer, Progress> progress = new TreeMap<>();

    @Override
    public String toString() {
        return role + " term=" + term + " vote=" + votedFor + " leader=" + leader + " commit=" + commitIndex + " applied=" + lastApplied;
    }
}
