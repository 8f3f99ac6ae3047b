package minietcd.kit.server;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.function.BooleanSupplier;
import minietcd.kit.watch.WatchRequest;
import minietcd.kit.watch.WatchResponse;
import minietcd.kit.watch.WatchSink;
import minietcd.kit.watch.Watchable;

/**
 * {@code /v3/watch}: one HTTP request is one watch stream. The requests in its body (see
 * {@link WatchJson}) are applied to the store in order, under the store lock; the stream then stays
 * open, as etcd's does, writing each message the store sends as one line, until the client goes
 * away or the server closes.
 *
 * <p>Unlike etcd's gateway, which reads the body as it comes, the requests are applied once the whole
 * request body has arrived (curl's {@code -d} sends it at once, so this shows only to a client that
 * keeps its request body open to send more requests later).
 *
 * <p>The stream's sink is a bounded queue between the store (which offers under the lock and must
 * not block) and the request's thread (which writes to the connection): when it is full the store
 * keeps the watcher behind and catches it up later from history. A client that went away is
 * noticed when the next message fails to be written; its watchers are then canceled. Each open
 * stream holds one of the server's request threads for as long as it is open. When a replica's store
 * object is replaced (it installed the leader's snapshot), the stream's watches move to the new one.
 */
final class WatchService {
    static final int SINK_ROOM = 1024;

    private final java.util.function.Supplier<Watchable> stores;
    private final Member member;
    private final Lock lock;
    private final BooleanSupplier running;

    WatchService(java.util.function.Supplier<Watchable> stores, Member member, Lock lock, BooleanSupplier running) {
        this.stores = stores;
        this.member = member;
        this.lock = lock;
        this.running = running;
    }

    void stream(String body, HttpServletResponse res) throws IOException {
        BlockingQueue<WatchResponse> queue = new ArrayBlockingQueue<>(SINK_ROOM);
        Watches watches = new Watches();
        WatchSink sink = m -> {
            if (watches.swallow(m)) return true;
            if (!queue.offer(m)) return false;
            watches.sent(m);
            return true;
        };
        res.setStatus(200);
        res.setContentType(Replies.JSON);
        res.setHeader("Grpc-Metadata-Content-Type", "application/grpc");
        OutputStream out = res.getOutputStream();
        out.flush(); // headers now; the body follows chunk by chunk
        Watchable store;
        lock.lock();
        try {
            store = stores.get();
            for (WatchJson.Request r : WatchJson.requests(body)) {
                if (r instanceof WatchJson.Create c) {
                    try {
                        long id = store.watch(c.request(), sink);
                        watches.created(id, c.request().withId(id));
                    } catch (IllegalArgumentException e) {
                        break; // an id already in use on this stream: etcd ends the stream
                    }
                } else if (r instanceof WatchJson.Cancel x) store.cancel(sink, x.watchId());
                else store.requestProgress(sink);
            }
        } finally {
            lock.unlock();
        }
        try {
            while (running.getAsBoolean()) {
                WatchResponse m = queue.poll(100, TimeUnit.MILLISECONDS);
                if (m == null) {
                    store = movedIfReplaced(store, watches, sink);
                    continue;
                }
                out.write((WatchJson.response(member, m) + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client went away
        } finally {
            lock.lock();
            try {
                if (stores.get() == store) for (long id : watches.ids()) store.cancel(sink, id);
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * A replica that installed the leader's snapshot has a new store object, and the old one's
     * watchers are gone. As etcd does, the stream's watches go on on the new store, each from the
     * revision after the last it was sent (a watch whose revisions were compacted away meanwhile is
     * canceled with the compaction revision, as any watch from a compacted revision is).
     */
    private Watchable movedIfReplaced(Watchable store, Watches watches, WatchSink sink) {
        lock.lock();
        try {
            Watchable now = stores.get();
            if (now == store) return store;
            for (long id : watches.ids()) {
                watches.recreating(id);
                now.watch(watches.request(id).from(watches.next(id)), sink);
            }
            return now;
        } finally {
            lock.unlock();
        }
    }

    /** A stream's watches: each one's request and how far it has been sent. Used under the store lock. */
    private static final class Watches {
        private final Map<Long, WatchRequest> requests = new TreeMap<>();
        /** The revision each watch was created at (its "created" answer's). */
        private final Map<Long, Long> createdAt = new TreeMap<>();
        /** The next revision each watch has not been sent, once it was sent events or a progress. */
        private final Map<Long, Long> sentUpTo = new TreeMap<>();
        private final Set<Long> recreated = new TreeSet<>();

        void created(long id, WatchRequest request) {
            requests.put(id, request);
        }

        List<Long> ids() { return new ArrayList<>(requests.keySet()); }
        WatchRequest request(long id) { return requests.get(id); }

        /** The first revision the watch has not been sent. */
        long next(long id) {
            Long sent = sentUpTo.get(id);
            if (sent != null) return sent;
            long start = requests.get(id).startRevision();
            return start > 0 ? start : createdAt.getOrDefault(id, 0L) + 1;
        }

        /** The watch is registered again on a new store: the client already has its "created". */
        void recreating(long id) {
            recreated.add(id);
        }

        boolean swallow(WatchResponse m) {
            return m.created() && recreated.remove(m.watchId());
        }

        /** Notes how far the watch (or, for a stream-wide progress, every watch) has been sent. */
        void sent(WatchResponse m) {
            if (m.canceled()) {
                requests.remove(m.watchId());
                return;
            }
            if (m.created()) {
                createdAt.put(m.watchId(), m.revision());
            } else if (!m.events().isEmpty()) {
                sentUpTo.merge(m.watchId(), m.events().get(m.events().size() - 1).kv().modRevision() + 1, Math::max);
            } else if (m.isProgress()) {
                for (long id : m.watchId() == -1 ? List.copyOf(createdAt.keySet()) : List.of(m.watchId())) sentUpTo.merge(id, m.revision() + 1, Math::max);
            }
        }
    }
}
