package minietcd.kit.check;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;
import minietcd.kit.raft.Entry;
import minietcd.kit.raft.Log;
import minietcd.kit.raft.RaftListener;
import minietcd.kit.raft.RaftMessage;
import minietcd.kit.raft.RaftNode;
import minietcd.kit.raft.RaftStorage;
import minietcd.kit.raft.WalStorage;
import minietcd.kit.raft.Role;
import minietcd.kit.raft.RuleViolation;
import minietcd.kit.sim.Simulator;

/**
 * Raft's safety properties (Figure 3 of the paper), checked after every simulated event on the node
 * that handled it (on every live node after a cluster-wide event), against everything any node ever
 * logged, committed or applied:
 * Election Safety, Log Matching, Leader Completeness, State Machine Safety, and a commit index
 * that never moves back; and, across crashes, what a node must have persisted: the highest committed
 * entry is on the disks of a majority as a node crashes, a node's term never goes back across a
 * restart, and a node never grants two votes in one term. The first broken one throws a
 * {@link RuleViolation} naming it.
 * It lives apart from the code it checks and reads it only through its public state.
 */
public final class RaftInvariants implements Simulator.Observer, Simulator.CrashListener, RaftListener {
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
    private Simulator sim;
    /** The highest term each node has sent a message in (pre-votes aside), whatever its incarnation. */
    private final long[] termSent;
    /** Each real vote granted, "node/term" to the candidate, whatever the voter's incarnation. */
    private final Map<String, Integer> votes = new HashMap<>();

    /** @param nodes the live node with an id, or null while it is down */
    public RaftInvariants(int size, IntFunction<RaftNode> nodes) {
        this.size = size;
        this.nodes = nodes;
        this.checked = new Entry[size + 1][];
        this.commitSeen = new long[size + 1];
        this.incarnation = new Object[size + 1];
        this.roleSeen = new Role[size + 1];
        this.lastSnapshotTerm = new long[size + 1];
        this.termSent = new long[size + 1];
    }

    /** Checks {@code sim}'s members after every event, and the disks before every crash. */
    public void attach(Simulator sim) {
        this.sim = sim;
        sim.addObserver(this);
        sim.addCrashListener(this);
        sim.addSendListener(this::sent);
    }

    /** Votes are cast once per term; and what a node sends in a term, it must remember after a restart. */
    private void sent(int from, int to, minietcd.kit.node.Message m) {
        if (from < 1 || from > size || !(m instanceof RaftMessage r)) return;
        if (r instanceof RaftMessage.RequestVote rv && rv.preVote() || r instanceof RaftMessage.RequestVoteReply rr && rr.preVote()) return;
        termSent[from] = Math.max(termSent[from], r.term());
        if (r instanceof RaftMessage.RequestVoteReply v && v.granted()) {
            Integer before = votes.putIfAbsent(from + "/" + v.term(), to);
            if (before != null && before != to)
                throw new RuleViolation("One vote per term", "node " + from + " granted its vote in term " + v.term() + " to node " + to
                        + " after granting it to node " + before + " (a vote must be persisted and synced before the reply leaves, and survive a restart)");
        }
    }

    /**
     * Committed means durable on a majority: the highest committed entry must be on the disks of a
     * majority of the nodes (synced, not just written) at every moment, so that no crash of a
     * minority can take it away. Checked just before each crash, when a violation would start to
     * do harm.
     */
    @Override
    public void beforeCrash(int crashing) {
        Entry c = committed.get(maxCommitted);
        if (c == null || sim == null) return;
        java.util.List<Integer> holders = new java.util.ArrayList<>(), lacking = new java.util.ArrayList<>();
        for (int id = 1; id <= size; id++) {
            RaftStorage.Recovered disk = new WalStorage(sim.disk(id).durableCopy()).load();
            boolean holds = disk.snapshot().index() >= c.index()
                    || disk.entries().stream().anyMatch(e -> e.index() == c.index() && e.term() == c.term());
            (holds ? holders : lacking).add(id);
        }
        if (holders.size() < size / 2 + 1)
            throw new RuleViolation("Committed means durable on a majority", "entry " + c + " is committed, but as node " + crashing
                    + " crashes only nodes " + holders + " of " + size + " have it on disk (synced); nodes " + lacking
                    + " would lose it. An entry counts toward a commit only once it is synced: a follower syncs before it acknowledges, the leader before it counts itself");
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
            if (n.state().term < termSent[id])
                throw new RuleViolation("Terms never go back", "node " + id + " restarted in term " + n.state().term + ", but before its crash it sent messages in term "
                        + termSent[id] + " (a new term must be persisted and synced before the node acts in it)");
        }
        var s = n.state();
        if (s.role == Role.LEADER) {
            Integer other = leaderOfTerm.putIfAbsent(s.term, id);
            if (other != null && other != id)
                throw new RuleViolation("Election Safety", "nodes " + other + " and " + id + " are both leader in term " + s.term);
            if (roleSeen[id] != Role.LEADER) leaderCompleteness(id, n);
        }
        roleSeen[id] = s.role;
        followsItsLeader(id, s);
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
     * Followers follow their term's leader: a node that names a leader other than itself is a
     * follower, and the node it names is the one that won its term. A node learns its leader only
     * from that leader's AppendEntries or InstallSnapshot, never from a vote or a reply.
     */
    private void followsItsLeader(int id, minietcd.kit.raft.RaftState s) {
        if (s.leader == 0 || s.leader == id) return;
        if (s.role != Role.FOLLOWER)
            throw new RuleViolation("Followers follow their term's leader", "node " + id + " is " + s.role.name().toLowerCase() + " in term " + s.term
                    + " while it names node " + s.leader + " its leader: a node that hears from its term's leader becomes its follower");
        Integer leads = leaderOfTerm.get(s.term);
        if (leads == null || leads != s.leader)
            throw new RuleViolation("Followers follow their term's leader", "node " + id + " names node " + s.leader + " its leader in term " + s.term + ", but "
                    + (leads == null ? "no node has led" : "node " + leads + " leads") + " that term: a node learns its leader only from the leader's own AppendEntries or InstallSnapshot");
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
