package minietcd.kit.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The way to an etcd 3.4 JSON gateway ({@code POST /v3/<rpc>}), over the JDK's HTTP client, for
 * every client of the kit (the typed client, kvctl):
 * <ul>
 *   <li>Endpoints are URLs; a bare {@code host:port} means http.</li>
 *   <li>A request goes to the endpoint that answered last (the first one at the start). If that
 *       endpoint refuses the connection, or does not take it within the dial timeout, the next one is
 *       tried, and so on round the list: the request was never sent. When none takes it the request
 *       fails with {@link Unreachable}, naming each endpoint and why.</li>
 *   <li>Once an endpoint has taken the connection the request is not sent anywhere else (it may
 *       have been applied). A timed request whose answer does not begin within the command timeout
 *       fails with {@link TimedOut}; any other failure of the exchange is {@link Unreachable} for
 *       that endpoint.</li>
 * </ul>
 */
public final class GatewayEndpoints {
    /** An answer, and the endpoint that gave it. */
    public record Exchange<T>(String endpoint, HttpResponse<T> response) {}

    /** No endpoint took the request: each with why, in a few lower-case words. */
    public static final class Unreachable extends IOException {
        private final List<String> attempts;

        Unreachable(List<String> attempts) {
            super("no endpoint could be reached: " + String.join("; ", attempts));
            this.attempts = List.copyOf(attempts);
        }

        /** Each endpoint tried, with why it failed. */
        public List<String> attempts() {
            return attempts;
        }
    }

    /** An endpoint took the request but did not answer within the command timeout. */
    public static final class TimedOut extends IOException {
        TimedOut(String endpoint) {
            super("no answer from " + endpoint + " within the command timeout");
        }
    }

    private final HttpClient http;
    private final List<String> endpoints;
    private final Duration dialTimeout, commandTimeout;
    private volatile int preferred;

    /**
     * @throws IllegalArgumentException if the list is empty or an endpoint is not a usable URL
     */
    public GatewayEndpoints(List<String> endpoints, Duration dialTimeout, Duration commandTimeout) {
        if (endpoints.isEmpty()) throw new IllegalArgumentException("no endpoint given");
        this.endpoints = endpoints.stream().map(GatewayEndpoints::normalize).toList();
        this.dialTimeout = dialTimeout;
        this.commandTimeout = commandTimeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(dialTimeout).build();
    }

    /** {@code host:port} becomes {@code http://host:port}; a trailing slash goes. Checks that it is an http(s) URL with a host. */
    public static String normalize(String endpoint) {
        String e = endpoint.strip();
        if (!e.contains("://")) e = "http://" + e;
        while (e.endsWith("/")) e = e.substring(0, e.length() - 1);
        URI uri = URI.create(e);
        if (uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https")))
            throw new IllegalArgumentException("'" + endpoint + "' is not an http(s) URL with a host");
        return e;
    }

    public List<String> endpoints() {
        return endpoints;
    }

    public Duration dialTimeout() {
        return dialTimeout;
    }

    public Duration commandTimeout() {
        return commandTimeout;
    }

    /**
     * Posts {@code body} to {@code /v3/<rpc>}; completes when the answer's status and headers are in
     * (the body as {@code handler} reads it), or exceptionally with {@link Unreachable} or
     * {@link TimedOut}. With {@code timed}, the answer must begin within the command timeout.
     */
    public <T> CompletableFuture<Exchange<T>> post(String rpc, String body, HttpResponse.BodyHandler<T> handler, boolean timed) {
        return post(rpc, body, handler, timed, preferred, new ArrayList<>());
    }

    private <T> CompletableFuture<Exchange<T>> post(String rpc, String body, HttpResponse.BodyHandler<T> handler, boolean timed, int at, List<String> attempts) {
        String endpoint = endpoints.get(at);
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(endpoint + "/v3/" + rpc))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (timed) req.timeout(commandTimeout);
        return http.sendAsync(req.build(), handler).handle((response, failure) -> {
            Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
            if (cause == null) {
                preferred = at;
                return CompletableFuture.completedFuture(new Exchange<>(endpoint, response));
            }
            if (cause instanceof HttpConnectTimeoutException) attempts.add(endpoint + " (no connection within the dial timeout, " + seconds(dialTimeout) + ")");
            else if (cause instanceof HttpTimeoutException) return CompletableFuture.<Exchange<T>>failedFuture(new TimedOut(endpoint));
            else if (cause instanceof ConnectException) attempts.add(endpoint + " (" + reason(cause) + ")");
            else return CompletableFuture.<Exchange<T>>failedFuture(new Unreachable(List.of(endpoint + " (" + reason(cause) + ")")));
            if (attempts.size() == endpoints.size()) return CompletableFuture.<Exchange<T>>failedFuture(new Unreachable(attempts));
            return post(rpc, body, handler, timed, (at + 1) % endpoints.size(), attempts);
        }).thenCompose(f -> f);
    }

    /** A timeout as Go (and so etcdctl) writes it: {@code 2s}, {@code 1.5s}, {@code 500ms}. */
    private static String seconds(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) return ms + "ms";
        return new java.math.BigDecimal(ms).movePointLeft(3).stripTrailingZeros().toPlainString() + "s";
    }

    /** Why a connection failed, in a few lower-case words. */
    static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException) return "unknown host";
            String m = t.getMessage();
            if ((m == null || m.isBlank()) && t instanceof ConnectException) return "connection refused"; // the JDK client's way of saying so
            if (m != null && !m.isBlank()) return m.substring(0, 1).toLowerCase(Locale.ROOT) + m.substring(1);
        }
        return e.getClass().getSimpleName();
    }
}
