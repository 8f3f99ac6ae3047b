package minietcd.kit.raft;

import minietcd.kit.raft.RaftMessage.RequestVote;
import minietcd.kit.raft.RaftMessage.RequestVoteReply;

/**
 * Lab 2: terms, elections and leadership (§5.1, §5.2, §5.4.1 of the Raft paper; PreVote,
 * CheckQuorum and ReadIndex from §9.6 and §6.4 of Ongaro's thesis). Must not block; talks to the
 * world only through {@link Raft}.
 */
public interface Elector {
    /** Called once per {@link RaftConfig#tickMillis()}: followers and candidates count toward an election, leaders toward a heartbeat. */
    void tick();

    /**
     * The term rules every incoming message passes first: a higher term makes this node a
     * follower of it (with the exceptions PreVote and CheckQuorum make), a stale message is
     * answered or dropped. Returns whether the message should go on to its handler, in which case
     * its term is the current term (or it is a pre-vote message).
     */
    boolean step(int from, RaftMessage m);

    /**
     * A candidate (or, with PreVote, a would-be candidate) asks for this node's vote. It is granted
     * only if this node has not voted for another in this term and the candidate's log is at least
     * as up to date as its own (§5.4.1: the last term, then the last index); a granted real vote is
     * persisted and synced before the reply leaves, and resets the election timer. A pre-vote
     * changes nothing that is persisted. Called after {@link #step} let the message through.
     */
    void onRequestVote(int from, RequestVote m);

    /**
     * A candidate counts the answers to its request: with a majority of grants in its term (its own
     * vote included) it becomes leader and calls {@link Replicator#onBecomeLeader}; a pre-candidate
     * with a majority starts the real election. Answers of other terms or roles are ignored.
     */
    void onRequestVoteReply(int from, RequestVoteReply m);

    /**
     * An AppendEntries or InstallSnapshot of the current term came from {@code leader}: a
     * candidate steps down to follower; every follower notes its leader and restarts its
     * election timeout (and, for CheckQuorum, that it heard from a live leader).
     */
    void onLeaderContact(int leader);

    /**
     * Lab 2 part C: a linearizable read. The leader notes its commit index, confirms with a quorum
     * that it still leads, and then calls {@link Raft#readReady}. Any other node answers at once
     * with {@link Raft#readFailed}.
     */
    void readIndex(long requestId);

    /** A follower echoed {@code readContext} in an AppendEntries reply of the current term. */
    void onReadAck(int from, long readContext);
}
