package minietcd.kit.harness;

import minietcd.kit.raft.Elector;
import minietcd.kit.raft.Raft;
import minietcd.kit.raft.RaftMessage;
import minietcd.kit.raft.RaftMessage.AppendEntries;
import minietcd.kit.raft.RaftMessage.AppendEntriesReply;
import minietcd.kit.raft.RaftMessage.InstallSnapshot;
import minietcd.kit.raft.RaftState;
import minietcd.kit.raft.Role;

/**
 * A node's side of {@link Appointments}: the kit's elector for lab 1's scenarios. It keeps the
 * {@link Elector} contract that lab 1's classes rely on (a higher term makes a follower, persisted
 * but not synced, so the handler that answers syncs first; a stale leader is told the term; the
 * leader heartbeats every {@code heartbeatTicks} through {@link minietcd.kit.raft.Replicator#broadcastAppend};
 * a new leader's {@link minietcd.kit.raft.Replicator#onBecomeLeader} is called once), and asks the
 * appointments to make it leader when its randomized election timeout passes without word from
 * a leader. Reads fail: ReadIndex is lab 2's.
 */
final class AppointedElector implements Elector {
    private final Raft r;
    private final Appointments appointments;
    private int electionElapsed, heartbeatElapsed, timeout;

    AppointedElector(Raft raft, Appointments appointments) {
        this.r = raft;
        this.appointments = appointments;
        drawTimeout();
    }

    Raft raft() { return r; }

    @Override
    public void tick() {
        if (r.state().role == Role.LEADER) {
            if (++heartbeatElapsed >= r.config().heartbeatTicks()) {
                heartbeatElapsed = 0;
                r.replication().broadcastAppend(0);
            }
            return;
        }
        if (++electionElapsed < timeout) return;
        electionElapsed = 0;
        drawTimeout();
        appointments.appoint(this);
    }

    @Override
    public boolean step(int from, RaftMessage m) {
        RaftState s = r.state();
        if (m.term() > s.term) {
            follow(m.term(), m instanceof AppendEntries || m instanceof InstallSnapshot ? from : 0);
            return true;
        }
        if (m.term() < s.term) {
            if (m instanceof AppendEntries || m instanceof InstallSnapshot) {
                r.storage().sync();
                r.send(from, new AppendEntriesReply(s.term, false, 0, 0, 0, 0));
            }
            return false;
        }
        return true;
    }

    @Override
    public void onRequestVote(int from, RaftMessage.RequestVote m) {
        // nobody campaigns where leaders are appointed
    }

    @Override
    public void onRequestVoteReply(int from, RaftMessage.RequestVoteReply m) {
        // nor answers votes
    }

    @Override
    public void onLeaderContact(int leader) {
        RaftState s = r.state();
        electionElapsed = 0;
        if (s.role != Role.FOLLOWER) follow(s.term, leader);
        s.leader = leader;
    }

    @Override
    public void readIndex(long requestId) {
        r.readFailed(requestId);
    }

    @Override
    public void onReadAck(int from, long readContext) {
        // no reads are pending
    }

    /** Takes up {@code term} as a voter for {@code candidate} would: persisted and synced, election timer reset. */
    void voteFor(long term, int candidate) {
        follow(term, 0);
        r.state().votedFor = candidate;
        r.persistHardState();
        r.storage().sync();
        electionElapsed = 0;
    }

    /** Becomes leader of {@code term}, its own vote persisted and synced, and lets lab 1 start leading. */
    void lead(long term) {
        RaftState s = r.state();
        s.term = term;
        s.votedFor = r.id();
        r.persistHardState();
        r.storage().sync();
        s.role = Role.LEADER;
        s.leader = r.id();
        heartbeatElapsed = 0;
        r.replication().onBecomeLeader();
    }

    private void follow(long term, int leader) {
        RaftState s = r.state();
        if (term != s.term) {
            s.term = term;
            s.votedFor = 0;
            r.persistHardState();
        }
        s.role = Role.FOLLOWER;
        s.leader = leader;
        s.progress.clear();
    }

    private void drawTimeout() {
        int base = r.config().electionTicks();
        timeout = base + r.random().nextInt(base);
    }
}
