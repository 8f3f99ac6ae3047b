package minietcd.kit.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import minietcd.kit.check.RaftInvariants;
import minietcd.kit.check.WatchChecker;
import minietcd.kit.etcd.EtcdRequest;
import minietcd.kit.etcd.GatewayRpc;
import minietcd.kit.mvcc.EtcdException;
import minietcd.kit.mvcc.Event;
import minietcd.kit.mvcc.KV;
import minietcd.kit.mvcc.Bytes;
import minietcd.kit.raft.Entry;
import minietcd.kit.raft.RaftNode;
import minietcd.kit.replica.Outcome;
import minietcd.kit.replica.StoreNode;
import minietcd.kit.sim.Faults;
import minietcd.kit.sim.Simulator;
import minietcd.kit.sim.Trace;
import minietcd.kit.watch.WatchRequest;

/**
 * The whole replicated store in the simulator: {@link StoreNode}s over in-memory backends that keep
 * what was committed across a member's crashes, as its files would, and lose the rest (the Raft log on
 * the simulated disk brings it back), checked after every event by the Raft invariants. Each incarnation of each member gets a watcher on
 * every key from revision 1, so a test can check what members streamed against the history.
 */
public final class StoreCluster {
    /** A watcher on one incarnation of one member. */
    public record Watcher(String name, int member, WatchRequest request, long start, RecordingSink sink) {}

    private final Simulator sim;
    private final RaftInvariants invariants;
    private final StoreNode[] nodes;
    /** Each member's backend, kept across its incarnations as its files would be. */
    private final SimBackend[] backends;
    private final List<Watcher> watchers = new ArrayList<>();
    /** Each member's watcher on its current store; the others stopped when their store went away. */
    private final Watcher[] current;
    private int installed;

    public StoreCluster(long seed, int size, StoreNode.Config config, Faults faults, Trace trace) {
        this.nodes = new StoreNode[size + 1];
        this.backends = new SimBackend[size + 1];
        this.current = new Watcher[size + 1];
        this.invariants = new RaftInvariants(size, this::raft);
        this.sim = new Simulator(seed, size, ctx -> {
            if (backends[ctx.id()] == null) backends[ctx.id()] = new SimBackend();
            else backends[ctx.id()].crashed(); // a new incarnation: the last one crashed
            StoreNode n = new StoreNode(ctx, config, backends[ctx.id()], new StoreNode.Listener() {
                @Override public void applied(int node, Entry e) { invariants.applied(node, e); }
                @Override public void storeReplaced() {
                    installed++;
                    watch(ctx.id());
                }
            });
            nodes[ctx.id()] = n;
            return new minietcd.kit.node.Node() { // the watcher goes on once the node has started
                @Override public void start() {
                    n.start();
                    watch(ctx.id());
                }
                @Override public void onMessage(int from, minietcd.kit.node.Message m) { n.onMessage(from, m); }
                @Override public void onTimer(minietcd.kit.node.Timer t) { n.onTimer(t); }
            };
        }, faults, trace);
        invariants.attach(sim);
        sim.start();
    }

    private void watch(int id) {
        WatchRequest all = WatchRequest.of(Bytes.of("\0")).withRangeEnd(Bytes.ZERO).from(1);
        RecordingSink sink = RecordingSink.unbounded();
        nodes[id].store().watch(all, sink);
        Watcher w = new Watcher("member " + id + "'s watcher " + (watchers.size() + 1), id, all, 1, sink);
        watchers.add(w);
        current[id] = w;
    }

    public Simulator sim() { return sim; }
    /** How many times a member replaced its store with a snapshot from the leader. */
    public int snapshotsInstalled() { return installed; }
    public RaftInvariants invariants() { return invariants; }
    public List<Watcher> watchers() { return watchers; }

    /** Member {@code id}'s store node, or null while it is down. */
    public StoreNode node(int id) {
        return sim.isUp(id) ? nodes[id] : null;
    }

    private RaftNode raft(int id) {
        StoreNode n = node(id);
        return n == null ? null : n.raft();
    }

    /**
     * Sends a client's request to member {@code id} as its gateway would: the JSON body read and
     * checked at the edge (a refusal is the reply), then the request to the node. False (and no
     * reply) if the member is down.
     */
    public boolean submit(int id, String rpc, String body, Consumer<Outcome> reply) {
        StoreNode n = node(id);
        if (n == null) return false;
        EtcdRequest request;
        try {
            request = GatewayRpc.decode(rpc, body, GatewayRpc.MAX_REQUEST_BYTES);
        } catch (EtcdException e) {
            reply.accept(new Outcome.Refused(e));
            return true;
        }
        n.submit(request, reply);
        return true;
    }

    /** The current leader, or 0. */
    public int leader() {
        for (int id : sim.members()) {
            StoreNode n = node(id);
            if (n != null && n.raft().isLeader()) return id;
        }
        return 0;
    }

    public int awaitLeader(long maxMillis) {
        if (!sim.runUntil(() -> leader() != 0, maxMillis)) throw new AssertionError("no leader after " + maxMillis + " ms (seed " + sim.seed() + ")");
        return leader();
    }

    /**
     * Waits until every member is up and has applied the same log, then checks that their stores hold
     * the same history, revision by revision, and that every watcher got exactly that history's events.
     */
    public void checkConverged(long maxMillis) {
        boolean done = sim.runUntil(() -> {
            long applied = -1;
            for (int id : sim.members()) {
                StoreNode n = node(id);
                if (n == null) return false;
                long a = n.raft().state().lastApplied;
                if (a != n.raft().log().lastIndex() || (applied >= 0 && a != applied)) return false;
                applied = a;
            }
            return true;
        }, maxMillis);
        if (!done) throw new AssertionError("the members did not converge in " + maxMillis + " ms (seed " + sim.seed() + ")");
        KV first = node(sim.members().get(0)).store();
        for (int id : sim.members()) {
            KV kv = node(id).store();
            if (kv.currentRevision() != first.currentRevision())
                throw new AssertionError("seed " + sim.seed() + ": member " + id + " is at revision " + kv.currentRevision() + ", member 1 at " + first.currentRevision());
            long from = Math.max(first.compactRevision(), kv.compactRevision()) + 1;
            for (long rev = from; rev <= first.currentRevision(); rev++) {
                List<Event> a = first.changesAt(rev), b = kv.changesAt(rev);
                if (!a.equals(b)) throw new AssertionError("seed " + sim.seed() + ": members 1 and " + id + " differ at revision " + rev + ":\n  " + a + "\n  " + b);
            }
        }
        WatchChecker reference = new WatchChecker();
        long compacted = first.compactRevision();
        for (long rev = compacted + 1; rev <= first.currentRevision(); rev++) reference.record(rev, first.changesAt(rev));
        for (Watcher w : watchers) {
            if (compacted > 0) continue; // history before the compaction is gone: nothing to compare with
            long upTo = first.currentRevision();
            if (current[w.member()] != w) { // its member crashed or replaced its store: it saw what it saw until then
                upTo = 0;
                for (var m : w.sink().messages()) for (Event e : m.events()) upTo = Math.max(upTo, e.kv().modRevision());
            }
            reference.check(w.name(), w.request(), w.start(), upTo, w.sink().messages());
        }
    }
}
