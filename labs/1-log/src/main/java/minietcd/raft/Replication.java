package minietcd.raft;

import java.util.List;
import minietcd.kit.raft.Entry;
import minietcd.kit.raft.Progress;
import minietcd.kit.raft.Raft;
import minietcd.kit.raft.RaftMessage.AppendEntries;
import minietcd.kit.raft.RaftMessage.AppendEntriesReply;
import minietcd.kit.raft.RaftMessage.InstallSnapshot;
import minietcd.kit.raft.RaftMessage.InstallSnapshotReply;
import minietcd.kit.raft.RaftState;
import minietcd.kit.raft.Replicator;
import minietcd.kit.raft.Role;
import minietcd.kit.raft.Snapshot;

/**
 * Lab 1 parts B and C: log replication, commit and apply, and snapshots. The leader keeps a
 * {@link Progress} per follower and sends each one what it misses; followers check that the
 * entries fit their log, store them, sync, and answer. The contract of each method is in
 * {@link Replicator}; the rules are §5.3, §5.4.2 and §7 of the Raft paper.
 */
public final class Replication implements Replicator {
    private final Raft r;

    public Replication(Raft raft) {
        this.r = raft;
    }

    // ---- leader ---------------------------------------------------------------------------

    @Override
    public void onBecomeLeader() {
        // TODO(lab 1 part B): set every follower's progress (nextIndex just past the log), append a no-op of this term, send it out
        throw new UnsupportedOperationException("TODO(lab 1 part B): set every follower's progress (nextIndex just past the log), append a no-op of this term, send it out");
    }

    @Override
    public long propose(String command) {
        // TODO(lab 1 part B): on the leader only: append, sync, and send; return the new index (-1 elsewhere)
        throw new UnsupportedOperationException("TODO(lab 1 part B): on the leader only: append, sync, and send; return the new index (-1 elsewhere)");
    }

    @Override
    public void broadcastAppend(long readContext) {
        // TODO(lab 1 part B): send each follower an AppendEntries from its nextIndex
        throw new UnsupportedOperationException("TODO(lab 1 part B): send each follower an AppendEntries from its nextIndex");
    }


    @Override
    public void onAppendEntriesReply(int from, AppendEntriesReply m) {
        // TODO(lab 1 part B): on success raise matchIndex and nextIndex and try to commit; on failure use the hint to move nextIndex back, and retry
        throw new UnsupportedOperationException("TODO(lab 1 part B): on success raise matchIndex and nextIndex and try to commit; on failure use the hint to move nextIndex back, and retry");
    }


    // ---- follower -------------------------------------------------------------------------

    @Override
    public void onAppendEntries(int from, AppendEntries m) {
        // TODO(lab 1 part B): reject with a conflict hint if prevIndex/prevTerm does not match; else store, sync, advance the commit index, answer, apply
        throw new UnsupportedOperationException("TODO(lab 1 part B): reject with a conflict hint if prevIndex/prevTerm does not match; else store, sync, advance the commit index, answer, apply");
    }

    // TODO(lab 1 part B): after the commit index moves, apply every committed entry not applied yet, in order (Raft.apply)
    // TODO(lab 1 part C): then, when the log keeps more than config().snapshotEntries() applied entries,
    //                     compact it into a snapshot of the state machine at lastApplied (Raft.snapshotData)


    // ---- snapshots (part C) -----------------------------------------------------------------

    @Override
    public void onInstallSnapshot(int from, InstallSnapshot m) {
        // TODO(lab 1 part C): install a snapshot newer than the commit index (log and state machine), sync, answer with the snapshot's index
        throw new UnsupportedOperationException("TODO(lab 1 part C): install a snapshot newer than the commit index (log and state machine), sync, answer with the snapshot's index");
    }

    @Override
    public void onInstallSnapshotReply(int from, InstallSnapshotReply m) {
        // TODO(lab 1 part C): the follower now holds everything up to m.lastIndex(): update its progress, commit, and go on
        throw new UnsupportedOperationException("TODO(lab 1 part C): the follower now holds everything up to m.lastIndex(): update its progress, commit, and go on");
    }
}
