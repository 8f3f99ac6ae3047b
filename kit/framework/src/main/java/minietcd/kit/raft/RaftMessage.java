package minietcd.kit.raft;

import java.util.List;
import minietcd.kit.node.Message;

/** The messages of Raft (Figure 2 of the paper, plus PreVote and InstallSnapshot). Every one carries its sender's term. */
public sealed interface RaftMessage extends Message {
    long term();

    /**
     * Whether {@code m} may leave a node whose writes are not yet synced: only a leader's
     * AppendEntries and InstallSnapshot, since a leader may replicate its log while writing it (it
     * counts its own copy toward a commit only once synced). Every other message, a reply above all,
     * speaks for state that must be durable first.
     */
    static boolean mayPrecedeSync(Message m) {
        return m instanceof AppendEntries || m instanceof InstallSnapshot;
    }

    /**
     * A candidate asks for a vote. With {@code preVote}, it asks whether it could win an election in
     * {@code term} without starting one: nobody changes term or vote for a pre-vote.
     */
    record RequestVote(long term, int candidate, long lastLogIndex, long lastLogTerm, boolean preVote) implements RaftMessage {}

    /** The answer to {@link RequestVote}, with the same {@code preVote}. */
    record RequestVoteReply(long term, boolean granted, boolean preVote) implements RaftMessage {}

    /**
     * The leader sends entries that follow {@code prevIndex}; with none it is a heartbeat.
     * {@code readContext} is non-zero when the leader also wants to confirm it still leads, for a
     * ReadIndex read; the follower echoes it.
     */
    record AppendEntries(long term, int leader, long prevIndex, long prevTerm, List<Entry> entries, long leaderCommit, long readContext)
            implements RaftMessage {
        public AppendEntries {
            entries = List.copyOf(entries);
        }

        @Override
        public String toString() {
            return "AppendEntries[term=" + term + ", leader=" + leader + ", prev=" + prevIndex + "@" + prevTerm
                    + ", entries=" + entries + ", commit=" + leaderCommit + (readContext != 0 ? ", read=" + readContext : "") + "]";
        }
    }

    /**
     * The answer to {@link AppendEntries}. On success, {@code matchIndex} is the last index the
     * follower now holds in agreement with the leader. On failure, the hint: {@code conflictTerm}
     * is the term of the follower's entry at prevIndex (0 if it has none there) and
     * {@code conflictIndex} is the first index it holds of that term (or its last index + 1 if it
     * has no entry at prevIndex), so the leader can skip a whole term at a time.
     */
    record AppendEntriesReply(long term, boolean success, long matchIndex, long conflictIndex, long conflictTerm, long readContext)
            implements RaftMessage {}

    /** The leader sends its snapshot to a follower that needs entries the leader has compacted away. */
    record InstallSnapshot(long term, int leader, Snapshot snapshot) implements RaftMessage {}

    /** The answer to {@link InstallSnapshot}: the follower's log now starts after {@code lastIndex}. */
    record InstallSnapshotReply(long term, long lastIndex) implements RaftMessage {}
}
