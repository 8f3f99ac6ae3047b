package minietcd.integration;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import minietcd.kit.backend.MemoryBackend;
import minietcd.kit.mvcc.Stores;
import minietcd.kit.server.GatewayServer;
import minietcd.kit.watch.Watchers;

/**
 * A lone member's gateway over the reference store, for the watch stream tests: the store counts its
 * live watchers ({@link LiveWatchers}), the clock is the test's (it moves only when the test moves
 * it), and unary calls wait a bounded time for their answer, failing with the rule the test names.
 */
final class WatchGateway implements AutoCloseable {
    /** How long an RPC may take before the test calls the member unresponsive: far above any real answer. */
    static final Duration ANSWER = Duration.ofSeconds(5);

    final AtomicLong clock = new AtomicLong(1_000_000);
    final LiveWatchers store = new LiveWatchers(Watchers.open(Stores.open(new MemoryBackend(), clock::get)));
    final GatewayServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(ANSWER).build();

    WatchGateway() {
        this(s -> s);
    }

    /** With the server configured by {@code configure} before it starts. */
    WatchGateway(UnaryOperator<GatewayServer> configure) {
        server = configure.apply(new GatewayServer(store, clock::get)).start(0);
    }

    int port() {
        return server.port();
    }

    /** Posts {@code body} to {@code /v3/<rpc>}; an answer that takes longer than {@link #ANSWER} fails with {@code rule}. */
    HttpResponse<String> post(String rpc, String body, String rule) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + "/v3/" + rpc)).timeout(ANSWER)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new AssertionError(rule + ": /v3/" + rpc + " got no answer within " + ANSWER.toSeconds() + " s");
        }
    }

    /** Puts {@code key} = {@code value}; returns the revision it made. */
    long put(String key, String value, String rule) throws Exception {
        HttpResponse<String> r = post("kv/put", "{\"key\":\"" + b64(key) + "\",\"value\":\"" + b64(value) + "\"}", rule);
        if (r.statusCode() != 200) throw new AssertionError(rule + ": a put was refused: " + r.statusCode() + " " + r.body());
        return Long.parseLong(r.body().replaceAll(".*\"revision\":\"(\\d+)\".*", "$1"));
    }

    /** The header every message of this member starts with, at {@code revision} (0: none, as a compacted cancel's). */
    String header(long revision) {
        return "{\"result\":{\"header\":{\"cluster_id\":\"" + Long.toUnsignedString(server.clusterId()) + "\",\"member_id\":\""
                + Long.toUnsignedString(server.memberId()) + "\"" + (revision == 0 ? "" : ",\"revision\":\"" + revision + "\"")
                + ",\"raft_term\":\"" + Long.toUnsignedString(server.raftTerm()) + "\"}";
    }

    /** A whole message: the header at {@code revision} and the rest of the result ({@code rest} starts with a comma, or is empty). */
    String message(long revision, String rest) {
        return header(revision) + rest + "}}";
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static String create(String key) {
        return "{\"create_request\":{\"key\":\"" + b64(key) + "\"}}";
    }

    @Override
    public void close() {
        server.close();
        store.close();
    }
}
