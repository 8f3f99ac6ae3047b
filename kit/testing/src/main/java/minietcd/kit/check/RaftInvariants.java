package minietcd.kit.check;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;
import minietcd.kit.raft.Entry;
import minietcd.kit.raft.Log;
import minietcd.kit.raft.RaftListener;
import minietcd.kit.raft.RaftNode;
import minietcd.kit.raft.Role;
import minietcd.kit.raft.RuleViolation;
import minietcd.kit.sim.Simulator;

/**
 * Raft's safety properties (Figure 3 of the paper), checked after every simulated event on the node
 * that handled it (on every live node after a cluster-wide event), against everything any node ever
 * logged, committed or applied:
 * Election Safety, Log Matching, Leader Completeness, State Machine Safety, and a commit index
 * that never moves back. The first broken one throws a {@link RuleViolation} naming it.
 * It lives apart from the code it checks and reads it only through its public state.
 */
public final class RaftInvariants implements Simulator.Observer, RaftListener {
    private record At(long index, long term) {}
    private record Seen(String command, long prevTerm, int node) {}

    private final IntFunction<RaftNode> nodes;
    private final int size;
    private final Map<Long, Integer> leaderOfTerm = new HashMap<>();
    private final Map<At, Seen> entries = new HashMap<>();
    private final Map<Long, Entry> committed = new TreeMap<>();
    private final Map<Long, String> applied = new HashMap<>();
    private final Entry[][] checked;
    private final long[] commitSeen;
    private final Object[] incarnation;
    private final Role[] roleSeen;
    private final long[] lastSnapshotTerm;
    private long maxCommitted;

    /** @param nodes the live node with an id, or null while it is down */
    public RaftInvariants(int size, IntFunction<RaftNode> nodes) {
        this.size = size;
        this.nodes = nodes;
        this.checked = new Entry[size + 1][];
        this.commitSeen = new long[size + 1];
        this.incarnation = new Object[size + 1];
        this.roleSeen = new Role[size + 1];
        this.lastSnapshotTerm = new long[size + 1];
    }

    @Override
    public void afterEvent(int node) {
        if (node != 0) check(node);
        else for (int id = 1; id <= size; id++) check(id);
    }

    /** State Machine Safety: no two nodes apply different commands at one index. An applied entry is committed, too. */
    @Override
    public void applied(int node, Entry entry) {
        commit(node, entry); // recorded here as well: an entry may be committed, applied and compacted in one event
        String before = applied.putIfAbsent(entry.index(), entry.command());
        if (before != null && !before.equals(entry.command()))
            throw new RuleViolation("State Machine Safety", "node " + node + " applied " + entry + " at index " + entry.index()
                    + " where another node applied (" + before + ")");
    }

    /** The highest index known committed anywhere. */
    public long maxCommitted() {
        return maxCommitted;
    }

    private void check(int id) {
        RaftNode n = nodes.apply(id);
        if (n == null || n.log() == null) return;
        if (incarnation[id] != n) { // a new incarnation starts its bookkeeping afresh
            incarnation[id] = n;
            checked[id] = new Entry[16];
            commitSeen[id] = 0;
            roleSeen[id] = null;
        }
        var s = n.state();
        if (s.role == Role.LEADER) {
            Integer other = leaderOfTerm.putIfAbsent(s.term, id);
            if (other != null && other != id)
                throw new RuleViolation("Election Safety", "nodes " + other + " and " + id + " are both leader in term " + s.term);
            if (roleSeen[id] != Role.LEADER) leaderCompleteness(id, n);
        }
        roleSeen[id] = s.role;
        if (s.commitIndex < commitSeen[id])
            throw new RuleViolation("Commit never moves back", "node " + id + " moved its commit index from " + commitSeen[id] + " back to " + s.commitIndex);
        if (s.commitIndex > n.log().lastIndex())
            throw new RuleViolation("Commit within the log", "node " + id + " has commit index " + s.commitIndex + " beyond its last index " + n.log().lastIndex());
        logMatching(id, n.log(), s.commitIndex);
        for (long i = Math.max(commitSeen[id], n.log().firstIndex() - 1) + 1; i <= s.commitIndex; i++) commit(id, n.log().entry(i));
        commitSeen[id] = s.commitIndex;
        var snap = n.log().snapshot();
        Entry c = committed.get(snap.index());
        if (snap.index() > 0 && c != null && c.term() != snap.term())
            throw new RuleViolation("Committed entries never change", "node " + id + " holds a snapshot at " + snap.index() + " of term " + snap.term()
                    + ", but " + c + " was committed at that index");
    }

    /**
     * Log Matching: an index and term name one command, and the same previous term, in every log.
     * Every index is looked at after every event; an entry is checked in full unless it is the very
     * object seen there last time and so is the entry before it (entries are immutable, so the same
     * object means unchanged; but a changed predecessor changes what the entry must match).
     * A changed entry at or below the node's own commit index must still be the committed one.
     */
    private void logMatching(int id, Log log, long commitIndex) {
        long first = log.firstIndex(), last = log.lastIndex();
        Entry[] cache = checked[id];
        if (last >= cache.length) checked[id] = cache = java.util.Arrays.copyOf(cache, (int) Math.max(last + 1, cache.length * 2L));
        for (int i = (int) last + 1; i < cache.length && cache[i] != null; i++) cache[i] = null;
        boolean previousChanged = first > 1 && log.term(first - 1) != lastSnapshotTerm[id];
        lastSnapshotTerm[id] = first > 1 ? log.term(first - 1) : 0;
        for (long i = first; i <= last; i++) {
            Entry e = log.entry(i);
            if (e == cache[(int) i] && !previousChanged) continue; // the same entry after the same entry: unchanged
            previousChanged = e != cache[(int) i];
            Entry c = i <= commitIndex ? committed.get(i) : null; // above its own commit index a log may still diverge
            if (c != null && (c.term() != e.term() || !c.command().equals(e.command())))
                throw new RuleViolation("Committed entries never change", "node " + id + " now holds " + e + " at index " + i + ", where " + c + " was committed");
            if (e.index() != i)
                throw new RuleViolation("Log Matching", "node " + id + " returns entry " + e + " at index " + i);
            long prevTerm = log.term(i - 1);
            Seen seen = new Seen(e.command(), prevTerm, id);
            Seen before = entries.putIfAbsent(new At(i, e.term()), seen);
            if (before != null && (!before.command.equals(e.command()) || before.prevTerm != prevTerm))
                throw new RuleViolation("Log Matching", "node " + id + " holds " + e + " after an entry of term " + prevTerm
                        + ", but node " + before.node + " held index " + i + " term " + e.term() + " as (" + before.command + ") after term " + before.prevTerm);
            cache[(int) i] = e;
        }
    }

    private void commit(int id, Entry e) {
        Entry before = committed.putIfAbsent(e.index(), e);
        if (before != null && (before.term() != e.term() || !before.command().equals(e.command())))
            throw new RuleViolation("Leader Completeness", "node " + id + " committed " + e + " but " + before + " was committed at that index before");
        maxCommitted = Math.max(maxCommitted, e.index());
    }

    /** Leader Completeness: a new leader holds every entry committed before it. */
    private void leaderCompleteness(int id, RaftNode n) {
        Log log = n.log();
        for (Entry c : committed.values()) {
            if (c.index() < log.firstIndex()) continue;
            if (c.index() > log.lastIndex() || log.term(c.index()) != c.term())
                throw new RuleViolation("Leader Completeness", "node " + id + " became leader of term " + n.state().term
                        + " without committed entry " + c + (c.index() > log.lastIndex() ? " (its log ends at " + log.lastIndex() + ")" : ""));
        }
    }
}
