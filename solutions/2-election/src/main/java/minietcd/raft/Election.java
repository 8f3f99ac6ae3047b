package minietcd.raft;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import minietcd.kit.raft.Elector;
import minietcd.kit.raft.Raft;
import minietcd.kit.raft.RaftMessage;
import minietcd.kit.raft.RaftMessage.AppendEntries;
import minietcd.kit.raft.RaftMessage.AppendEntriesReply;
import minietcd.kit.raft.RaftMessage.InstallSnapshot;
import minietcd.kit.raft.RaftMessage.RequestVote;
import minietcd.kit.raft.RaftMessage.RequestVoteReply;
import minietcd.kit.raft.RaftState;
import minietcd.kit.raft.Role;

/**
 * Lab 2: terms, votes, randomized election timeouts and heartbeats (part A); the up-to-date check
 * and persisted term and vote (part B); PreVote, CheckQuorum and ReadIndex (part C). Time is
 * counted in ticks, as etcd does: no wall clock, and the only randomness is {@link Raft#random()}.
 * The contract of each method is in {@link Elector}.
 */
public final class Election implements Elector {
    private final Raft r;
    // BEGIN SOLUTION
    /** Ticks since the last reset: leader contact or a granted vote for followers, campaign start for candidates. */
    private int electionElapsed;
    /** Ticks since the leader's last heartbeat. */
    private int heartbeatElapsed;
    /** This term's election timeout, drawn from [electionTicks, 2 * electionTicks). */
    private int randomizedTimeout;
    /** Members that granted this node's current (pre-)campaign, itself included. */
    private final Set<Integer> votes = new TreeSet<>();
    /** ReadIndex reads waiting for a quorum's confirmation, by the read context sent for them. */
    private final Map<Long, PendingRead> reads = new TreeMap<>();
    private long lastReadContext;

    private static final class PendingRead {
        final long requestId, index;
        final Set<Integer> acks = new TreeSet<>();

        PendingRead(long requestId, long index, int self) {
            this.requestId = requestId;
            this.index = index;
            acks.add(self);
        }
    }
    // END SOLUTION

    public Election(Raft raft) {
        this.r = raft;
        // TODO(lab 2 part A): draw the first randomized election timeout
        // BEGIN SOLUTION
        resetTimeout();
        // END SOLUTION
    }

    // ---- part A: timeouts, terms, votes ---------------------------------------------------

    @Override
    public void tick() {
        // TODO(lab 2 part A): followers and candidates campaign after their randomized timeout; a leader heartbeats (part C: and checks its quorum)
        // BEGIN SOLUTION
        RaftState s = r.state();
        electionElapsed++;
        if (s.role != Role.LEADER) {
            if (electionElapsed >= randomizedTimeout) campaign(r.config().preVote());
            return;
        }
        if (r.config().checkQuorum() && electionElapsed >= r.config().electionTicks()) {
            electionElapsed = 0;
            if (!quorumActive()) {
                becomeFollower(s.term, 0);
                return;
            }
        }
        if (++heartbeatElapsed >= r.config().heartbeatTicks()) {
            heartbeatElapsed = 0;
            r.replication().broadcastAppend(0);
        }
        // END SOLUTION
    }

    @Override
    public boolean step(int from, RaftMessage m) {
        // TODO(lab 2 part A): a higher term makes this node a follower; stale messages are dropped, stale leaders told the term (part C: PreVote and leader lease exceptions)
        // BEGIN SOLUTION
        RaftState s = r.state();
        if (m.term() > s.term) {
            if (m instanceof RequestVote v) {
                boolean inLease = r.config().checkQuorum() && s.leader != 0 && electionElapsed < r.config().electionTicks();
                if (inLease) return false;
                if (v.preVote()) return true;
            }
            if (m instanceof RequestVoteReply v && v.preVote() && v.granted()) return true;
            boolean fromLeader = m instanceof AppendEntries || m instanceof InstallSnapshot;
            becomeFollower(m.term(), fromLeader ? from : 0);
            return true;
        }
        if (m.term() < s.term) {
            if (m instanceof AppendEntries || m instanceof InstallSnapshot) {
                r.storage().sync();
                r.send(from, new AppendEntriesReply(s.term, false, 0, 0, 0, 0));
            } else if (m instanceof RequestVote v && v.preVote()) {
                r.storage().sync();
                r.send(from, new RequestVoteReply(s.term, false, true));
            }
            return false;
        }
        return true;
        // END SOLUTION
    }

    @Override
    public void onRequestVote(int from, RequestVote m) {
        // TODO(lab 2 part A): grant at most one vote per term (part B: only to an up-to-date log; persist and sync before answering)
        // BEGIN SOLUTION
        RaftState s = r.state();
        boolean upToDate = m.lastLogTerm() > r.log().lastTerm()
                || (m.lastLogTerm() == r.log().lastTerm() && m.lastLogIndex() >= r.log().lastIndex());
        if (m.preVote()) {
            boolean grant = m.term() > s.term && upToDate;
            r.storage().sync();
            r.send(from, new RequestVoteReply(grant ? m.term() : s.term, grant, true));
            return;
        }
        boolean grant = (s.votedFor == 0 || s.votedFor == m.candidate()) && upToDate;
        if (grant) {
            s.votedFor = m.candidate();
            r.persistHardState();
            electionElapsed = 0;
        }
        r.storage().sync();
        r.send(from, new RequestVoteReply(s.term, grant, false));
        // END SOLUTION
    }

    @Override
    public void onRequestVoteReply(int from, RequestVoteReply m) {
        // TODO(lab 2 part A): count granted votes; a majority makes this candidate leader (part C: a pre-vote majority starts the real election)
        // BEGIN SOLUTION
        RaftState s = r.state();
        if (m.preVote()) {
            if (s.role != Role.PRE_CANDIDATE || m.term() != s.term + 1 || !m.granted()) return;
            votes.add(from);
            if (votes.size() >= r.quorum()) campaign(false);
            return;
        }
        if (s.role != Role.CANDIDATE || m.term() != s.term || !m.granted()) return;
        votes.add(from);
        if (votes.size() >= r.quorum()) becomeLeader();
        // END SOLUTION
    }

    @Override
    public void onLeaderContact(int leader) {
        // TODO(lab 2 part A): remember the leader, reset the election timeout, and stop campaigning
        // BEGIN SOLUTION
        RaftState s = r.state();
        s.leader = leader;
        electionElapsed = 0;
        if (s.role != Role.FOLLOWER) becomeFollower(s.term, leader);
        // END SOLUTION
    }

    // BEGIN SOLUTION
    /** Starts a pre-vote (nothing persisted, term unchanged) or a real election in the next term. */
    private void campaign(boolean preVote) {
        RaftState s = r.state();
        electionElapsed = 0;
        resetTimeout();
        votes.clear();
        votes.add(r.id());
        s.leader = 0;
        long voteTerm;
        if (preVote) {
            s.role = Role.PRE_CANDIDATE;
            voteTerm = s.term + 1;
        } else {
            s.role = Role.CANDIDATE;
            s.term++;
            s.votedFor = r.id();
            r.persistHardState();
            voteTerm = s.term;
        }
        r.storage().sync();
        if (votes.size() >= r.quorum()) {
            if (preVote) campaign(false);
            else becomeLeader();
            return;
        }
        for (int peer : r.peers())
            r.send(peer, new RequestVote(voteTerm, r.id(), r.log().lastIndex(), r.log().lastTerm(), preVote));
    }

    private void becomeFollower(long term, int leader) {
        RaftState s = r.state();
        if (term != s.term) {
            s.term = term;
            s.votedFor = 0;
            r.persistHardState();
        }
        if (s.role == Role.LEADER) electionElapsed = 0; // a deposed leader waits a whole timeout before campaigning
        s.role = Role.FOLLOWER;
        s.leader = leader;
        s.progress.clear();
        // The election timer is not reset here: only leader contact and a granted vote reset it (§5.2).
        // Resetting it on every higher term would let a candidate whose log can never win keep the
        // one node that can win from ever campaigning.
        failReads();
    }

    private void becomeLeader() {
        RaftState s = r.state();
        s.role = Role.LEADER;
        s.leader = r.id();
        electionElapsed = 0;
        heartbeatElapsed = 0;
        r.replication().onBecomeLeader();
    }

    private void resetTimeout() {
        int base = r.config().electionTicks();
        randomizedTimeout = base + r.random().nextInt(base);
    }

    /** CheckQuorum: has a majority (this leader included) been heard from within an election timeout? */
    private boolean quorumActive() {
        long window = (long) r.config().electionTicks() * r.config().tickMillis();
        int active = 1;
        for (int peer : r.peers()) if (r.lastHeard(peer) >= r.now() - window) active++; // never heard: Long.MIN_VALUE
        return active >= r.quorum();
    }

    private void failReads() {
        for (PendingRead read : reads.values()) r.readFailed(read.requestId);
        reads.clear();
    }
    // END SOLUTION

    // ---- part C: ReadIndex ------------------------------------------------------------------

    @Override
    public void readIndex(long requestId) {
        // TODO(lab 2 part C): a leader that has committed in its term notes its commit index and confirms its leadership with a quorum; others fail the read
        // BEGIN SOLUTION
        RaftState s = r.state();
        if (s.role != Role.LEADER || r.log().term(s.commitIndex) != s.term) {
            r.readFailed(requestId);
            return;
        }
        if (r.quorum() == 1) {
            r.readReady(requestId, s.commitIndex);
            return;
        }
        long context = ++lastReadContext;
        reads.put(context, new PendingRead(requestId, s.commitIndex, r.id()));
        r.replication().broadcastAppend(context);
        // END SOLUTION
    }

    @Override
    public void onReadAck(int from, long readContext) {
        // TODO(lab 2 part C): an echo of a read context confirms every read sent up to it; serve those a quorum confirmed
        // BEGIN SOLUTION
        if (r.state().role != Role.LEADER) return;
        var it = reads.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            if (e.getKey() > readContext) break;
            e.getValue().acks.add(from);
            if (e.getValue().acks.size() >= r.quorum()) {
                r.readReady(e.getValue().requestId, e.getValue().index);
                it.remove();
            }
        }
        // END SOLUTION
    }
}
