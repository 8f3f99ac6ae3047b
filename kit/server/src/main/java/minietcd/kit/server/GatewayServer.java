package minietcd.kit.server;

import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.HandlerType;
import java.time.Duration;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.component.LifeCycle;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import minietcd.kit.watch.Watchable;

/**
 * etcd 3.4's HTTP/JSON gateway for one member, served by Javalin over a {@link Watchable} store
 * (which is also the KV), so that etcd's own curl examples work against it: {@code POST
 * /v3/kv/range} and the rest, as listed in {@link Routes}, answered byte for byte as etcd
 * 3.4.23 answers them (see {@code etcd-conformance/README.md}), and {@code /v3/watch} streams
 * (see {@link WatchService}).
 *
 * <p>It listens on 127.0.0.1 only. The store is single-threaded, so every request takes one lock
 * around its work with the store. Time comes from the clock passed in (milliseconds), never from the
 * wall clock: before each request, and every few milliseconds on a ticker thread, the server expires
 * the leases whose time is up and ticks the store once for each 100 ms of that clock that passed (as
 * etcd's watch loop does). With a clock that stands still, nothing happens by itself.
 *
 * <p>The server does not own the store: {@link #close()} stops the server and leaves the store open.
 */
public final class GatewayServer implements AutoCloseable {
    static final long TICK_MS = 100;
    /** Connections waiting to be accepted, as Go's listener allows (the kernel's somaxconn): thousands of watch streams may open at once. */
    static final int ACCEPT_QUEUE = 4096;

    private final Serving serving;
    private final ReentrantLock lock;
    private final Routes routes;
    private final Member member;
    /** A replica's corruption check; none for a lone store. */
    private final java.util.Optional<CorruptionCheck> corruption;
    private final WatchService watch;
    private Duration idleTimeout; // null: Jetty's
    private long lastTick;
    private volatile boolean running;
    private volatile int boundPort; // read by requests without the server's monitor, which close() holds while Jetty stops
    private Javalin app;
    private Thread ticker;

    public GatewayServer(Watchable store, LongSupplier clock) {
        this.serving = new Serving.Lone(store, clock);
        this.lock = new ReentrantLock();
        this.member = Member.SINGLE;
        this.corruption = java.util.Optional.empty();
        this.lastTick = clock.getAsLong();
        this.watch = new WatchService(() -> store, member, lock, () -> running, clock);
        this.routes = new Routes(serving, member,
                new MaintenanceService(serving, member), new AuthService(() -> store, member), new ClusterService(serving, member, () -> boundPort),
                watch, lock, this::letTimePass);
    }

    /**
     * The gateway of one member of a replicated store: KV and lease RPCs go to the member's node
     * (see {@link Replica}); time passes in the node, so this server runs no ticker of its own.
     */
    public GatewayServer(Replica replica) {
        this.serving = new Serving.OfCluster(replica);
        this.lock = replica.lock();
        this.member = new ReplicaMember(replica);
        this.watch = new WatchService(replica::store, member, lock, () -> running, System::currentTimeMillis);
        MaintenanceService maintenance = new MaintenanceService(serving, member);
        this.corruption = java.util.Optional.of(new CorruptionCheck(replica, maintenance));
        this.routes = new Routes(serving, member, maintenance, new AuthService(replica::store, member),
                new ClusterService(serving, member, () -> boundPort), watch, lock, () -> {});
    }

    /**
     * How watch streams run: the progress notification interval (etcd's 10 minutes by default) and
     * how long a client may stay too far behind (see {@link WatchSettings}). May be changed at any time;
     * the durations are on this server's clock (the wall clock for a replica).
     */
    public GatewayServer watchSettings(WatchSettings settings) {
        watch.settings(settings);
        return this;
    }

    /**
     * The idle timeout of a connection while it is serving a request (Jetty's 30 s unless set); set
     * before {@link #start}. Watch streams are exempt: etcd keeps a quiet or unread stream open.
     */
    public synchronized GatewayServer idleTimeout(Duration timeout) {
        if (app != null) throw new IllegalStateException("already started");
        idleTimeout = timeout;
        return this;
    }

    private record ReplicaMember(Replica replica) implements Member {
        @Override public long clusterId() { return minietcd.kit.replica.MemberIds.CLUSTER; }
        @Override public long memberId() { return replica.memberId(); }
        @Override public long raftTerm() { return replica.raftTerm(); }
    }

    /** Starts listening on 127.0.0.1:{@code port}; 0 picks a free port (see {@link #port()}). */
    public synchronized GatewayServer start(int port) {
        if (app != null) throw new IllegalStateException("already started");
        Javalin j = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.startupWatcherEnabled = false;
            cfg.http.compressionStrategy = CompressionStrategy.NONE;
            cfg.http.maxRequestSize = Long.MAX_VALUE; // the body is read from the servlet stream, and sized by the RPC
            cfg.jetty.modifyServletContextHandler(h -> WatchServlet.mount(h, routes::handle)); // watch streams outlive their handler call
            Duration idle = idleTimeout;
            if (idle != null) cfg.jetty.modifyHttpConfiguration(http -> http.setIdleTimeout(idle.toMillis()));
            cfg.jetty.modifyServer(server -> server.addEventListener(new LifeCycle.Listener() { // before the connector binds
                @Override public void lifeCycleStarting(LifeCycle event) {
                    for (Connector c : server.getConnectors()) if (c instanceof ServerConnector sc) sc.setAcceptQueueSize(ACCEPT_QUEUE);
                }
            }));
            for (HandlerType t : new HandlerType[] {HandlerType.GET, HandlerType.POST, HandlerType.PUT, HandlerType.DELETE,
                    HandlerType.PATCH, HandlerType.HEAD, HandlerType.OPTIONS}) {
                cfg.routes.addHttpHandler(t, "/*", ctx -> routes.handle(ctx.req(), ctx.res()));
            }
            // A method Javalin has no handler for (say FOO) is the routes' to answer too, as etcd does (405 on an RPC's path).
            cfg.routes.addHttpHandler(HandlerType.BEFORE, "/*", ctx -> {
                if (!HandlerType.commonHttp().contains(ctx.method())) {
                    routes.handle(ctx.req(), ctx.res());
                    ctx.skipRemainingHandlers();
                }
            });
        });
        running = true;
        j.start("127.0.0.1", port);
        app = j;
        boundPort = j.port();
        if (serving instanceof Serving.Lone) {
            ticker = new Thread(this::tickLoop, "gateway-ticker");
            ticker.setDaemon(true);
            ticker.start();
        }
        return this;
    }

    /** The port it listens on. */
    public synchronized int port() {
        if (app == null) throw new IllegalStateException("not started");
        return app.port();
    }

    /** The cluster id in every response header (uint64 in etcd, printed unsigned). */
    public long clusterId() {
        return member.clusterId();
    }

    /** The member id in every response header (uint64 in etcd, printed unsigned). */
    public long memberId() {
        return member.memberId();
    }

    /** The raft term in every response header. */
    public long raftTerm() {
        return member.raftTerm();
    }

    /**
     * A replica's corruption check, one round now (see {@link CorruptionCheck}): on the leader, the
     * member ids of the members whose store hash differs from the majority's (alarms raised for
     * them); on a follower, null.
     */
    public java.util.List<Long> checkCorruption() {
        CorruptionCheck.Round r = corruption.orElseThrow(() -> new IllegalStateException("a lone store has no members to compare")).check();
        return r == null ? null : r.corrupt();
    }

    /** Runs the replica's corruption check every {@code interval} until closed. */
    public void checkCorruptionEvery(java.time.Duration interval) {
        corruption.orElseThrow(() -> new IllegalStateException("a lone store has no members to compare")).every(interval);
    }

    @Override
    public synchronized void close() {
        corruption.ifPresent(CorruptionCheck::close);
        running = false; // open watch streams end
        if (ticker != null) ticker.interrupt();
        if (app != null) app.stop();
        app = null;
        ticker = null;
    }

    private void tickLoop() {
        while (running) {
            lock.lock();
            try {
                letTimePass();
            } finally {
                lock.unlock();
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Called with the lock held, before each RPC and on the ticker. */
    private void letTimePass() {
        if (!(serving instanceof Serving.Lone lone)) return;
        Watchable store = lone.store();
        long now = lone.clock().getAsLong();
        store.leases().expire();
        while (now - lastTick >= TICK_MS) {
            store.tick();
            lastTick += TICK_MS;
        }
    }
}
