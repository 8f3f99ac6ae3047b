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

    public Election(Raft raft) {
        this.r = raft;
        // TODO(lab 2 part A): draw the first randomized election timeout
        throw new UnsupportedOperationException("TODO(lab 2 part A): draw the first randomized election timeout");
    }

    // ---- part A: timeouts, terms, votes ---------------------------------------------------

    @Override
    public void tick() {
        // TODO(lab 2 part A): followers and candidates campaign after their randomized timeout; a leader heartbeats (part C: and checks its quorum)
        throw new UnsupportedOperationException("TODO(lab 2 part A): followers and candidates campaign after their randomized timeout; a leader heartbeats (part C: and checks its quorum)");
    }

    @Override
    public boolean step(int from, RaftMessage m) {
        // TODO(lab 2 part A): a higher term makes this node a follower; stale messages are dropped, stale leaders told the term (part C: PreVote and leader lease exceptions)
        throw new UnsupportedOperationException("TODO(lab 2 part A): a higher term makes this node a follower; stale messages are dropped, stale leaders told the term (part C: PreVote and leader lease exceptions)");
    }

    @Override
    public void onRequestVote(int from, RequestVote m) {
        // TODO(lab 2 part A): grant at most one vote per term (part B: only to an up-to-date log; persist and sync before answering)
        throw new UnsupportedOperationException("TODO(lab 2 part A): grant at most one vote per term (part B: only to an up-to-date log; persist and sync before answering)");
    }

    @Override
    public void onRequestVoteReply(int from, RequestVoteReply m) {
        // TODO(lab 2 part A): count granted votes; a majority makes this candidate leader (part C: a pre-vote majority starts the real election)
        throw new UnsupportedOperationException("TODO(lab 2 part A): count granted votes; a majority makes this candidate leader (part C: a pre-vote majority starts the real election)");
    }

    @Override
    public void onLeaderContact(int leader) {
        // TODO(lab 2 part A): remember the leader, reset the election timeout, and stop campaigning
        throw new UnsupportedOperationException("TODO(lab 2 part A): remember the leader, reset the election timeout, and stop campaigning");
    }


    // ---- part C: ReadIndex ------------------------------------------------------------------

    @Override
    public void readIndex(long requestId) {
        // TODO(lab 2 part C): a leader that has committed in its term notes its commit index and confirms its leadership with a quorum; others fail the read
        throw new UnsupportedOperationException("TODO(lab 2 part C): a leader that has committed in its term notes its commit index and confirms its leadership with a quorum; others fail the read");
    }

    @Override
    public void onReadAck(int from, long readContext) {
        // TODO(lab 2 part C): an echo of a read context confirms every read sent up to it; serve those a quorum confirmed
        throw new UnsupportedOperationException("TODO(lab 2 part C): an echo of a read context confirms every read sent up to it; serve those a quorum confirmed");
    }
}
