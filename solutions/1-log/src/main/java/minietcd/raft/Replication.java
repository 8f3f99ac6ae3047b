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
        // BEGIN SOLUTION
        RaftState s = r.state();
        s.progress.clear();
        for (int peer : r.peers()) s.progress.put(peer, new Progress(r.log().lastIndex() + 1));
        r.log().append(s.term, "");
        r.storage().sync();
        maybeCommit();
        broadcastAppend(0);
        // END SOLUTION
    }

    @Override
    public long propose(String command) {
        // TODO(lab 1 part B): on the leader only: append, sync, and send; return the new index (-1 elsewhere)
        // BEGIN SOLUTION
        if (r.state().role != Role.LEADER) return -1;
        long index = r.log().append(r.state().term, command);
        r.storage().sync();
        maybeCommit();
        broadcastAppend(0);
        return index;
        // END SOLUTION
    }

    @Override
    public void broadcastAppend(long readContext) {
        // TODO(lab 1 part B): send each follower an AppendEntries from its nextIndex
        // BEGIN SOLUTION
        for (int peer : r.peers()) sendAppend(peer, readContext);
        // END SOLUTION
    }

    // BEGIN SOLUTION
    /** Sends {@code peer} the entries from its nextIndex on, or the snapshot if they are compacted away (part C). */
    private void sendAppend(int peer, long readContext) {
        RaftState s = r.state();
        Progress p = s.progress.get(peer);
        if (p.nextIndex < r.log().firstIndex()) {
            r.send(peer, new InstallSnapshot(s.term, r.id(), r.log().snapshot()));
            p.nextIndex = r.log().snapshot().index() + 1; // sent once; if it is lost, the next append is refused and this comes round again
            return;
        }
        long prev = p.nextIndex - 1;
        List<Entry> entries = r.log().entries(p.nextIndex, r.config().maxEntriesPerAppend());
        r.send(peer, new AppendEntries(s.term, r.id(), prev, r.log().term(prev), entries, s.commitIndex, readContext));
        // Pipelining: what was just sent is not sent again with the next message. If it is lost, the
        // follower refuses the next append (its prevIndex is past the follower's log) and the hint in
        // that refusal moves nextIndex back.
        p.nextIndex += entries.size();
    }
    // END SOLUTION

    @Override
    public void onAppendEntriesReply(int from, AppendEntriesReply m) {
        // TODO(lab 1 part B): on success raise matchIndex and nextIndex and try to commit; on failure use the hint to move nextIndex back, and retry
        // BEGIN SOLUTION
        RaftState s = r.state();
        Progress p = s.progress.get(from);
        if (s.role != Role.LEADER || p == null) return;
        if (m.success()) {
            if (m.matchIndex() > p.matchIndex) p.matchIndex = m.matchIndex();
            p.nextIndex = Math.max(p.nextIndex, p.matchIndex + 1);
            if (maybeCommit()) broadcastAppend(0);
            else if (p.nextIndex <= r.log().lastIndex()) sendAppend(from, 0);
            return;
        }
        long next = m.conflictIndex();
        if (m.conflictTerm() > 0) {
            long last = lastIndexOfTerm(m.conflictTerm());
            if (last > 0) next = last + 1;
        }
        p.nextIndex = Math.max(p.matchIndex + 1, Math.min(next, r.log().lastIndex() + 1));
        sendAppend(from, 0);
        // END SOLUTION
    }

    // BEGIN SOLUTION
    /** The last index of an entry of {@code term} in the leader's log, or 0 if it has none. */
    private long lastIndexOfTerm(long term) {
        for (long i = r.log().lastIndex(); i >= r.log().firstIndex(); i--) {
            long t = r.log().term(i);
            if (t == term) return i;
            if (t < term) return 0;
        }
        return 0;
    }

    /**
     * Commits the highest index of the current term that a majority holds (entries of earlier
     * terms are committed with it, never by counting their own replicas: Figure 8).
     */
    private boolean maybeCommit() {
        RaftState s = r.state();
        for (long n = r.log().lastIndex(); n > s.commitIndex && n >= r.log().firstIndex(); n--) {
            if (r.log().term(n) != s.term) return false;
            int count = 1;
            for (var p : s.progress.values()) if (p.matchIndex >= n) count++;
            if (count >= r.quorum()) {
                s.commitIndex = n;
                applyCommitted();
                return true;
            }
        }
        return false;
    }
    // END SOLUTION

    // ---- follower -------------------------------------------------------------------------

    @Override
    public void onAppendEntries(int from, AppendEntries m) {
        // TODO(lab 1 part B): reject with a conflict hint if prevIndex/prevTerm does not match; else store, sync, advance the commit index, answer, apply
        // BEGIN SOLUTION
        RaftState s = r.state();
        if (!r.log().matches(m.prevIndex(), m.prevTerm())) {
            long conflictIndex, conflictTerm;
            if (m.prevIndex() > r.log().lastIndex()) {
                conflictTerm = 0;
                conflictIndex = r.log().lastIndex() + 1;
            } else {
                conflictTerm = r.log().term(m.prevIndex());
                conflictIndex = m.prevIndex();
                while (conflictIndex > r.log().firstIndex() && r.log().term(conflictIndex - 1) == conflictTerm) conflictIndex--;
            }
            r.storage().sync();
            r.send(from, new AppendEntriesReply(s.term, false, 0, conflictIndex, conflictTerm, m.readContext()));
            return;
        }
        long last = r.log().appendFromLeader(m.prevIndex(), m.entries(), s.commitIndex);
        r.storage().sync();
        if (m.leaderCommit() > s.commitIndex) s.commitIndex = Math.max(s.commitIndex, Math.min(m.leaderCommit(), last));
        r.send(from, new AppendEntriesReply(s.term, true, last, 0, 0, m.readContext()));
        applyCommitted();
        // END SOLUTION
    }

    // TODO(lab 1 part B): after the commit index moves, apply every committed entry not applied yet, in order (Raft.apply)
    // TODO(lab 1 part C): then, when the log keeps more than config().snapshotEntries() applied entries,
    //                     compact it into a snapshot of the state machine at lastApplied (Raft.snapshotData)

    // BEGIN SOLUTION
    /** Applies every committed entry not applied yet, in order, then compacts if the log grew too long (part C). */
    private void applyCommitted() {
        RaftState s = r.state();
        while (s.lastApplied < s.commitIndex) r.apply(r.log().entry(s.lastApplied + 1));
        int keep = r.config().snapshotEntries();
        if (keep > 0 && s.lastApplied - r.log().snapshot().index() > keep)
            r.log().compact(new Snapshot(s.lastApplied, r.log().term(s.lastApplied), r.snapshotData()));
    }
    // END SOLUTION

    // ---- snapshots (part C) -----------------------------------------------------------------

    @Override
    public void onInstallSnapshot(int from, InstallSnapshot m) {
        // TODO(lab 1 part C): install a snapshot newer than the commit index (log and state machine), sync, answer with the snapshot's index
        // BEGIN SOLUTION
        Snapshot snap = m.snapshot();
        if (snap.index() > r.state().commitIndex) {
            r.log().compact(snap);
            r.restore(snap);
        }
        r.storage().sync();
        r.send(from, new InstallSnapshotReply(r.state().term, snap.index()));
        // END SOLUTION
    }

    @Override
    public void onInstallSnapshotReply(int from, InstallSnapshotReply m) {
        // TODO(lab 1 part C): the follower now holds everything up to m.lastIndex(): update its progress, commit, and go on
        // BEGIN SOLUTION
        RaftState s = r.state();
        Progress p = s.progress.get(from);
        if (s.role != Role.LEADER || p == null) return;
        p.matchIndex = Math.max(p.matchIndex, m.lastIndex());
        p.nextIndex = Math.max(p.nextIndex, p.matchIndex + 1);
        if (maybeCommit()) broadcastAppend(0);
        else if (p.nextIndex <= r.log().lastIndex()) sendAppend(from, 0);
        // END SOLUTION
    }
}
