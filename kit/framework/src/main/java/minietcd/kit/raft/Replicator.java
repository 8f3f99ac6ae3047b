package minietcd.kit.raft;

import minietcd.kit.raft.RaftMessage.AppendEntries;
import minietcd.kit.raft.RaftMessage.AppendEntriesReply;
import minietcd.kit.raft.RaftMessage.InstallSnapshot;
import minietcd.kit.raft.RaftMessage.InstallSnapshotReply;

/**
 * Lab 1 parts B and C: log replication, commit and apply (§5.3, §5.4.2 and §7 of the Raft paper).
 * Handlers run only for messages of the current term: {@link Elector#step} dealt with the others.
 * Must not block; talks to the world only through {@link Raft}.
 */
public interface Replicator {
    /** This node just became leader of the current term: reset every follower's progress and append a no-op. */
    void onBecomeLeader();

    /** A client's command: the leader appends it and starts replicating it. Returns its index, or -1 if this node is not leader. */
    long propose(String command);

    /**
     * The leader sends each follower what it is missing (entries from its nextIndex, or the snapshot
     * when those were compacted away), or an empty AppendEntries as a heartbeat.
     * A non-zero {@code readContext} is carried along for ReadIndex.
     */
    void broadcastAppend(long readContext);

    /**
     * A follower (or a candidate, which the leader's contact made a follower) handles the leader's
     * entries: if its log does not match {@code m.prevIndex()}/{@code m.prevTerm()} it rejects with
     * a conflict hint; else it stores them ({@link Log#appendFromLeader}), moves its commit index
     * to at most what this batch vouches for (the leader's commit, capped at the batch's last
     * index), applies what is newly committed, and replies. Before replying it syncs whatever the
     * step wrote (a reply, success or not, promises what is on disk). Called only with
     * {@code m.term()} equal to the current term.
     */
    void onAppendEntries(int from, AppendEntries m);

    /**
     * The leader handles a follower's answer: on success it raises that follower's matchIndex and
     * nextIndex (never lowering them: replies can be stale or duplicated) and commits the highest
     * index that a majority holds, if that entry is of the current term; on a rejection it moves
     * nextIndex back using the hint and sends again. Called only on the leader, for replies of the
     * current term.
     */
    void onAppendEntriesReply(int from, AppendEntriesReply m);

    /**
     * Lab 1 part C. A follower handles the leader's snapshot: one older than what it has committed
     * is answered without changing anything; otherwise it compacts its log to it
     * ({@link Log#compact}), gives it to the state machine ({@link Raft#restore}), moves its commit
     * and applied indexes to it, syncs, and replies. Called only with the current term.
     */
    void onInstallSnapshot(int from, InstallSnapshot m);

    /**
     * Lab 1 part C. The leader handles the answer to a snapshot it sent: that follower now holds
     * everything up to the snapshot's index (matchIndex and nextIndex rise to it, never fall).
     */
    void onInstallSnapshotReply(int from, InstallSnapshotReply m);
}
