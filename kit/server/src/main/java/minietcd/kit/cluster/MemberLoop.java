package minietcd.kit.cluster;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;
import minietcd.kit.node.Context;
import minietcd.kit.node.Disk;
import minietcd.kit.node.Message;
import minietcd.kit.node.Node;
import minietcd.kit.node.Timer;
import minietcd.kit.raft.RaftMessage;

/**
 * The real runtime of one node: its {@link Context} and the one thread that runs its handlers.
 *
 * <p>Events (a peer's message, a timer, a client's request) queue up; the loop takes every event
 * waiting, runs their handlers one after another under {@link #lock()}, then forces the disk once
 * (group commit, see {@link FileDisk}), and only then lets out what the handlers produced: messages
 * to peers and answers to clients, queued with {@link #afterSync}. The clock is the one given (the
 * wall clock, but for tests that move time on) and the random generator is seeded at random: a real run is not replayable, only the simulator's are.
 *
 * <p>A handler that throws stops the member, as a crash would: the exception is printed and the loop
 * ends (in a member process, the process exits with status 70), so a fault in lab code shows at once
 * instead of leaving a half-updated node.
 */
public final class MemberLoop implements Context, AutoCloseable {
    private static final int MAX_BATCH = 4096;

    private final int id;
    private final List<Integer> members;
    private final FileDisk disk;
    private final PeerTransport peers;
    private final ReentrantLock lock = new ReentrantLock();
    private final LinkedBlockingQueue<Runnable> events = new LinkedBlockingQueue<>();
    private final List<Runnable> released = new ArrayList<>();
    /** What the handlers of the running batch sent, by peer: one chunk of each peer's stream once the batch is forced. */
    private final java.util.Map<Integer, List<Message>> outbox = new java.util.TreeMap<>();
    /** The batch's messages that may precede the force, by peer (see {@link #sendEarly}). */
    private final java.util.Map<Integer, List<Message>> early = new java.util.TreeMap<>();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "timers");
        t.setDaemon(true);
        return t;
    });
    private final RandomGenerator random = new SplittableRandom(new SecureRandom().nextLong());
    private final java.util.function.LongSupplier clock;
    private Node node;
    private Thread thread;
    /** Whether a failed handler ends the process (a member process) or only this loop (a member in a test's JVM). */
    volatile boolean haltOnFailure;
    private Runnable endOfBatch = () -> {};
    private volatile boolean running;

    MemberLoop(int id, List<Integer> members, FileDisk disk, PeerTransport peers, java.util.function.LongSupplier clock) {
        this.id = id;
        this.clock = clock;
        this.members = List.copyOf(members);
        this.disk = disk;
        this.peers = peers;
    }

    /**
     * Runs the node's start handler on the calling thread, so that a node that cannot start (a corrupt
     * log, say) throws to the caller, then starts the loop's thread.
     */
    void start(Node node) {
        this.node = node;
        running = true;
        List<Runnable> out;
        lock.lock();
        try {
            node.start();
            sendEarly();
            disk.force();
            out = takeReleased();
        } finally {
            lock.unlock();
        }
        out.forEach(Runnable::run);
        thread = new Thread(this::loop, "member-" + id);
        thread.start();
    }

    /** The lock every handler runs under: hold it to read the node's state from another thread. */
    public ReentrantLock lock() {
        return lock;
    }

    /** Runs {@code action} on the loop's thread after each batch of events, before the disk is forced. */
    void endOfBatch(Runnable action) {
        this.endOfBatch = action;
    }

    /** Queues an event; its handler runs on the loop's thread. */
    public void submit(Runnable event) {
        events.add(event);
    }

    /** From a handler: runs {@code action} once this batch's writes are forced to the disk. */
    public void afterSync(Runnable action) {
        released.add(action);
    }

    void deliver(int from, Message m) {
        events.add(() -> node.onMessage(from, m));
    }

    private void loop() {
        List<Runnable> batch = new ArrayList<>();
        while (running) {
            try {
                batch.add(events.take());
            } catch (InterruptedException e) {
                return;
            }
            events.drainTo(batch, MAX_BATCH - 1);
            List<Runnable> out;
            lock.lock();
            try {
                for (Runnable e : batch) e.run();
                endOfBatch.run();
                sendEarly();
                disk.force();
                out = takeReleased();
            } catch (RuntimeException | Error e) {
                System.err.println("member " + id + " stops: a handler failed");
                e.printStackTrace();
                System.err.flush();
                running = false;
                if (haltOnFailure) Runtime.getRuntime().halt(70);
                return;
            } finally {
                lock.unlock();
            }
            batch.clear();
            for (Runnable r : out) r.run();
        }
    }

    @Override public int id() { return id; }
    @Override public List<Integer> members() { return members; }
    @Override public long now() { return clock.getAsLong(); }
    @Override public RandomGenerator random() { return random; }
    @Override public Disk disk() { return disk; }

    @Override
    public void send(int to, Message message) {
        (RaftMessage.mayPrecedeSync(message) ? early : outbox).computeIfAbsent(to, k -> new ArrayList<>()).add(message);
    }

    /**
     * Sends the batch's AppendEntries and InstallSnapshots before the disk is forced
     * ({@link RaftMessage#mayPrecedeSync}), so the leader's fsync and the followers' run at the same
     * time. It stays safe because the leader counts its own copy of an entry toward a commit only in
     * a later batch than the one that appended it (no answer to these messages can arrive sooner),
     * after this force.
     */
    private void sendEarly() {
        for (var e : early.entrySet()) peers.post(e.getKey(), List.copyOf(e.getValue()));
        early.clear();
    }

    /** What the batch produced, to let out after the force: the messages, one chunk per peer, then the rest. */
    private List<Runnable> takeReleased() {
        List<Runnable> out = new ArrayList<>();
        for (var e : outbox.entrySet()) {
            int to = e.getKey();
            List<Message> batch = List.copyOf(e.getValue());
            out.add(() -> peers.post(to, batch));
        }
        outbox.clear();
        out.addAll(released);
        released.clear();
        return out;
    }

    @Override
    public void setTimer(Timer timer, long delayMillis) {
        timers.schedule(() -> events.add(() -> node.onTimer(timer)), delayMillis, TimeUnit.MILLISECONDS);
    }

    /** Stops the loop after the events queued before this call, and waits for it. */
    @Override
    public void close() {
        timers.shutdownNow();
        events.add(() -> running = false);
        if (thread == null) return;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
