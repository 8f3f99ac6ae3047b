package minietcd.kit.server;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import minietcd.kit.mvcc.KeyValue;
import minietcd.kit.mvcc.Event;
import minietcd.kit.etcd.WatchGateway;
import minietcd.kit.etcd.GatewayJson;
import minietcd.kit.etcd.GatewayJson.WatchCancel;
import minietcd.kit.etcd.GatewayJson.WatchCreate;
import minietcd.kit.etcd.GatewayJson.WatchStreamRequest;
import minietcd.kit.mvcc.EtcdException;
import minietcd.kit.watch.WatchRequest;
import minietcd.kit.watch.WatchResponse;
import minietcd.kit.watch.WatchSink;
import minietcd.kit.watch.Watchable;
import org.eclipse.jetty.ee10.servlet.HttpOutput;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;

/**
 * One {@code /v3/watch} stream, on servlet async I/O: while it is open it holds no thread. Jetty calls
 * it when body bytes arrive or the connection can take more; the store calls its sink; the service's
 * writer threads and its upkeep thread ({@link WatchUpkeep}) do the rest.
 *
 * <p><b>Reading.</b> The body is cut into JSON values as it arrives ({@link WatchBody}) and each
 * request is applied to the store, under the store lock, as soon as it is whole, so a watch created
 * by a later request of a body kept open sees the events after it. As etcd's gateway: the first value
 * decides the answer (one that does not decode gets Go's error, {@code {"error","message","code"}}
 * with the HTTP status of its code, usually 500 for code 2, with a Content-Length and no stream);
 * after it, a value that does not decode ends the reading (the rest of the body is dropped) and
 * the stream goes on. An empty body opens a stream that says nothing, as etcd's does: the 200 and its
 * headers go out with the first message.
 *
 * <p><b>Writing.</b> The store's messages go into an outgoing queue with bounded room
 * ({@link #ROOM_MESSAGES} messages or about {@link #ROOM_BYTES} bytes): when it is full the sink
 * refuses, and the store keeps the watcher behind and catches it up later from its history (created
 * and canceled messages are always taken: there are at most as many as requests). The queue is
 * written as the connection takes it, one message and its newline per chunk, as etcd writes;
 * never blocking. The store's own 10-second progress messages are dropped: progress goes out at the
 * gateway's interval ({@link WatchSettings#progressNotifyInterval()}), with etcd's rules (see
 * {@link StreamWatches}), to the watches that asked, when the stream is up to date. A stream that
 * stays full for longer than {@link WatchSettings#slowClientLimit()} has every watch canceled, each
 * with the reason {@link #TOO_SLOW}, after what is already queued: it is never closed for being
 * slow, nor for being quiet (the connection's idle timeout is off while the stream lives, as etcd
 * has none).
 *
 * <p><b>Ending.</b> The stream ends when its client goes (a failed read or write, or, once the body
 * has ended, the connection turning readable at its end, which {@link WatchUpkeep} watches for) or
 * the server stops. Ending cancels its watchers in the store, drops its queue, completes the request
 * and, if the client went, closes the connection. After that the sink takes and drops everything.
 *
 * <p><b>A new store object.</b> When a replica installs the leader's snapshot its store is a new
 * object and the old one's watchers are gone. As etcd does, the stream's watches go on on the new
 * store, each from the revision after the last it was sent (a watch whose revisions were compacted
 * away meanwhile is canceled with the compaction revision, as any watch from a compacted revision
 * is). This is checked before each request and at every upkeep round.
 *
 * <p>Threads: the fields of the store's side are used under the store lock; the reader's by Jetty's
 * read callbacks, one at a time; the writer's under this object's monitor. Lock order: this
 * object's monitor, then the store lock.
 */
final class WatchStream {
    static final int ROOM_MESSAGES = 1024;
    static final long ROOM_BYTES = 1 << 20;
    /** The reason a stream that stayed too far behind has its watches canceled for. */
    static final String TOO_SLOW = "gateway: the watch stream fell too far behind: its client took too little of it for too long";
    /** An object still open is checked for a syntax error as it grows, while it is no bigger than this. */
    private static final int EARLY_CHECK_BYTES = 64 * 1024;

    /** A message to write: a store's (with the gateway's cancel reason, if any), or, last of all, {@code raw} text as it is. */
    private record Outgoing(WatchResponse response, String cancelReason, String raw, long bytes) {}

    private static final AtomicLong OPENED = new AtomicLong();

    /** The order streams opened in. */
    private final long seq = OPENED.incrementAndGet();
    private final WatchService service;
    private final HttpServletRequest req;
    private final HttpServletResponse res;
    private final AsyncContext async;
    /** The connection's end point, or null if Jetty does not show it (then only a failed write notices a client that left). */
    private final EndPoint endPoint;
    private final long idleTimeout;
    private final WatchSink sink = this::offer;
    private final AtomicBoolean ended = new AtomicBoolean();

    // the store's side, under the store lock
    private final StreamWatches watches = new StreamWatches();
    private Watchable store;
    /** The stream broke: what the store sends from now on is dropped. */
    private boolean breaking;
    private boolean probing;
    private long probed;
    private long nextProgressAt;

    // between the store's side and the writer
    private final ConcurrentLinkedQueue<Outgoing> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable drain = this::drain;
    /** The gateway clock's time the queue first refused a message since it was last half empty, or -1. */
    private volatile long behindSince = -1;

    // the reader's, in Jetty's read callbacks
    private final WatchBody body = new WatchBody();
    private byte[] readBuffer = new byte[8192];
    private boolean first = true;
    private boolean taking = true;

    // the writer's, under this object's monitor
    private ServletOutputStream out;

    // the upkeep thread's
    private final ByteBuffer scratch = BufferUtil.allocate(64);
    volatile Object hangupKey;

    WatchStream(WatchService service, HttpServletRequest req, HttpServletResponse res) {
        this.service = service;
        this.req = req;
        this.res = res;
        ServletContextRequest jetty = ServletContextRequest.getServletContextRequest(req);
        this.endPoint = jetty == null ? null : jetty.getConnectionMetaData().getConnection().getEndPoint();
        this.idleTimeout = endPoint == null ? 0 : endPoint.getIdleTimeout();
        this.async = req.startAsync();
    }

    /** Starts reading the body; returns at once. */
    void start(long now) throws IOException {
        async.setTimeout(0);
        async.addListener(new AsyncListener() {
            @Override public void onComplete(AsyncEvent e) { end(false); }
            @Override public void onTimeout(AsyncEvent e) { end(true); }
            @Override public void onError(AsyncEvent e) { end(true); }
            @Override public void onStartAsync(AsyncEvent e) { }
        });
        if (endPoint != null) endPoint.setIdleTimeout(0);
        nextProgressAt = now + service.settings().progressNotifyInterval().toMillis();
        if (!service.opened(this)) {
            end(false); // the server is stopping
            return;
        }
        ServletInputStream in = req.getInputStream();
        in.setReadListener(new Reader(in));
    }

    /** The connection's channel, for {@link WatchUpkeep} to see it close; null if unknown. */
    SelectableChannel channel() {
        return endPoint != null && endPoint.getTransport() instanceof SelectableChannel c ? c : null;
    }

    boolean isEnded() {
        return ended.get();
    }

    long seq() {
        return seq;
    }

    // ---- reading ----------------------------------------------------------------------------------

    private final class Reader implements ReadListener {
        private final ServletInputStream in;

        Reader(ServletInputStream in) {
            this.in = in;
        }

        @Override
        public void onDataAvailable() throws IOException {
            while (!ended.get() && in.isReady()) {
                int n = in.read(readBuffer);
                if (n < 0) return;
                if (taking) take(body.feed(readBuffer, 0, n));
            }
            if (taking && !ended.get() && body.pendingBytes() <= EARLY_CHECK_BYTES) {
                String open = body.pending();
                EtcdException e = open == null ? null : WatchGateway.brokenPrefix(open);
                if (e != null) refuse(e);
            }
        }

        @Override
        public void onAllDataRead() {
            if (taking) {
                String rest = body.end();
                if (rest != null) take(List.of(rest));
            }
            if (first) {
                first = false;
                open(); // an empty body: a stream that says nothing, as etcd's
            }
            readBuffer = null;
            if (!ended.get()) service.bodyEnded(WatchStream.this);
        }

        @Override
        public void onError(Throwable t) {
            end(true);
        }
    }

    private void take(List<String> values) {
        for (String v : values) {
            if (!taking || ended.get()) return;
            WatchStreamRequest r;
            try {
                r = WatchGateway.request(v);
            } catch (EtcdException e) {
                refuse(e);
                return;
            }
            if (r instanceof WatchCreate && WatchGateway.breaksTheStream(v)) {
                broken();
                return;
            }
            if (first) {
                first = false;
                open();
            }
            if (r != null) apply(r);
        }
        if (taking && body.tooLarge()) refuse(new EtcdException(EtcdException.RESOURCE_EXHAUSTED, "grpc: received message larger than max"));
    }

    /** A value that does not decode: the first is answered with its error, a later one ends the reading. */
    private void refuse(EtcdException e) {
        taking = false;
        if (!first) return;
        first = false;
        if (endPoint != null) endPoint.setIdleTimeout(idleTimeout); // a plain answer: the connection may serve more requests
        try {
            Replies.fixed(res, GatewayJson.httpStatus(e.code()), Replies.JSON, GatewayJson.error(e));
        } catch (IOException | RuntimeException ignored) {
            // the client went away meanwhile
        }
        end(false);
    }

    /** A request that etcd passes on but cannot read back: the stream breaks, with the gateway's error as its last words. */
    private void broken() {
        taking = false;
        if (first) {
            first = false;
            if (endPoint != null) endPoint.setIdleTimeout(idleTimeout);
            try {
                res.setStatus(500);
                Replies.contentType(res, Replies.JSON);
                ServletOutputStream o = res.getOutputStream();
                o.write(WatchGateway.BROKEN_STREAM.getBytes(StandardCharsets.UTF_8));
                o.flush(); // no length: chunked, as the gateway sends a stream's error
                o.close();
            } catch (IOException | RuntimeException ignored) {
                // the client went away meanwhile
            }
            end(false);
            return;
        }
        service.lock().lock();
        try {
            if (ended.get() || breaking) return;
            breaking = true;
            queue.add(new Outgoing(null, null, WatchGateway.BROKEN_STREAM, 0));
            queued.incrementAndGet();
            if (scheduled.compareAndSet(false, true)) service.write(drain);
        } finally {
            service.lock().unlock();
        }
    }

    /** The first request decoded: this is a stream. Its headers go out with its first message. */
    private void open() {
        res.setStatus(200);
        res.setContentType(Replies.JSON);
        res.setHeader("Grpc-Metadata-Content-Type", "application/grpc");
        try {
            ServletOutputStream o = res.getOutputStream();
            synchronized (this) {
                o.setWriteListener(new Writer());
                out = o;
            }
        } catch (IOException | RuntimeException e) {
            end(true);
        }
    }

    private void apply(WatchStreamRequest r) {
        service.lock().lock();
        try {
            if (ended.get()) return;
            Watchable s = current(service.currentStore());
            if (r instanceof WatchCreate c) create(s, c.request());
            else if (r instanceof WatchCancel x) s.cancel(sink, x.watchId());
            else s.requestProgress(sink);
        } finally {
            service.lock().unlock();
        }
    }

    private void create(Watchable s, WatchRequest asked) {
        WatchRequest w = WatchGateway.asEtcdWatches(asked);
        if (WatchGateway.emptyRange(w)) {
            enqueue(WatchGateway.refused(s.currentRevision()), WatchGateway.EMPTY_RANGE);
            return;
        }
        if (w.progressNotify()) progress(service.now()); // a tick that has passed is for the watches made before this one
        long id;
        try {
            id = s.watch(w, sink);
        } catch (IllegalArgumentException e) {
            enqueue(WatchGateway.refused(s.currentRevision()), WatchGateway.DUPLICATE_ID);
            return;
        }
        watches.created(id, w.withId(id));
        if (w.progressNotify()) service.dueAt(nextProgressAt); // its first notification comes at the stream's next tick
    }

    /** The store this stream's watches are on, moved to {@code now} first if the store object was replaced. Lock held. */
    private Watchable current(Watchable now) {
        if (store == null) {
            store = now;
        } else if (now != store) {
            for (long id : watches.ids()) {
                watches.recreating(id);
                now.watch(watches.request(id).from(watches.next(id)), sink);
            }
            store = now;
        }
        return store;
    }

    // ---- the sink: called by the store, lock held -------------------------------------------------

    private boolean offer(WatchResponse m) {
        if (ended.get() || breaking) return true; // the client is gone, or the stream is: dropped
        if (watches.swallow(m)) return true;
        if (m.isProgress()) {
            if (probing && m.watchId() == -1) {
                probed = m.revision();
                return true;
            }
            if (m.watchId() != -1) return true; // the store's own periodic progress: the gateway keeps its own interval
        }
        boolean control = m.created() || m.canceled();
        if (!control && isFull()) {
            if (behindSince < 0) {
                behindSince = service.now();
                service.dueAt(behindSince + service.settings().slowClientLimit().toMillis());
            }
            return false;
        }
        enqueue(m, m.canceled() ? watches.cancelReason(m.watchId()) : null);
        return true;
    }

    private boolean isFull() {
        return queued.get() >= ROOM_MESSAGES || queuedBytes.get() >= ROOM_BYTES;
    }

    private void enqueue(WatchResponse m, String cancelReason) {
        watches.sent(m);
        long bytes = estimatedBytes(m);
        queue.add(new Outgoing(m, cancelReason, null, bytes));
        queued.incrementAndGet();
        queuedBytes.addAndGet(bytes);
        if (scheduled.compareAndSet(false, true)) service.write(drain);
    }

    // ---- writing: a writer thread or Jetty's onWritePossible -----------------------------------------

    private final class Writer implements WriteListener {
        @Override
        public void onWritePossible() {
            drain();
        }

        @Override
        public void onError(Throwable t) {
            end(true);
        }
    }

    /** Writes what is queued for as long as the connection takes it without blocking. */
    private synchronized void drain() {
        if (out == null || ended.get()) { // not open yet (its first onWritePossible drains), or over
            scheduled.set(false);
            return;
        }
        try {
            while (true) {
                if (!out.isReady()) return; // onWritePossible comes when it can take more; until then nothing is scheduled
                Outgoing m = queue.poll();
                if (m == null) {
                    scheduled.set(false);
                    if (queue.isEmpty() || !scheduled.compareAndSet(false, true)) return;
                    continue;
                }
                queued.decrementAndGet();
                long left = queuedBytes.addAndGet(-m.bytes());
                if (behindSince >= 0 && queued.get() <= ROOM_MESSAGES / 2 && left <= ROOM_BYTES / 2) behindSince = -1;
                byte[] line = (m.raw() != null ? m.raw() : GatewayJson.watch(service.member().header(m.response().revision()), m.response(), m.cancelReason()) + "\n").getBytes(StandardCharsets.UTF_8);
                if (out instanceof HttpOutput jetty) jetty.write(ByteBuffer.wrap(line)); // sent as it is, one chunk: no buffer held per stream
                else {
                    out.write(line);
                    if (out.isReady()) out.flush();
                }
                if (m.raw() != null) { // the stream's last words
                    end(false);
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            end(true);
        }
    }

    // ---- upkeep: WatchUpkeep's thread -----------------------------------------------------------------

    /**
     * One upkeep round, lock held: a new store object, the progress interval, a client too far behind
     * for too long. Returns when this stream next needs a round (on the gateway's clock), or
     * {@link Long#MAX_VALUE} if only a new store object would need one.
     */
    long upkeep(Watchable now, long time) {
        if (ended.get() || store == null) return Long.MAX_VALUE;
        current(now);
        progress(time);
        tooSlow(time);
        long due = watches.wantsProgress() ? nextProgressAt : Long.MAX_VALUE;
        long since = behindSince;
        return since < 0 ? due : Math.min(due, since + service.settings().slowClientLimit().toMillis());
    }

    /** Moves the stream's progress ticks (its opening time plus whole intervals) past {@code time}; whether one was passed. */
    private boolean progressTicked(long time) {
        if (time < nextProgressAt) return false;
        long interval = service.settings().progressNotifyInterval().toMillis();
        nextProgressAt += ((time - nextProgressAt) / interval + 1) * interval;
        return true;
    }

    private void progress(long time) {
        if (!progressTicked(time)) return;
        List<Long> due = watches.dueForProgress();
        if (due.isEmpty() || isFull()) return;
        probing = true;
        probed = -1;
        try {
            store.requestProgress(sink); // answers only if every watch of the stream is up to date
        } finally {
            probing = false;
        }
        if (probed < 0) return;
        for (long id : due) enqueue(WatchResponse.progress(id, probed), null);
    }

    private void tooSlow(long time) {
        long since = behindSince;
        if (since < 0 || time - since < service.settings().slowClientLimit().toMillis()) return;
        behindSince = -1;
        for (long id : watches.ids()) {
            watches.cancelling(id, TOO_SLOW);
            store.cancel(sink, id);
        }
    }

    /**
     * The connection turned readable after the body ended: whether the client closed it. Bytes it
     * sends after its body are read and dropped (nothing on this connection will ever read them).
     */
    boolean hungUp() {
        try {
            while (true) {
                BufferUtil.clear(scratch);
                int n = endPoint.fill(scratch);
                if (n < 0) return true;
                if (n == 0) return false;
            }
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    // ---- ending -------------------------------------------------------------------------------------

    /** Ends the stream, once: its watchers canceled, its queue dropped, the request completed; the connection closed if the client went. */
    void end(boolean clientGone) {
        if (!ended.compareAndSet(false, true)) return;
        service.lock().lock();
        try {
            if (store != null && service.currentStore() == store) for (long id : watches.ids()) store.cancel(sink, id);
        } finally {
            service.lock().unlock();
        }
        queue.clear();
        queued.set(0);
        queuedBytes.set(0);
        service.closed(this);
        try {
            async.complete();
        } catch (RuntimeException ignored) {
            // already completing
        }
        if (clientGone && endPoint != null) endPoint.close();
    }

    /** About how many bytes a message takes on the wire, from its keys and values (base64) and a fixed part. */
    private static long estimatedBytes(WatchResponse r) {
        long n = 200;
        for (Event e : r.events()) n += 100 + kvBytes(e.kv()) + kvBytes(e.prevKv());
        return n;
    }

    private static long kvBytes(KeyValue kv) {
        return kv == null ? 0 : 80 + (kv.key().length() + kv.value().length()) * 4L / 3;
    }
}
