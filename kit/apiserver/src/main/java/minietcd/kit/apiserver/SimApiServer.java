package minietcd.kit.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import minietcd.kit.client.SimEtcdClient;
import minietcd.kit.controlplane.ApiMessage;
import minietcd.kit.controlplane.ObjectJson;
import minietcd.kit.controlplane.ObjectStore;
import minietcd.kit.controlplane.StatusException;
import minietcd.kit.controlplane.Timers;
import minietcd.kit.controlplane.WatchEvent;
import minietcd.kit.node.Context;
import minietcd.kit.node.Message;
import minietcd.kit.node.Node;
import minietcd.kit.node.Timer;

/**
 * The API server as a node of the simulator: the same {@link Registry} and {@link ResourceRequests}
 * as {@link ApiServer}, over lab 5's storage layer on the node's own etcd client
 * ({@link SimEtcdClient}, whose messages it passes on), answering components' {@link ApiMessage}s
 * instead of HTTP. Like the real one it keeps nothing that matters: when it restarts, every watch
 * stream it served is gone (a client asking after one hears {@link ApiMessage.Gone}), and its
 * clients watch again. It runs Kubernetes' {@link Compactor} over the store. Deterministic: the
 * simulation's clock and random only.
 */
public final class SimApiServer implements Node {
    /** Hears of every request that wrote to the store, when its answer leaves: who sent it, what it was, and the write's revision. */
    @FunctionalInterface
    public interface WriteListener {
        void wrote(int client, String method, String pathAndQuery, long revision);
    }

    /** A stream whose client has not asked after it for this long is dropped: its client is gone. */
    static final long CLIENT_SILENCE_MS = 10_000;
    private static final long UPKEEP_MS = 1_000;

    private record Upkeep() implements Timer {
        @Override public boolean routine() { return true; }
    }

    private record Later(long id) implements Timer {}

    private static final class Stream {
        final int client;
        final long id;
        ObjectStore.Watch watch;
        long sent, heardAt;

        Stream(int client, long id, long now) {
            this.client = client;
            this.id = id;
            this.heardAt = now;
        }
    }

    private final Context ctx;
    private final SimEtcdClient etcd;
    private final ResourceRequests requests;
    private final Compactor compactor;
    private final WriteListener writes;
    private final Map<Long, Runnable> later = new HashMap<>();
    private final Map<String, Stream> streams = new HashMap<>();
    private long nextLater;

    /**
     * @param endpoints           the store members its etcd client uses, the first one first
     * @param fences              whether writes carrying a leader's fence are made under it
     * @param compactionMillis    the compaction loop's interval
     */
    public SimApiServer(Context ctx, List<Integer> endpoints, boolean fences, long compactionMillis) {
        this(ctx, endpoints, fences, compactionMillis, (client, method, path, revision) -> { });
    }

    public SimApiServer(Context ctx, List<Integer> endpoints, boolean fences, long compactionMillis, WriteListener writes) {
        this.ctx = ctx;
        this.writes = writes;
        this.etcd = new SimEtcdClient(ctx, endpoints, 3_000);
        this.requests = new ResourceRequests(new Registry(Registry.over(etcd), () -> Instant.ofEpochMilli(ctx.now()),
                () -> new UUID(ctx.random().nextLong(), ctx.random().nextLong()).toString()), fences);
        this.compactor = new Compactor(etcd, timers(), compactionMillis, why -> { });
    }

    @Override
    public void start() {
        etcd.start();
        ctx.setTimer(new Upkeep(), UPKEEP_MS);
        bootstrap();
        compactor.start();
    }

    /** Creates the initial namespaces, trying again every second until it has. */
    private void bootstrap() {
        requests.registry().bootstrap().whenComplete((ok, e) -> {
            if (e != null) timers().after(1_000, this::bootstrap);
        });
    }

    @Override
    public void onMessage(int from, Message message) {
        if (!(message instanceof ApiMessage m)) {
            etcd.onMessage(from, message);
            return;
        }
        if (m instanceof ApiMessage.Request r) request(from, r);
        else if (m instanceof ApiMessage.Watch w) watch(from, w);
        else if (m instanceof ApiMessage.Check c) {
            Stream s = streams.get(from + "/" + c.stream());
            if (s == null) ctx.send(from, new ApiMessage.Gone(c.stream()));
            else {
                s.heardAt = ctx.now();
                ctx.send(from, new ApiMessage.Open(c.stream(), s.sent));
            }
        } else if (m instanceof ApiMessage.Close c) {
            Stream s = streams.remove(from + "/" + c.stream());
            if (s != null && s.watch != null) s.watch.stop();
        } // answers go the other way
    }

    @Override
    public void onTimer(Timer timer) {
        if (timer instanceof Upkeep u) {
            ctx.setTimer(u, UPKEEP_MS);
            for (Iterator<Stream> it = streams.values().iterator(); it.hasNext(); ) {
                Stream s = it.next();
                if (ctx.now() - s.heardAt < CLIENT_SILENCE_MS) continue;
                it.remove();
                if (s.watch != null) s.watch.stop();
            }
        } else if (timer instanceof Later l) {
            Runnable r = later.remove(l.id());
            if (r != null) r.run();
        } else {
            etcd.onTimer(timer);
        }
    }

    private void request(int from, ApiMessage.Request r) {
        try {
            int q = r.pathAndQuery().indexOf('?');
            ApiPath p = ApiPath.parse(q < 0 ? r.pathAndQuery() : r.pathAndQuery().substring(0, q))
                    .orElseThrow(() -> new StatusException(404, "NotFound", "the simulated API server serves resources only: " + r.pathAndQuery(), null, null));
            JsonNode body = r.body() == null ? null : ObjectJson.MAPPER.readTree(r.body());
            requests.serve(r.method(), p, ResourceRequests.query(q < 0 ? "" : r.pathAndQuery().substring(q + 1)), r.headers().getOrDefault("Content-Type", "application/merge-patch+json"), body, r.headers().get(minietcd.kit.controlplane.Fence.HEADER))
                    .whenComplete((a, e) -> {
                        if (e == null && a.wrote() > 0) writes.wrote(from, r.method(), r.pathAndQuery(), a.wrote());
                        ctx.send(from, e == null ? new ApiMessage.Response(r.id(), a.code(), a.body().toString()) : failed(r.id(), e));
                    });
        } catch (StatusException e) {
            ctx.send(from, failed(r.id(), e));
        } catch (java.io.IOException e) {
            ctx.send(from, failed(r.id(), StatusException.badRequest("the body is not JSON: " + e.getMessage())));
        }
    }

    private static ApiMessage.Response failed(long id, Throwable e) {
        StatusException s = StatusException.fromStore(e instanceof java.util.concurrent.CompletionException c && c.getCause() != null ? c.getCause() : e, StatusException.LIST_EXPIRED);
        return new ApiMessage.Response(id, s.code(), s.status().toString());
    }

    private void watch(int from, ApiMessage.Watch w) {
        Stream s = new Stream(from, w.stream(), ctx.now());
        try {
            int q = w.pathAndQuery().indexOf('?');
            ApiPath p = ApiPath.parse(q < 0 ? w.pathAndQuery() : w.pathAndQuery().substring(0, q))
                    .orElseThrow(() -> new StatusException(404, "NotFound", "no such resource: " + w.pathAndQuery(), null, null));
            streams.put(from + "/" + w.stream(), s);
            s.watch = requests.watch(p, ResourceRequests.query(q < 0 ? "" : w.pathAndQuery().substring(q + 1)), new ObjectStore.Listener() {
                @Override public void onEvent(WatchEvent e) {
                    if (streams.get(from + "/" + w.stream()) == s) ctx.send(from, new ApiMessage.Line(w.stream(), ++s.sent, e.json().toString()));
                }
                @Override public void ended(String why) {
                    if (streams.remove(from + "/" + w.stream(), s)) ctx.send(from, new ApiMessage.End(w.stream(), why));
                }
            });
        } catch (StatusException e) {
            streams.remove(from + "/" + w.stream());
            ctx.send(from, new ApiMessage.End(w.stream(), "the watch was refused: " + e.code() + " " + e.getMessage()));
        }
    }

    /** Timers on this node's clock, for the compaction loop. */
    private Timers timers() {
        return new Timers() {
            @Override public long now() { return ctx.now(); }
            @Override public Cancel after(long delayMillis, Runnable action) {
                long id = nextLater++;
                later.put(id, action);
                ctx.setTimer(new Later(id), Math.max(0, delayMillis));
                return () -> later.remove(id);
            }
        };
    }
}
