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
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletionException;
import minietcd.kit.client.GatewayEndpoints;

/**
 * kvctl's way to the server: etcd v3 requests posted as JSON to an etcd 3.4 gateway's
 * {@code /v3/<rpc>} paths through {@link GatewayEndpoints} (the kit's one way to a gateway: its
 * Javadoc says how endpoints are chosen and tried), and the gateway's encoding read back (bytes in
 * standard base64, int64 and uint64 as JSON strings; see {@code etcd-conformance/README.md}).
 *
 * <p>Failures: no endpoint taking the request is {@link Failure.Unreachable}; a unary call must be
 * answered within the command timeout ({@link Failure.TimedOut} otherwise). A 200 answer must be a
 * JSON object; any other status carrying etcd's error body {@code {"error","message","code"}}
 * becomes {@link Failure.Etcd}; anything else is {@link Failure.BadReply}. Streams
 * ({@code /v3/watch}, {@code /v3/lease/keepalive}) are read one newline-delimited
 * {@code {"result":{...}}} message at a time through {@link Messages}, with no time limit.
 *
 * <p>Not thread-safe: one command uses one gateway.
 */
final class Gateway {
    static final ObjectMapper JSON = new ObjectMapper();

    private final GatewayEndpoints endpoints;

    /**
     * @param endpoints URLs such as {@code http://127.0.0.1:2379}; a bare {@code host:port} means http
     * @throws IllegalArgumentException if the list is empty or an endpoint is not a usable URL
     */
    Gateway(List<String> endpoints, Duration dialTimeout, Duration commandTimeout) {
        this.endpoints = new GatewayEndpoints(endpoints, dialTimeout, commandTimeout);
    }

    List<String> endpoints() {
        return endpoints.endpoints();
    }

    /** A gateway with this one endpoint and the same timeouts (for commands that ask each endpoint in turn). */
    Gateway only(String endpoint) {
        return new Gateway(List.of(endpoint), endpoints.dialTimeout(), endpoints.commandTimeout());
    }

    /** Posts {@code request} to {@code /v3/<rpc>} and returns the answer; throws {@link Failure.Raised} as described above. */
    ObjectNode call(String rpc, ObjectNode request) {
        GatewayEndpoints.Exchange<String> x = send(rpc, request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8), true);
        return answer(x.endpoint(), x.response().statusCode(), x.response().body());
    }

    /**
     * Opens a stream: posts {@code request} to {@code /v3/<rpc>} and returns once the answer's
     * headers are in. With {@code timed}, the headers must come within the command timeout.
     */
    Messages stream(String rpc, ObjectNode request, boolean timed) {
        GatewayEndpoints.Exchange<InputStream> x = send(rpc, request, HttpResponse.BodyHandlers.ofInputStream(), timed);
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

    private <T> GatewayEndpoints.Exchange<T> send(String rpc, ObjectNode request, HttpResponse.BodyHandler<T> handler, boolean timed) {
        String body;
        try {
            body = JSON.writeValueAsString(request);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return endpoints.post(rpc, body, handler, timed).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof GatewayEndpoints.Unreachable u) throw new Failure.Unreachable(u.attempts()).raise();
            if (e.getCause() instanceof GatewayEndpoints.TimedOut) throw new Failure.TimedOut().raise();
            throw e;
        }
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
