package minietcd.kit.sim;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;
import minietcd.kit.node.Context;
import minietcd.kit.node.Disk;
import minietcd.kit.node.Message;
import minietcd.kit.node.Node;
import minietcd.kit.node.NodeFactory;
import minietcd.kit.node.Timer;

/**
 * Runs nodes in virtual time. One seed drives every choice (delays, losses, duplicates, which
 * unsynced writes a crash keeps, each node's random generator), so a run is reproducible bit for
 * bit from its seed. Events run one at a time in (time, sequence) order; after each one every
 * {@link Observer} is told, so checkers see every intermediate state.
 */
public final class Simulator {
    /** Called after every event but a client's ({@link #addClient}); throwing stops the run with that failure. */
    @FunctionalInterface
    public interface Observer {
        /** @param node the node that handled the event, or 0 for a cluster-wide event */
        void afterEvent(int node);
    }

    /** Hears of a crash before it happens: the node's state and disk are still as they were. */
    @FunctionalInterface
    public interface CrashListener {
        void beforeCrash(int node);
    }

    /** Sees every message a node sends, before the network decides its fate. */
    @FunctionalInterface
    public interface SendListener {
        void sent(int from, int to, Message message);
    }

    private sealed interface Event permits Delivery, Firing, Action {}
    private record Delivery(int from, int to, Message message, long sentAt) implements Event {}
    private record Firing(int node, long incarnation, Timer timer) implements Event {}
    private record Action(String label, Runnable run) implements Event {}
    private record Scheduled(long time, long seq, Event event) {}

    private final long seed;
    private final SplittableRandom random;
    private final Faults faults;
    private final NodeFactory factory;
    private final List<Integer> members;
    private SimNode[] nodes;
    /** For each link a client is on: when its last message arrives (a connection keeps its order). */
    private final java.util.Map<Long, Long> lastArrival = new java.util.HashMap<>();
    private final PriorityQueue<Scheduled> queue = new PriorityQueue<>(
            (a, b) -> a.time != b.time ? Long.compare(a.time, b.time) : Long.compare(a.seq, b.seq));
    private final Set<Long> blocked = new HashSet<>();
    private final List<Observer> observers = new ArrayList<>();
    private final List<SendListener> sendListeners = new ArrayList<>();
    private final List<CrashListener> crashListeners = new ArrayList<>();
    private final Trace trace;
    private long now;
    private long seq;
    private long events;
    private long delivered;
    private long dropped;
    /** Messages nodes have sent, for the trace: a tick that sent nothing is left out. */
    private long sent;

    public Simulator(long seed, int size, NodeFactory factory, Faults faults, Trace trace) {
        if (size < 1) throw new IllegalArgumentException("a cluster needs at least one node");
        this.seed = seed;
        this.random = new SplittableRandom(seed);
        this.faults = faults;
        this.factory = factory;
        this.trace = trace;
        List<Integer> ids = new ArrayList<>();
        for (int i = 1; i <= size; i++) ids.add(i);
        this.members = List.copyOf(ids);
        this.nodes = new SimNode[size + 1];
        for (int id : members) nodes[id] = new SimNode(id, factory, false);
    }

    /**
     * Adds a client node, numbered after the members and every client before it, and starts it now.
     * It is not one of {@link #members()}; it crosses the same network, with one difference: a link
     * to or from a client is a connection, which loses messages (the network's drop rate, a cut
     * link, a crashed peer) but never duplicates or reorders them.
     *
     * @return the client's node id
     */
    public int addClient(NodeFactory client) {
        int id = nodes.length;
        nodes = java.util.Arrays.copyOf(nodes, id + 1);
        nodes[id] = new SimNode(id, client, true);
        startNode(id);
        return id;
    }

    public long seed() { return seed; }
    public long now() { return now; }
    public List<Integer> members() { return members; }
    public Trace trace() { return trace; }
    public Faults faults() { return faults; }
    /** The simulation's own random generator, for scenarios that choose at random (nemeses, clients). */
    public RandomGenerator random() { return random; }
    public long eventCount() { return events; }
    public long deliveredCount() { return delivered; }
    public long droppedCount() { return dropped; }

    public void addObserver(Observer o) { observers.add(o); }
    public void addSendListener(SendListener l) { sendListeners.add(l); }
    public void addCrashListener(CrashListener l) { crashListeners.add(l); }

    /**
     * A message on its way, for a view: its id (for {@link #drop} and {@link #delay}), who sent it to
     * whom, when it left and when it arrives (it may still be lost then).
     */
    public record InFlight(long id, int from, int to, Message message, long sentAt, long arrivesAt) {}

    /** The messages on their way now, soonest arrival first. */
    public List<InFlight> inFlight() {
        List<InFlight> out = new ArrayList<>();
        for (Scheduled s : queue) if (s.event() instanceof Delivery d) out.add(new InFlight(s.seq(), d.from(), d.to(), d.message(), d.sentAt(), s.time()));
        out.sort(java.util.Comparator.comparingLong(InFlight::arrivesAt).thenComparingLong(InFlight::id));
        return out;
    }

    /** Loses the message {@code id} that is on its way between two members; false if there is none such now. */
    public boolean drop(long id) {
        Scheduled s = memberMessage(id);
        if (s == null) return false;
        queue.remove(s);
        dropped++;
        Delivery d = (Delivery) s.event();
        trace.add(now, "drop", d.to(), d.from(), d.message());
        return true;
    }

    /** Holds the message {@code id} that is on its way between two members back {@code millis} more; false if there is none such now. */
    public boolean delay(long id, long millis) {
        if (millis < 0) throw new IllegalArgumentException("negative delay");
        Scheduled s = memberMessage(id);
        if (s == null) return false;
        queue.remove(s);
        queue.add(new Scheduled(s.time() + millis, s.seq(), s.event()));
        return true;
    }

    /** A message on its way between members (a client's connection keeps its order, so its messages are left alone). */
    private Scheduled memberMessage(long id) {
        for (Scheduled s : queue)
            if (s.seq() == id && s.event() instanceof Delivery d && !nodes[d.from()].client && !nodes[d.to()].client) return s;
        return null;
    }

    /**
     * Hands {@code message} to node {@code to} now, as if {@code from} had sent it, bypassing the
     * network: for scenarios that need one exact message at one exact moment.
     */
    public void inject(int from, int to, Message message) {
        events++;
        deliver(new Delivery(from, to, message, now), false);
    }

    /** Starts every node at the current time. */
    public void start() {
        for (int id : members) startNode(id);
    }

    /** The node object of the current incarnation, or null while the node is down. */
    public Node node(int id) { return nodes[id].node; }
    public boolean isUp(int id) { return nodes[id].node != null; }
    public long incarnation(int id) { return nodes[id].incarnation; }
    public SimDisk disk(int id) { return nodes[id].disk; }

    /** Stops a node at once: its volatile state is gone, its timers never fire, its disk loses what a crash loses. */
    public void crash(int id) {
        SimNode n = nodes[id];
        if (n.node == null) return;
        for (CrashListener l : crashListeners) l.beforeCrash(id);
        n.node = null;
        String lost = n.disk.crash(random, !faults.tornWrites());
        trace.add(now, "crash", id, 0, "crashed; its disk " + lost);
        notifyObservers(id);
    }

    /** Starts a crashed node again as a new incarnation, which recovers from its disk. */
    public void restart(int id) {
        if (nodes[id].node != null) return;
        trace.add(now, "restart", id, 0, "restarted");
        startNode(id);
    }

    /** Cuts the network into groups; nodes in different groups cannot talk. Nodes not named form one more group. */
    public void partition(Collection<? extends Collection<Integer>> groups) {
        heal();
        int[] group = new int[nodes.length];
        int g = 1;
        for (Collection<Integer> members : groups) {
            for (int id : members) group[id] = g;
            g++;
        }
        for (int a : members) for (int b : members) if (group[a] != group[b]) blocked.add(link(a, b));
        trace.add(now, "partition", 0, 0, groups);
    }

    /** Cuts one node off from every other. */
    public void isolate(int id) {
        for (int other : members) if (other != id) { blocked.add(link(id, other)); blocked.add(link(other, id)); }
        trace.add(now, "partition", id, 0, "isolated");
    }

    /** Blocks messages from {@code from} to {@code to} only: a one-way partition. */
    public void blockOneWay(int from, int to) {
        blocked.add(link(from, to));
        trace.add(now, "partition", from, to, "one-way " + from + " -> " + to);
    }

    /** Cuts the link between {@code a} and {@code b}, both ways, whatever they are (members or clients). */
    public void cut(int a, int b) {
        blocked.add(link(a, b));
        blocked.add(link(b, a));
        trace.add(now, "partition", a, b, "cut " + a + " <-> " + b);
    }

    /** Mends the link {@link #cut} took, both ways. */
    public void mend(int a, int b) {
        if (blocked.remove(link(a, b)) | blocked.remove(link(b, a))) trace.add(now, "heal", a, b, "mended " + a + " <-> " + b);
    }

    /** Removes every partition. */
    public void heal() {
        if (blocked.isEmpty()) return;
        blocked.clear();
        trace.add(now, "heal", 0, 0, "network healed");
    }

    public boolean canReach(int from, int to) { return !blocked.contains(link(from, to)); }

    /** Runs {@code action} at {@code delayMillis} from now, in event order. */
    public void schedule(long delayMillis, String label, Runnable action) {
        enqueue(now + delayMillis, new Action(label, action));
    }

    /** Runs one event. Returns false if there is none left. */
    public boolean step() {
        Scheduled s = queue.poll();
        if (s == null) return false;
        now = s.time;
        events++;
        if (s.event instanceof Delivery d) deliver(d, true);
        else if (s.event instanceof Firing f) fire(f);
        else if (s.event instanceof Action a) {
            trace.add(now, "action", 0, 0, a.label);
            a.run.run();
            notifyObservers(0);
        }
        return true;
    }

    /** Runs every event up to {@code millis} from now. */
    public void runFor(long millis) {
        long end = now + millis;
        while (!queue.isEmpty() && queue.peek().time <= end) step();
        now = Math.max(now, end);
    }

    /** Runs until {@code done} holds (checked after each event) or {@code maxMillis} pass. Returns whether it holds. */
    public boolean runUntil(BooleanSupplier done, long maxMillis) {
        long end = now + maxMillis;
        while (!done.getAsBoolean()) {
            if (queue.isEmpty() || queue.peek().time > end) {
                now = Math.max(now, end);
                return done.getAsBoolean();
            }
            step();
        }
        return true;
    }

    private void startNode(int id) {
        SimNode n = nodes[id];
        n.incarnation++;
        n.random = new SplittableRandom(seed * 1_000_003L + id * 7_919L + n.incarnation);
        n.node = n.factory.create(n);
        trace.add(now, "start", id, 0, "incarnation " + n.incarnation);
        n.node.start();
        notifyObservers(id);
    }

    private void deliver(Delivery d, boolean viaNetwork) {
        SimNode to = nodes[d.to];
        if (to.node == null || (viaNetwork && !canReach(d.from, d.to))) {
            dropped++;
            trace.add(now, "drop", d.to, d.from, d.message);
            return;
        }
        delivered++;
        trace.add(now, "deliver", d.to, d.from, d.message);
        long synced = to.disk.writesSynced();
        try {
            to.node.onMessage(d.from, d.message);
        } catch (RuntimeException e) {
            throw new NodeFailure(d.to, "handling " + d.message + " from node " + d.from, now, e);
        }
        traceSync(d.to, to.disk, synced);
        notifyObservers(d.to);
    }

    private void fire(Firing f) {
        SimNode n = nodes[f.node];
        if (n.node == null || n.incarnation != f.incarnation) return;
        int at = trace.size();
        long sentBefore = sent, written = n.disk.bytesWritten(), synced = n.disk.writesSynced();
        if (!f.timer.routine()) trace.add(now, "timer", f.node, 0, f.timer);
        try {
            n.node.onTimer(f.timer);
        } catch (RuntimeException e) {
            if (f.timer.routine()) trace.insert(at, now, "timer", f.node, 0, f.timer);
            throw new NodeFailure(f.node, "handling timer " + f.timer, now, e);
        }
        traceSync(f.node, n.disk, synced);
        notifyObservers(f.node);
        if (f.timer.routine() && (sent != sentBefore || n.disk.bytesWritten() != written || trace.size() != at))
            trace.insert(at, now, "timer", f.node, 0, f.timer); // a tick that did something: before what it did
    }

    /** Records a sync the node's last step made, with how many writes it made durable. */
    private void traceSync(int node, SimDisk disk, long syncedBefore) {
        long n = disk.writesSynced() - syncedBefore;
        if (n > 0) trace.add(now, "sync", node, 0, "synced " + n + (n == 1 ? " write" : " writes"));
    }

    private void notifyObservers(int node) {
        if (node >= 1 && nodes[node].client) return; // observers watch the members: a client's event changes none of them
        for (Observer o : observers) o.afterEvent(node);
    }

    private void enqueue(long time, Event e) {
        queue.add(new Scheduled(time, seq++, e));
    }

    private long delay() {
        return faults.minDelayMillis() + random.nextLong(faults.maxDelayMillis() - faults.minDelayMillis() + 1);
    }

    private static long link(int from, int to) {
        return ((long) from << 32) | to;
    }

    /** The context a node sees: everything goes back through the simulator. */
    private final class SimNode implements Context {
        final int id;
        final NodeFactory factory;
        final boolean client;
        final SimDisk disk = new SimDisk();
        Node node;
        long incarnation;
        SplittableRandom random;

        SimNode(int id, NodeFactory factory, boolean client) {
            this.id = id;
            this.factory = factory;
            this.client = client;
        }

        @Override public int id() { return id; }
        @Override public List<Integer> members() { return members; }
        @Override public long now() { return now; }
        @Override public RandomGenerator random() { return random; }
        @Override public Disk disk() { return disk; }

        @Override
        public void send(int to, Message message) {
            if (to < 1 || to >= nodes.length) throw new IllegalArgumentException("no node " + to);
            for (SendListener l : sendListeners) l.sent(id, to, message);
            sent++;
            trace.add(now, "send", id, to, message);
            if (Simulator.this.random.nextDouble() < faults.dropRate()) {
                dropped++;
                trace.add(now, "drop", to, id, message);
                return;
            }
            if (client || nodes[to].client) { // a connection: in order, never twice
                long at = Math.max(now + delay(), lastArrival.getOrDefault(link(id, to), 0L));
                lastArrival.put(link(id, to), at);
                enqueue(at, new Delivery(id, to, message, now));
                return;
            }
            enqueue(now + delay(), new Delivery(id, to, message, now));
            if (Simulator.this.random.nextDouble() < faults.duplicateRate()) {
                trace.add(now, "duplicate", to, id, message);
                enqueue(now + delay(), new Delivery(id, to, message, now));
            }
        }

        @Override
        public void setTimer(Timer timer, long delayMillis) {
            if (delayMillis < 0) throw new IllegalArgumentException("negative delay");
            enqueue(now + delayMillis, new Firing(id, incarnation, timer));
        }
    }
}
