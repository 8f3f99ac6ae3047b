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

    void onAppendEntries(int from, AppendEntries m);

    void onAppendEntriesReply(int from, AppendEntriesReply m);

    void onInstallSnapshot(int from, InstallSnapshot m);

    void onInstallSnapshotReply(int from, InstallSnapshotReply m);
}
