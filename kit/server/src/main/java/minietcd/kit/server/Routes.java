package minietcd.kit.server;

import minietcd.kit.etcd.EtcdRequest;
import minietcd.kit.etcd.GatewayRpc;
import minietcd.kit.mvcc.KV;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Lock;
import minietcd.kit.mvcc.EtcdException;
import minietcd.kit.replica.Outcome;

/**
 * The gateway's routing, as etcd 3.4 routes (transport section of {@code etcd-conformance/README.md}):
 *
 * <ul>
 *   <li>{@code OPTIONS} anything: 200, empty, with the CORS headers (etcd answers preflights itself);</li>
 *   <li>{@code /v3beta/...} is {@code /v3/...};</li>
 *   <li>a known RPC under {@code /v3/} answers POST only; any other method gets 405
 *       {@code Method Not Allowed\n}; an unknown path under {@code /v3/} gets 404 {@code Not Found\n};</li>
 *   <li>{@code GET /version} and {@code GET /health} answer as etcd does (405 for other methods; a
 *       replica that knows no leader is unhealthy: 503 and {@code {"health":"false"}});</li>
 *   <li>anything else ({@code /v3alpha/...} among them) gets 404 {@code 404 page not found\n}.</li>
 * </ul>
 *
 * The request's Content-Type is not looked at. Every RPC runs under the one store lock, after
 * {@code beforeEach} has let the store's time pass; {@code /v3/watch} streams are {@link WatchService}'s.
 */
final class Routes {
    static final String VERSION_JSON = "{\"etcdserver\":\"" + MaintenanceService.VERSION + "\",\"etcdcluster\":\"3.4.0\"}";
    static final String HEALTH_JSON = "{\"health\":\"true\"}";
    /** What a member that knows no leader answers to /health, with 503, as etcd 3.4 does. */
    static final String UNHEALTHY_JSON = "{\"health\":\"false\"}";

    /**
     * The largest request body read: room for the largest request etcd's gRPC server takes
     * ({@link GatewayRpc#MAX_MESSAGE_BYTES}) written as JSON, base64 and all, twice over.
     */
    static final int MAX_BODY_BYTES = (int) (GatewayRpc.MAX_MESSAGE_BYTES * 8 / 3);
    /** How much of a body over the limit is read and dropped before the refusal, at most. */
    private static final long MAX_DRAINED_BYTES = 1L << 30;

    private final Map<String, Rpc> unary;
    private final Serving serving;
    private final Member member;
    private final WatchService watch;
    private final Lock lock;
    private final Runnable beforeEach;

    /** @param serving a lone store (RPCs run on it here) or a member of a replicated store (KV and lease RPCs go to its node) */
    Routes(Serving serving, Member member, MaintenanceService maintenance, AuthService auth, ClusterService cluster, WatchService watch, Lock lock,
           Runnable beforeEach) {
        this.serving = serving;
        this.member = member;
        this.watch = watch;
        this.lock = lock;
        this.beforeEach = beforeEach;
        Map<String, Rpc> rpcs = new java.util.HashMap<>();
        for (String rpc : GatewayRpc.UNARY) rpcs.put(rpc, body -> GatewayRpc.call(serving.store(), rpc, body, member::header, GatewayRpc.MAX_REQUEST_BYTES));
        rpcs.put("lease/keepalive", body -> GatewayRpc.call(serving.store(), "lease/keepalive", body, member::header, GatewayRpc.MAX_REQUEST_BYTES));
        rpcs.putAll(Map.ofEntries(
                Map.entry("maintenance/status", maintenance::status),
                Map.entry("maintenance/alarm", maintenance::alarm),
                Map.entry("maintenance/defragment", maintenance::defragment),
                Map.entry("maintenance/hash", maintenance::hash),
                Map.entry("auth/authenticate", auth::authenticate),
                Map.entry("auth/user/list", auth::userList),
                Map.entry("cluster/member/list", cluster::memberList)));
        this.unary = Map.copyOf(rpcs);
    }

    void handle(HttpServletRequest req, HttpServletResponse res) throws IOException {
        Replies.cors(res);
        String method = req.getMethod();
        if (method.equals("OPTIONS")) {
            Replies.fixed(res, 200, Replies.TEXT, "");
            return;
        }
        String path = req.getRequestURI();
        if (path.startsWith("/v3beta/")) path = "/v3/" + path.substring("/v3beta/".length());
        String body = null;
        if (!path.equals("/v3/watch")) { // read before any answer, so the connection stays usable whatever the answer (a watch reads its own)
            body = boundedBody(req, res);
            if (body == null) return;
        }
        if (path.equals("/version") || path.equals("/health")) {
            if (!method.equals("GET")) { // HEAD too: etcd serves these to GET alone
                res.setHeader("Allow", "GET");
                Replies.fixed(res, 405, Replies.TEXT, "Method Not Allowed\n");
            } else if (path.equals("/version")) {
                Replies.fixed(res, 200, Replies.JSON, VERSION_JSON);
            } else if (serving instanceof Serving.OfCluster c && !knowsLeader(c.replica())) {
                res.setHeader("X-Content-Type-Options", "nosniff"); // etcd answers an unhealthy member with Go's http.Error
                Replies.fixed(res, 503, Replies.TEXT, UNHEALTHY_JSON + "\n");
            } else {
                Replies.fixed(res, 200, Replies.TEXT, HEALTH_JSON);
            }
            return;
        }
        if (!path.startsWith("/v3/")) {
            Replies.fixed(res, 404, Replies.TEXT, "404 page not found\n");
            return;
        }
        String rpc = path.substring("/v3/".length());
        boolean keepAlive = rpc.equals("lease/keepalive"), watching = rpc.equals("watch");
        if (!keepAlive && !watching && !unary.containsKey(rpc)) {
            Replies.fixed(res, 404, Replies.TEXT, "Not Found\n");
            return;
        }
        if (!method.equals("POST")) {
            Replies.fixed(res, 405, Replies.TEXT, "Method Not Allowed\n");
            return;
        }
        if (watching) {
            watch.stream(req, res); // async: it reads its body as it comes
            return;
        }
        if (serving instanceof Serving.OfCluster c && (keepAlive || GatewayRpc.UNARY.contains(rpc))) {
            replicated(c.replica(), rpc, body, keepAlive, req, res);
            return;
        }
        String answer = null;
        List<String> stream = null;
        EtcdException refused = null;
        lock.lock(); // the answer is made under the lock and written after it, so a slow client holds up no one
        try {
            beforeEach.run();
            answer = unary.get(rpc).call(body); // a KV or lease RPC is checked at the edge first: GatewayRpc.decode
            if (keepAlive) stream = List.of(answer.split("\n"));
        } catch (EtcdException e) {
            refused = e;
        } finally {
            lock.unlock();
        }
        if (refused != null) Replies.error(req, res, refused);
        else if (stream != null) Replies.stream(res, stream);
        else Replies.unary(res, answer);
    }

    private static boolean knowsLeader(Replica replica) {
        replica.lock().lock();
        try {
            return replica.status().leaderMemberId() != 0;
        } finally {
            replica.lock().unlock();
        }
    }

    /**
     * The request's body, or null after refusing one larger than any request etcd's gRPC server
     * takes could be as JSON ({@link #MAX_BODY_BYTES}), with gRPC's error and a closed connection,
     * without reading it whole.
     */
    private static String boundedBody(HttpServletRequest req, HttpServletResponse res) throws IOException {
        byte[] body = req.getInputStream().readNBytes(MAX_BODY_BYTES + 1);
        if (body.length <= MAX_BODY_BYTES) return new String(body, StandardCharsets.UTF_8);
        long length = Math.max(req.getContentLengthLong(), body.length);
        // The rest is read and dropped, up to a bound, so that the client, still sending, gets the answer instead of a reset.
        for (long dropped = body.length, n; dropped < MAX_DRAINED_BYTES && (n = req.getInputStream().skip(MAX_BODY_BYTES)) > 0; ) dropped += n;
        res.setHeader("Connection", "close");
        Replies.error(req, res, EtcdException.requestMessageTooLarge(length * 3 / 4, GatewayRpc.MAX_MESSAGE_BYTES));
        return null;
    }

    /**
     * A KV or lease RPC of a replicated store: checked here on the request's thread (etcd's checks,
     * sizes included, before the member's loop ever sees it), then answered by the member's node,
     * after the log or a read index if need be.
     */
    private void replicated(Replica replica, String rpc, String body, boolean keepAlive, HttpServletRequest req, HttpServletResponse res) throws IOException {
        EtcdRequest request;
        try {
            request = GatewayRpc.decode(rpc, body, GatewayRpc.MAX_REQUEST_BYTES);
        } catch (EtcdException e) {
            Replies.error(req, res, e);
            return;
        }
        java.util.concurrent.CompletableFuture<Outcome> done = new java.util.concurrent.CompletableFuture<>();
        replica.submit(request, done::complete);
        Outcome outcome;
        try {
            outcome = done.get(); // the node ends every request within its request timeout
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException(e.getCause());
        }
        if (outcome instanceof Outcome.Refused r) Replies.error(req, res, r.error());
        else if (keepAlive) Replies.stream(res, List.of(((Outcome.Answer) outcome).json().split("\n")));
        else Replies.unary(res, ((Outcome.Answer) outcome).json());
    }
}
