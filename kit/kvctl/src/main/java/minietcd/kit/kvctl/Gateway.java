package minietcd.kit.kvctl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
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
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * kvctl's way to the server: etcd v3 requests posted as JSON to an etcd 3.4 gateway's
 * {@code /v3/<rpc>} paths over {@link HttpClient}, and the gateway's encoding read back (bytes in
 * standard base64, int64 and uint64 as JSON strings; see {@code etcd-conformance/README.md}).
 *
 * <p>Endpoints: a request goes to the endpoint that answered last (the first one at the start).
 * If that endpoint refuses the connection, or does not take it within the dial timeout, the next
 * one is tried, and so on round the list; when none takes it the request fails with
 * {@link Failure.Unreachable}, naming each endpoint and why. Once an endpoint has taken the
 * connection the request is not sent anywhere else (it may have been applied).
 *
 * <p>Answers: a unary call must be answered within the command timeout ({@link Failure.TimedOut}
 * otherwise). A 200 answer must be a JSON object; any other status carrying etcd's error body
 * {@code {"error","message","code"}} becomes {@link Failure.Etcd}; anything else is
 * {@link Failure.BadReply}. Streams ({@code /v3/watch}, {@code /v3/lease/keepalive}) are read one
 * newline-delimited {@code {"result":{...}}} message at a time through {@link Messages}, with no
 * time limit.
 *
 * <p>Not thread-safe: one command uses one gateway.
 */
final class Gateway {
    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final List<String> endpoints;
    private final Duration dialTimeout;
    private final Duration commandTimeout;
    private int preferred;

    /**
     * @param endpoints URLs such as {@code http://127.0.0.1:2379}; a bare {@code host:port} means http
     * @throws IllegalArgumentException if the list is empty or an endpoint is not a usable URL
     */
    Gateway(List<String> endpoints, Duration dialTimeout, Duration commandTimeout) {
        if (endpoints.isEmpty()) throw new IllegalArgumentException("no endpoint given");
        this.endpoints = endpoints.stream().map(Gateway::normalize).toList();
        this.dialTimeout = dialTimeout;
        this.commandTimeout = commandTimeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(dialTimeout).build();
    }

    /** {@code host:port} becomes {@code http://host:port}; a trailing slash goes. Checks that it is an http(s) URL with a host. */
    static String normalize(String endpoint) {
        String e = endpoint.strip();
        if (!e.contains("://")) e = "http://" + e;
        while (e.endsWith("/")) e = e.substring(0, e.length() - 1);
        URI uri = URI.create(e);
        if (uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https")))
            throw new IllegalArgumentException("'" + endpoint + "' is not an http(s) URL with a host");
        return e;
    }

    List<String> endpoints() {
        return endpoints;
    }

    /** A gateway with this one endpoint and the same timeouts (for commands that ask each endpoint in turn). */
    Gateway only(String endpoint) {
        return new Gateway(List.of(endpoint), dialTimeout, commandTimeout);
    }

    /** Posts {@code request} to {@code /v3/<rpc>} and returns the answer; throws {@link Failure.Raised} as described above. */
    ObjectNode call(String rpc, ObjectNode request) {
        Exchange<String> x = send(rpc, request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8), true);
        return answer(x.endpoint(), x.response().statusCode(), x.response().body());
    }

    /**
     * Opens a stream: posts {@code request} to {@code /v3/<rpc>} and returns once the answer's
     * headers are in. With {@code timed}, the headers must come within the command timeout.
     */
    Messages stream(String rpc, ObjectNode request, boolean timed) {
        Exchange<InputStream> x = send(rpc, request, HttpResponse.BodyHandlers.ofInputStream(), timed);
        InputStream body = x.response().body();
        if (x.response().statusCode() != 200) {
            String text;
            try (body) {
                text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                text = "";
            }
            answer(x.endpoint(), x.response().statusCode(), text); // throws: not a 200
        }
        return new Messages(x.endpoint(), new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8)));
    }

    /**
     * The messages of one open stream, in order. {@link #next()} gives each message's {@code result}
     * object, or null once the server has ended the stream (or the connection broke); a message
     * carrying an error raises it. {@link #close()} abandons the exchange.
     */
    static final class Messages implements AutoCloseable {
        private final String endpoint;
        private final BufferedReader lines;

        private Messages(String endpoint, BufferedReader lines) {
            this.endpoint = endpoint;
            this.lines = lines;
        }

        /** The endpoint that answered. */
        String endpoint() {
            return endpoint;
        }

        ObjectNode next() {
            String line;
            try {
                do {
                    line = lines.readLine();
                } while (line != null && line.isBlank());
            } catch (IOException e) {
                return null; // the stream broke off: for the caller it has ended
            }
            if (line == null) return null;
            JsonNode message = parse(line);
            if (message != null && message.get("result") instanceof ObjectNode result) return result;
            if (message != null && message.get("error") instanceof ObjectNode error) {
                // grpc-gateway's stream error: {"error":{"grpc_code":N,"http_code":N,"message":"...","http_status":"..."}}
                throw new Failure.Etcd(error.path("grpc_code").asInt(error.path("code").asInt()), error.path("message").asText()).raise();
            }
            throw new Failure.BadReply(endpoint, 200, line).raise();
        }

        @Override
        public void close() {
            try {
                lines.close();
            } catch (IOException e) {
                // closing only abandons the exchange; nothing is lost
            }
        }
    }

    private record Exchange<T>(String endpoint, HttpResponse<T> response) {}

    private <T> Exchange<T> send(String rpc, ObjectNode request, HttpResponse.BodyHandler<T> handler, boolean timed) {
        String body;
        try {
            body = JSON.writeValueAsString(request);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        List<String> attempts = new ArrayList<>();
        for (int i = 0; i < endpoints.size(); i++) {
            int at = (preferred + i) % endpoints.size();
            String endpoint = endpoints.get(at);
            HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(endpoint + "/v3/" + rpc))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
            if (timed) req.timeout(commandTimeout);
            try {
                HttpResponse<T> response = http.send(req.build(), handler);
                preferred = at;
                return new Exchange<>(endpoint, response);
            } catch (HttpConnectTimeoutException e) {
                attempts.add(endpoint + " (no connection within the dial timeout, " + Durations.format(dialTimeout) + ")");
            } catch (HttpTimeoutException e) {
                throw new Failure.TimedOut().raise();
            } catch (ConnectException e) {
                attempts.add(endpoint + " (" + reason(e) + ")");
            } catch (IOException e) {
                throw new Failure.Unreachable(List.of(endpoint + " (" + reason(e) + ")")).raise();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.util.concurrent.CancellationException("interrupted");
            }
        }
        throw new Failure.Unreachable(attempts).raise();
    }

    /** A 200 answer's object, or the failure the answer stands for. */
    static ObjectNode answer(String endpoint, int status, String body) {
        JsonNode node = parse(body);
        if (status == 200 && node instanceof ObjectNode o) return o;
        if (node != null && node.has("code") && (node.has("message") || node.has("error"))) {
            String message = node.has("message") ? node.get("message").asText() : node.get("error").asText();
            throw new Failure.Etcd(node.get("code").asInt(), message).raise();
        }
        throw new Failure.BadReply(endpoint, status, body).raise();
    }

    private static JsonNode parse(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            return node == null || node.isMissingNode() ? null : node;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** Why a connection failed, in a few lower-case words. */
    private static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException) return "unknown host";
            String m = t.getMessage();
            if ((m == null || m.isBlank()) && t instanceof ConnectException) return "connection refused"; // HttpClient's way of saying so
            if (m != null && !m.isBlank()) return m.substring(0, 1).toLowerCase(Locale.ROOT) + m.substring(1);
        }
        return e.getClass().getSimpleName();
    }

    // ---- the gateway's encoding ----

    /** Bytes as the gateway takes them: standard base64 with padding. */
    static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** A base64 field's bytes; an absent field is empty (the gateway leaves out empty values). */
    static byte[] bytes(JsonNode field) {
        return field == null || field.isNull() || field.isMissingNode() ? new byte[0] : Base64.getDecoder().decode(field.asText());
    }

    /** An int64 field (a JSON string, or a number from a lenient server); absent means 0. */
    static long int64(JsonNode field) {
        if (field == null || field.isNull() || field.isMissingNode()) return 0;
        return field.isNumber() ? field.asLong() : Long.parseLong(field.asText());
    }

    /** A uint64 field (member and cluster ids) as its 64 bits; absent means 0. */
    static long uint64(JsonNode field) {
        if (field == null || field.isNull() || field.isMissingNode()) return 0;
        return field.isNumber() ? field.bigIntegerValue().longValue() : Long.parseUnsignedLong(field.asText());
    }
}
