package minietcd.kit.harness;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.BooleanSupplier;
import minietcd.kit.check.RaftInvariants;
import minietcd.kit.raft.RaftConfig;
import minietcd.kit.raft.RaftNode;
import minietcd.kit.raft.Role;
import minietcd.kit.sim.Faults;
import minietcd.kit.sim.Simulator;
import minietcd.kit.sim.Trace;

/**
 * A simulated Raft cluster for tests: the nodes, the checkers after every event, and the client
 * operations and waits a scenario needs. A wait that runs out fails with a "Liveness" message.
 */
public final class RaftCluster {
    private final Simulator sim;
    private final RaftConfig config;
    private final CommandLog[] machines;
    private final RaftInvariants invariants;
    private long nextRead = 1;
    private final List<long[]> reads = new ArrayList<>();
    /** A read not answered yet: the node (incarnation) asked, and the highest index committed anywhere when it was asked. */
    private record PendingRead(int node, RaftNode asked, long committedBefore) {}
    private final java.util.Map<Long, PendingRead> pendingReads = new java.util.TreeMap<>();
    /** Every term some node campaigned in for real (or led, or a test's message carried). */
    private final java.util.Set<Long> campaigned = new java.util.HashSet<>(java.util.Set.of(0L));
    private final List<Sent> sent = new ArrayList<>();

    /** A message some node sent. */
    public record Sent(int from, int to, minietcd.kit.raft.RaftMessage message) {}

    /** How a simulated cluster's leaders come to be. */
    public enum Elections {
        /** Through lab 2's {@code Election} (the learner's or the reference's): RequestVotes on the network. */
        LAB_2,
        /** Through the kit's {@link Appointments}, which need no lab 2: lab 1's scenarios. */
        APPOINTED
    }

    /** A cluster that elects through lab 2's class. */
    public RaftCluster(long seed, int size, RaftConfig config, Faults faults, Trace trace) {
        this(seed, size, config, faults, trace, Elections.LAB_2);
    }

    public RaftCluster(long seed, int size, RaftConfig config, Faults faults, Trace trace, Elections elections) {
        this.config = config;
        this.machines = new CommandLog[size + 1];
        this.invariants = new RaftInvariants(size, this::node);
        Appointments appointments = new Appointments(this::isUp, this::canReach); // read at appointment time, when the simulator runs
        java.util.function.Function<minietcd.kit.raft.Raft, minietcd.kit.raft.Elector> electors =
                elections == Elections.APPOINTED ? appointments::electorFor : minietcd.kit.raft.LabClasses::newElector;
        this.sim = new Simulator(seed, size, ctx -> {
            machines[ctx.id()] = new CommandLog();
            return new RaftNode(ctx, config, machines[ctx.id()], new minietcd.kit.raft.RaftListener() {
                @Override public void applied(int node, minietcd.kit.raft.Entry e) { invariants.applied(node, e); }
                @Override public void readDone(int node, long id, long index, boolean ok) { readAnswered(node, id, index, ok); }
            }, electors);
        }, faults, trace);
        invariants.attach(sim);
        sim.addObserver(this::readsEndWithLeadership);
        if (trace.enabled()) {
            String[] last = new String[size + 1];
            sim.addObserver(node -> { // a state change of any node goes into the trace
                for (int id = 1; id <= size; id++) {
                    RaftNode n = node(id);
                    String now = n == null ? "down" : n.state() + " log=" + logRange(n.log());
                    if (!now.equals(last[id])) {
                        last[id] = now;
                        trace.add(sim.now(), "state", id, 0, now);
                    }
                }
            });
        }
        sim.addSendListener((from, to, m) -> {
            if (m instanceof minietcd.kit.raft.RaftMessage r) sent.add(new Sent(from, to, r));
            if (m instanceof minietcd.kit.raft.RaftMessage.RequestVote v && !v.preVote()) campaigned.add(v.term());
        });
        sim.addObserver(this::termsComeFromElections);
        sim.start();
    }

    /** A log's extent for the trace: its entries' indexes, and the snapshot before them if any. */
    static String logRange(minietcd.kit.raft.Log log) {
        if (log == null) return "-";
        long snap = log.firstIndex() - 1;
        String entries = log.lastIndex() < log.firstIndex() ? "no entries" : log.firstIndex() + ".." + log.lastIndex();
        return snap > 0 ? "snapshot@" + snap + " + " + entries : entries;
    }

    public Simulator sim() { return sim; }
    public RaftConfig config() { return config; }
    public List<Integer> members() { return sim.members(); }
    public RaftInvariants invariants() { return invariants; }

    /** The live node with this id, or null while it is down. */
    public RaftNode node(int id) {
        return (RaftNode) sim.node(id);
    }

    /** The commands node {@code id} applied in this incarnation (from its snapshot on). */
    public List<String> applied(int id) {
        return sim.isUp(id) ? machines[id].commands() : List.of();
    }

    /** The live leader with the highest term, or 0. */
    public int leader() {
        int best = 0;
        long term = -1;
        for (int id : members()) {
            RaftNode n = node(id);
            if (n != null && n.state().role == Role.LEADER && n.state().term > term) { best = id; term = n.state().term; }
        }
        return best;
    }

    /** How many live nodes think they lead, in any term. */
    public int leaderCount() {
        int count = 0;
        for (int id : members()) if (node(id) != null && node(id).isLeader()) count++;
        return count;
    }

    /** Runs until some live node leads and a majority of live nodes follow it in its term; returns its id. */
    public int awaitLeader(long maxMillis) {
        if (!sim.runUntil(this::stableLeader, maxMillis))
            throw new AssertionError("Liveness: no leader that a majority follows within " + maxMillis + " ms (t=" + sim.now() + "ms)");
        return leader();
    }

    private boolean stableLeader() {
        int l = leader();
        if (l == 0) return false;
        long term = node(l).state().term;
        int agree = 0;
        for (int id : members()) {
            RaftNode n = node(id);
            if (n != null && n.state().term == term && (id == l || n.state().leader == l)) agree++;
        }
        return agree >= members().size() / 2 + 1;
    }

    /** Asks node {@code id} to propose a command now; returns its index or -1. */
    public long propose(int id, String command) {
        RaftNode n = node(id);
        if (n == null) return -1;
        long index = n.propose(command);
        invariants.afterEvent(id);
        return index;
    }

    /** Proposes through the current leader, waiting for one if needed; retries until it is accepted. */
    public long proposeToLeader(String command, long maxMillis) {
        long end = sim.now() + maxMillis;
        while (sim.now() <= end) {
            int l = leader();
            if (l != 0) {
                long index = propose(l, command);
                if (index > 0) return index;
            }
            sim.runFor(config.tickMillis());
        }
        throw new AssertionError("Liveness: no leader accepted (" + command + ") within " + maxMillis + " ms");
    }

    /**
     * Gets {@code command} committed the way a client would: proposes it to the leader and waits
     * until some node applies it, proposing again if leadership changed first. A command may
     * therefore be applied more than once; use distinct commands when that matters.
     */
    public void commit(String command, long maxMillis) {
        long end = sim.now() + maxMillis;
        while (sim.now() <= end) {
            proposeToLeader(command, end - sim.now() + 1);
            int leader = leader();
            long term = leader == 0 ? -1 : node(leader).state().term;
            sim.runUntil(() -> appliedBy(command) > 0 || leader() != leader || (leader != 0 && node(leader) != null && node(leader).state().term != term),
                    Math.min(3_000, Math.max(1, end - sim.now())));
            if (appliedBy(command) > 0) return;
        }
        throw new AssertionError("Liveness: (" + command + ") was not committed within " + maxMillis + " ms");
    }

    /** Runs until at least {@code count} live nodes have applied {@code command}. */
    public void awaitApplied(String command, int count, long maxMillis) {
        if (!sim.runUntil(() -> appliedBy(command) >= count, maxMillis))
            throw new AssertionError("Liveness: (" + command + ") applied by " + appliedBy(command) + " nodes, expected " + count
                    + " within " + maxMillis + " ms (t=" + sim.now() + "ms)");
    }

    /** Runs until every node is up and has applied everything the leader committed, with nothing left to replicate. */
    public void awaitConverged(long maxMillis) {
        if (!sim.runUntil(this::converged, maxMillis))
            throw new AssertionError("Liveness: the nodes did not converge on one applied index within " + maxMillis + " ms (t=" + sim.now() + "ms)");
    }

    private boolean converged() {
        int l = leader();
        if (l == 0) return false;
        long last = node(l).log().lastIndex();
        for (int id : members()) {
            RaftNode n = node(id);
            if (n == null || n.state().lastApplied != last) return false;
        }
        return true;
    }

    /** How many live nodes applied {@code command}. */
    public int appliedBy(String command) {
        int n = 0;
        for (int id : members()) if (applied(id).contains(command)) n++;
        return n;
    }

    /** Starts a ReadIndex read on node {@code id}; returns its request id. */
    public long read(int id) {
        long requestId = nextRead++;
        RaftNode n = node(id);
        if (n != null) {
            pendingReads.put(requestId, new PendingRead(id, n, invariants.maxCommitted()));
            n.read(requestId);
            invariants.afterEvent(id);
            readsEndWithLeadership(id);
        }
        return requestId;
    }

    /**
     * Linearizable reads: a read served at index I must see everything committed before it was
     * asked, so I is at least the highest index committed anywhere at that moment.
     */
    private void readAnswered(int node, long id, long index, boolean ok) {
        for (long[] r : reads)
            if (r[1] == id)
                throw new minietcd.kit.raft.RuleViolation("Each read answered once", "node " + node + " answered read " + id + " again (" + (ok ? "ready at " + index : "failed")
                        + "), after node " + r[0] + " answered it " + (r[3] == 1 ? "ready at " + r[2] : "failed") + ": forget a read once it is answered");
        reads.add(new long[] {node, id, index, ok ? 1 : 0});
        PendingRead p = pendingReads.remove(id);
        if (ok && p != null && index < p.committedBefore())
            throw new minietcd.kit.raft.RuleViolation("Linearizable reads", "node " + node + " served read " + id + " at index " + index
                    + ", but index " + p.committedBefore() + " was already committed when the read was asked (the read index is the commit index of a leader that has committed in its term)");
    }

    /** Reads end with leadership: a node that does not lead has no read pending (a follower fails a read at once, a leader that steps down fails its pending reads). */
    private void readsEndWithLeadership(int node) {
        RaftNode n = node == 0 ? null : node(node);
        if (n == null) return;
        for (var it = pendingReads.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            PendingRead p = e.getValue();
            if (p.node() != node) continue;
            if (p.asked() != n) { it.remove(); continue; } // asked of an earlier incarnation: lost with its crash
            if (n.state().role != minietcd.kit.raft.Role.LEADER)
                throw new minietcd.kit.raft.RuleViolation("Reads end with leadership", "node " + node + " is " + n.state().role.name().toLowerCase()
                        + " in term " + n.state().term + " with read " + e.getKey() + " still pending: a node that does not lead fails a read at once (readFailed), and a leader that steps down fails its pending reads");
        }
    }

    /** The outcome of a read: {node, requestId, index, ok}, or null while it is pending. */
    public long[] readResult(long requestId) {
        for (long[] r : reads) if (r[1] == requestId) return r;
        return null;
    }

    /** Every Raft message sent so far, in order. */
    public List<Sent> sent() { return java.util.Collections.unmodifiableList(sent); }

    /** Hands node {@code to} a message from {@code from} now, bypassing the network (the checkers run after it). */
    public void deliver(int from, int to, minietcd.kit.raft.RaftMessage message) {
        campaigned.add(message.term()); // a test's message stands for a node that campaigned in its term
        sim.inject(from, to, message);
    }

    /**
     * Terms come from elections: a node is only ever in a term that some node campaigned in (sent a
     * real RequestVote for) or leads; a pre-vote's term, which nobody has campaigned in yet, is not
     * one, so a node must not take it up.
     */
    private void termsComeFromElections(int node) {
        for (int id : members()) {
            RaftNode n = node(id);
            if (n == null || n.log() == null) continue;
            var st = n.state();
            if (st.role == minietcd.kit.raft.Role.CANDIDATE || st.role == minietcd.kit.raft.Role.LEADER) campaigned.add(st.term);
        }
        RaftNode n = node == 0 ? null : node(node);
        if (n == null || n.log() == null || campaigned.contains(n.state().term)) return;
        throw new minietcd.kit.raft.RuleViolation("Terms come from elections", "node " + node + " is in term " + n.state().term
                + ", in which no node has campaigned: a higher term is taken up from a message of a node that campaigned in it or leads it, never from a pre-vote");
    }

    public void runFor(long millis) { sim.runFor(millis); }
    public boolean runUntil(BooleanSupplier done, long maxMillis) { return sim.runUntil(done, maxMillis); }
    public void crash(int id) { sim.crash(id); }
    public void restart(int id) { sim.restart(id); }
    public void isolate(int id) { sim.isolate(id); }
    private boolean canReach(int from, int to) { return sim.canReach(from, to); }
    public void partition(Collection<? extends Collection<Integer>> groups) { sim.partition(groups); }
    public void heal() { sim.heal(); }
    public boolean isUp(int id) { return sim.isUp(id); }
}
