package minietcd.kit.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiPredicate;
import java.util.function.IntPredicate;
import minietcd.kit.raft.Elector;
import minietcd.kit.raft.Log;
import minietcd.kit.raft.Raft;

/**
 * Leaders by appointment, so that lab 1 runs without lab 2. In a simulated cluster that elects
 * this way, a node whose election timeout passes asks the cluster's appointments, which see every
 * node and the network at once, instead of asking its peers for votes. It is appointed leader of a
 * new term when it can reach, both ways, a majority (itself included) of live nodes whose logs are
 * no more up to date than its own (the rule of §5.4.1); those nodes take up the new term at that
 * moment, persisted and synced, as if they had voted for it. So every appointed leader is one that
 * Raft's elections could have chosen, with the same safety, and no votes on the wire.
 *
 * <p>The nodes' own part is {@link AppointedElector}. Nothing here is lab 2's algorithm: there
 * are no RequestVotes, no PreVote, no CheckQuorum, and reads fail.
 */
public final class Appointments {
    private final IntPredicate up;
    private final BiPredicate<Integer, Integer> canReach;
    /** The elector of each node's current incarnation. */
    private final Map<Integer, AppointedElector> electors = new TreeMap<>();
    /** The highest term appointed so far: every appointment takes the next one, so no term has two leaders. */
    private long lastTerm;

    /**
     * @param up whether a node is running
     * @param canReach whether the network carries messages from the first node to the second
     */
    public Appointments(IntPredicate up, BiPredicate<Integer, Integer> canReach) {
        this.up = up;
        this.canReach = canReach;
    }

    /** The elector of a node that is starting (a new incarnation replaces the old one). */
    public Elector electorFor(Raft raft) {
        AppointedElector e = new AppointedElector(raft, this);
        electors.put(raft.id(), e);
        lastTerm = Math.max(lastTerm, raft.state().term);
        return e;
    }

    /** Appoints {@code candidate} leader of a new term if a majority would have elected it; returns whether it did. */
    boolean appoint(AppointedElector candidate) {
        Raft c = candidate.raft();
        List<AppointedElector> voters = new ArrayList<>();
        for (var e : electors.entrySet()) {
            int id = e.getKey();
            if (id == c.id() || !up.test(id) || !canReach.test(c.id(), id) || !canReach.test(id, c.id())) continue;
            if (atLeastAsUpToDate(c.log(), e.getValue().raft().log())) voters.add(e.getValue());
        }
        if (voters.size() + 1 < c.quorum()) return false;
        for (AppointedElector e : electors.values()) lastTerm = Math.max(lastTerm, e.raft().state().term);
        long term = ++lastTerm;
        for (AppointedElector v : voters) v.voteFor(term, c.id());
        candidate.lead(term);
        return true;
    }

    private static boolean atLeastAsUpToDate(Log candidate, Log voter) {
        return candidate.lastTerm() > voter.lastTerm() || (candidate.lastTerm() == voter.lastTerm() && candidate.lastIndex() >= voter.lastIndex());
    }
}
