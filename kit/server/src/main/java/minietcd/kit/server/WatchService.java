package minietcd.kit.server;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.function.BooleanSupplier;
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
 * stream holds one of the server's request threads for as long as it is open.
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
        WatchSink sink = queue::offer;
        List<Long> ids = new ArrayList<>();
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
                        ids.add(store.watch(c.request(), sink));
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
                    if (replaced(store)) break; // a replica installed the leader's snapshot: its watchers are gone, the client watches again
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
                if (stores.get() == store) for (long id : ids) store.cancel(sink, id);
            } finally {
                lock.unlock();
            }
        }
    }

    private boolean replaced(Watchable store) {
        lock.lock();
        try {
            return stores.get() != store;
        } finally {
            lock.unlock();
        }
    }
}
