package minietcd.kit.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import minietcd.kit.client.EtcdClient;
import minietcd.kit.controlplane.Fence;
import minietcd.kit.controlplane.ObjectList;
import minietcd.kit.controlplane.ListOptions;
import minietcd.kit.controlplane.ObjectJson;
import minietcd.kit.controlplane.ObjectStore;
import minietcd.kit.controlplane.Preconditions;
import minietcd.kit.controlplane.Resource;
import minietcd.kit.controlplane.Selection;
import minietcd.kit.controlplane.StatusException;
import minietcd.kit.controlplane.WatchEvent;
import minietcd.kit.controlplane.WatchOptions;

/**
 * A Kubernetes API server on 127.0.0.1 (Javalin): the REST subset that kubectl and lab 5's
 * components use, every object kept in etcd through lab 5's {@link ObjectStore}. Discovery
 * ({@code /version}, {@code /api}, {@code /apis}, group versions), {@code /healthz},
 * {@code /readyz}, {@code /livez}; for each resource get, list (limit and continue, label and
 * field selectors, a {@code Table} when kubectl asks for one), watch ({@code ?watch=true}, a
 * stream of JSON events, bookmarks), create, update, patch (merge, JSON and strategic merge) and
 * delete; pods' {@code binding} and {@code status}, ReplicaSets' {@code scale} and {@code status}.
 * Errors are Kubernetes {@code Status} objects with its codes and reasons.
 */
public final class ApiServer implements AutoCloseable {
    /** How long a watch stays open at most (Kubernetes picks 30 to 60 minutes); a client watches again after. */
    private static final long MAX_WATCH_SECONDS = 1800;
    /** How often an idle watch stream gets a blank line, so that a client that left is noticed. */
    private static final long KEEPALIVE_SECONDS = 5;
    private static final int MAX_BODY_BYTES = 3 * 1024 * 1024;

    private static final long CALL_SECONDS = 30;

    private final Registry registry;
    private final ResourceRequests requests;
    private final Javalin app;
    private volatile int port;

    /**
     * @param etcd   the store, under lab 5's storage layer ({@code Components.objectStore})
     * @param fences whether writes that carry a leader's {@link minietcd.kit.controlplane.Fence#HEADER} are made
     *               under it (lab 5's {@code FencedClient}); off, the header is ignored
     */
    public ApiServer(EtcdClient etcd, boolean fences) {
        this.registry = new Registry(Registry.over(etcd), Instant::now, () -> UUID.randomUUID().toString());
        this.requests = new ResourceRequests(registry, fences);
        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.startupWatcherEnabled = false;
            cfg.http.maxRequestSize = MAX_BODY_BYTES;
            for (HandlerType t : new HandlerType[] {HandlerType.GET, HandlerType.POST, HandlerType.PUT, HandlerType.DELETE, HandlerType.PATCH})
                cfg.routes.addHttpHandler(t, "/*", this::handle);
        });
    }

    /** Starts on 127.0.0.1:{@code port} (0: any free port) and creates the initial namespaces. */
    public ApiServer start(String host, int port) {
        try {
            app.start(host, port);
        } catch (RuntimeException e) {
            throw new IllegalStateException("the API server cannot listen on " + host + ":" + port + " (" + rootMessage(e) + ")", e);
        }
        this.port = app.port();
        await(registry.bootstrap());
        return this;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        app.stop();
    }

    private void handle(Context ctx) {
        try {
            route(ctx);
        } catch (StatusException e) {
            json(ctx, e.code(), e.status());
        } catch (RuntimeException e) {
            json(ctx, 500, StatusException.internal(String.valueOf(e.getMessage())).status());
        }
    }

    private void route(Context ctx) {
        String path = ctx.path().replaceAll("/+$", "");
        HandlerType method = ctx.method();
        switch (path) {
            case "/version" -> {
                json(ctx, 200, Discovery.version());
                return;
            }
            case "/healthz", "/readyz", "/livez" -> {
                ctx.status(200).contentType("text/plain").result("ok");
                return;
            }
            case "/api" -> {
                json(ctx, 200, Discovery.coreVersions("127.0.0.1:" + port));
                return;
            }
            case "/apis" -> {
                json(ctx, 200, Discovery.groups());
                return;
            }
            default -> { }
        }
        if (path.equals("/openapi/v3")) {
            json(ctx, 200, OpenApi.root());
            return;
        }
        if (path.startsWith("/openapi/v3/")) {
            json(ctx, 200, OpenApi.document(path.substring("/openapi/v3/".length())).orElseThrow(() -> notFound(path)));
            return;
        }
        if (path.equals("/api/v1") || path.matches("/apis/[^/]+/[^/]+")) {
            String gv = path.equals("/api/v1") ? "v1" : path.substring("/apis/".length());
            json(ctx, 200, Discovery.resources(gv).orElseThrow(() -> notFound(path)));
            return;
        }
        ApiPath p = ApiPath.parse(path).orElseThrow(() -> notFound(path));
        Map<String, String> query = ResourceRequests.query(ctx.queryString());
        String m = method.name();
        if (ResourceRequests.isWatch(m, p, query)) {
            watch(ctx, p, query);
            return;
        }
        if (m.equals("GET") && p.subresource().isEmpty() && Tables.wanted(ctx.header("Accept"))) { // kubectl get: a Table
            if (p.isCollection()) {
                ObjectList page = await(registry.listPage(p, ResourceRequests.listOptions(p, query)));
                json(ctx, 200, Tables.table(p.resource(), page.items(), Long.toString(page.resourceVersion()), page.continueToken(), Instant.now()));
            } else {
                ObjectNode o = await(registry.get(p, query.getOrDefault("resourceVersion", "")));
                json(ctx, 200, Tables.table(p.resource(), List.of(o), ObjectJson.resourceVersion(o), "", Instant.now()));
            }
            return;
        }
        JsonNode body = switch (m) {
            case "POST", "PUT" -> body(ctx);
            case "PATCH" -> tree(ctx);
            case "DELETE" -> ctx.body().isBlank() ? null : tree(ctx);
            default -> null;
        };
        ResourceRequests.Answer a = await(requests.serve(m, p, query, ctx.contentType(), body, ctx.header(Fence.HEADER)));
        json(ctx, a.code(), a.body());
    }

    /** A watch: a stream of JSON events, one per line, until the store's watch ends, the client leaves, or the time is up. */
    private void watch(Context ctx, ApiPath p, Map<String, String> query) {
        boolean table = Tables.wanted(ctx.header("Accept"));
        long seconds = Math.min(MAX_WATCH_SECONDS, ResourceRequests.parseLong(query.get("timeoutSeconds"), MAX_WATCH_SECONDS));
        Object end = new Object();
        BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        ObjectStore.Watch w = requests.watch(p, query, new ObjectStore.Listener() {
            @Override public void onEvent(WatchEvent e) { events.add(e); }
            @Override public void ended(String why) { events.add(end); }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        try {
            ctx.res().setStatus(200);
            ctx.res().setContentType("application/json");
            OutputStream out = ctx.res().getOutputStream();
            ctx.res().flushBuffer();
            while (System.nanoTime() < deadline) {
                Object next = events.poll(Math.min(KEEPALIVE_SECONDS * 1000, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)), TimeUnit.MILLISECONDS);
                if (next == end) break;
                String line = "\n";
                if (next instanceof WatchEvent e) {
                    ObjectNode object = table && (e.type() != WatchEvent.Type.ERROR && e.type() != WatchEvent.Type.BOOKMARK)
                            ? Tables.table(p.resource(), List.of(e.object()), ObjectJson.resourceVersion(e.object()), "", Instant.now()) : e.object();
                    line = new WatchEvent(e.type(), object).json() + "\n";
                }
                out.write(line.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException gone) {
            // the client left: stop the store's watch below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            w.stop();
        }
    }

    private static ObjectNode body(Context ctx) {
        String type = ctx.contentType() == null ? "" : ctx.contentType();
        if (type.startsWith(Protobuf.CONTENT_TYPE)) return Protobuf.decode(ctx.bodyAsBytes());
        if (!(tree(ctx) instanceof ObjectNode o)) throw StatusException.badRequest("the body must be a JSON object");
        return o;
    }

    private static JsonNode tree(Context ctx) {
        try {
            return ObjectJson.MAPPER.readTree(ctx.bodyAsBytes());
        } catch (IOException e) {
            throw StatusException.badRequest("the body is not JSON (this server speaks JSON only): " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static void json(Context ctx, int code, ObjectNode body) {
        ctx.status(code).contentType("application/json").result(body.toString());
    }

    /** The answer, or its failure as a Status; 504 if it takes longer than the API server waits. */
    private static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get(CALL_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw StatusException.fromStore(e.getCause(), StatusException.LIST_EXPIRED);
        } catch (TimeoutException e) {
            throw new StatusException(504, "Timeout", "The request did not complete in " + CALL_SECONDS + " s", null, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StatusException.internal("interrupted");
        }
    }

    private static StatusException notFound(String path) {
        return new StatusException(404, "NotFound", "the server could not find the requested resource (" + path + ")", null, null);
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) t = t.getCause();
        return String.valueOf(t.getMessage());
    }
}
