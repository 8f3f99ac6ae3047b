package minietcd.kit.server;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collection;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import minietcd.kit.watch.Watchable;

/**
 * {@code /v3/watch}: one HTTP request is one watch stream ({@link WatchStream} says how a stream
 * reads, writes and ends). What the streams of one gateway share is here, and none of it grows with
 * their number: the store and its lock, the member that signs the headers, the gateway's clock and
 * {@link WatchSettings}, {@link #WRITERS} writer threads that turn queued messages into bytes on the
 * connections, and one upkeep thread ({@link WatchUpkeep}). An open stream holds no thread: ten
 * thousand streams leave Jetty's request threads to the other RPCs.
 *
 * <p>The threads start with the first stream and stop when the server does (its running flag turns
 * false): the upkeep thread then ends every stream, and the writer threads end once idle.
 */
final class WatchService {
    static final int WRITERS = 2;

    private final Supplier<Watchable> stores;
    private final Member member;
    private final Lock lock;
    private final BooleanSupplier running;
    private final LongSupplier clock;
    private final ThreadPoolExecutor writers;
    private volatile WatchSettings settings = WatchSettings.DEFAULT;
    private WatchUpkeep upkeep;
    // under the store lock: when a stream next needs an upkeep round, and the store object of the last round
    private long nextDue = Long.MAX_VALUE;
    private Watchable lastStore;

    /**
     * @param stores  the store (a replica's may be a new object after a snapshot); called with the lock held
     * @param lock    the store lock
     * @param running whether the server is running
     * @param clock   the gateway's clock, in milliseconds, for the durations of {@link WatchSettings}
     */
    WatchService(Supplier<Watchable> stores, Member member, Lock lock, BooleanSupplier running, LongSupplier clock) {
        this.stores = stores;
        this.member = member;
        this.lock = lock;
        this.running = running;
        this.clock = clock;
        AtomicInteger n = new AtomicInteger();
        this.writers = new ThreadPoolExecutor(WRITERS, WRITERS, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "watch-writer-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        writers.allowCoreThreadTimeOut(true);
    }

    void settings(WatchSettings s) {
        settings = s;
    }

    WatchSettings settings() {
        return settings;
    }

    /**
     * Serves a {@code POST /v3/watch} (CORS headers already set): starts the stream and returns at
     * once; the request goes on in async mode. Only for requests that came through {@link WatchServlet}.
     */
    void stream(HttpServletRequest req, HttpServletResponse res) throws IOException {
        if (req.getAttribute(WatchServlet.VIA) == null) throw new IllegalStateException("a watch stream must come through WatchServlet");
        new WatchStream(this, req, res).start(now());
    }

    /** How many streams are open. */
    synchronized int openStreams() {
        return upkeep == null ? 0 : upkeep.size();
    }

    // ---- for the streams ------------------------------------------------------------------------

    Lock lock() { return lock; }
    Member member() { return member; }
    boolean running() { return running.getAsBoolean(); }
    long now() { return clock.getAsLong(); }

    /** The store as it is now. Lock held. */
    Watchable currentStore() {
        return stores.get();
    }

    /** Runs a stream's writing on a writer thread. */
    void write(Runnable drain) {
        writers.execute(drain);
    }

    /** A stream opened: the upkeep looks after it. False if the server is stopping. */
    synchronized boolean opened(WatchStream s) {
        if (!running()) return false;
        if (upkeep == null || upkeep.finished()) upkeep = new WatchUpkeep(this).start();
        return upkeep.add(s);
    }

    synchronized void bodyEnded(WatchStream s) {
        if (upkeep != null) upkeep.bodyEnded(s);
    }

    synchronized void closed(WatchStream s) {
        if (upkeep != null) upkeep.remove(s);
    }

    /** A stream needs an upkeep round at {@code time} of the gateway's clock. Lock held. */
    void dueAt(long time) {
        nextDue = Math.min(nextDue, time);
    }

    /**
     * An upkeep round, under the store lock: over every open stream if the store object changed or
     * one of them is due (see {@link WatchStream#upkeep}), else nothing, so that thousands of quiet
     * streams cost nothing between rounds.
     */
    void upkeep(Collection<WatchStream> streams) {
        if (streams.isEmpty()) return;
        lock.lock();
        try {
            Watchable now = stores.get();
            long time = clock.getAsLong();
            if (now == lastStore && time < nextDue) return;
            lastStore = now;
            long due = Long.MAX_VALUE;
            for (WatchStream s : streams) due = Math.min(due, s.upkeep(now, time));
            nextDue = due;
        } finally {
            lock.unlock();
        }
    }
}
