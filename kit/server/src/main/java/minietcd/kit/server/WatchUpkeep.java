package minietcd.kit.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;

/**
 * The one thread that looks after every open watch stream of a gateway, however many there are:
 *
 * <ul>
 *   <li>it notices a client that left once its request body has ended. Jetty reads nothing from a
 *       connection whose request it has fully read until the response is over, so a close would
 *       go unseen until the next write; this thread keeps each such connection registered, for
 *       reading, with a selector of its own, and a connection that turns readable is checked at once
 *       ({@link WatchStream#hungUp()}): a client that closed ends its stream within milliseconds;</li>
 *   <li>every {@link #ROUND_MS} ms of wall time it runs an upkeep round (see {@link WatchService#upkeep}):
 *       a replaced store object, progress notifications, a client too far behind for too long. A
 *       round goes over the streams in the order they opened;</li>
 *   <li>when the server stops (its running flag turns false) it ends every stream and stops.</li>
 * </ul>
 *
 * Registered streams are held here; a stream that ends takes itself out.
 */
final class WatchUpkeep {
    static final long ROUND_MS = 50;

    private final WatchService service;
    private final Selector selector;
    /** In the order the streams opened, which is the order of a round. */
    private final Set<WatchStream> streams = new ConcurrentSkipListSet<>(Comparator.comparingLong(WatchStream::seq));
    private final ConcurrentLinkedQueue<WatchStream> bodiesEnded = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean finished;

    WatchUpkeep(WatchService service) {
        this.service = service;
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.thread = new Thread(this::run, "watch-upkeep");
        thread.setDaemon(true);
    }

    WatchUpkeep start() {
        thread.start();
        return this;
    }

    boolean finished() {
        return finished;
    }

    /** Takes a new stream in; false if this thread has stopped (the server is stopping). */
    boolean add(WatchStream s) {
        if (finished) return false;
        streams.add(s);
        if (finished && streams.remove(s)) return false;
        return true;
    }

    /** The stream's body ended: from now on its connection is watched for its client closing it. */
    void bodyEnded(WatchStream s) {
        bodiesEnded.add(s);
        selector.wakeup();
    }

    /** A stream that ended takes itself out. */
    void remove(WatchStream s) {
        streams.remove(s);
        if (s.hangupKey instanceof SelectionKey k) k.cancel();
    }

    int size() {
        return streams.size();
    }

    private void run() {
        long nextRound = System.nanoTime();
        try {
            while (service.running()) {
                selector.select(ROUND_MS);
                for (WatchStream s; (s = bodiesEnded.poll()) != null; ) watchForHangup(s);
                for (SelectionKey k : selector.selectedKeys()) {
                    WatchStream s = (WatchStream) k.attachment();
                    if (s.hungUp()) {
                        k.cancel();
                        s.end(true);
                    }
                }
                selector.selectedKeys().clear();
                long now = System.nanoTime();
                if (now - nextRound >= 0) {
                    try {
                        service.upkeep(streams);
                    } catch (RuntimeException e) { // a store that throws: report it, and go on looking after the streams
                        System.err.println("watch upkeep: " + e);
                    }
                    nextRound = now + TimeUnit.MILLISECONDS.toNanos(ROUND_MS);
                }
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("watch upkeep stopped: " + e);
        } finally {
            finished = true;
            for (WatchStream s : streams) s.end(false);
            try {
                selector.close();
            } catch (IOException ignored) {
                // nothing left to free
            }
        }
    }

    private void watchForHangup(WatchStream s) {
        SelectableChannel c = s.channel();
        if (c == null || s.isEnded()) return;
        try {
            s.hangupKey = c.register(selector, SelectionKey.OP_READ, s);
            if (s.isEnded()) ((SelectionKey) s.hangupKey).cancel();
        } catch (ClosedChannelException e) {
            s.end(true);
        }
    }
}
