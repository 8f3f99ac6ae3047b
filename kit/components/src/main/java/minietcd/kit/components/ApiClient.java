package minietcd.kit.components;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Stream;
import minietcd.kit.controlplane.ObjectJson;
import minietcd.kit.controlplane.StatusException;

/**
 * A Kubernetes API server's REST API, as a component reaches it: JSON requests whose answers (or
 * {@link StatusException}s read from the server's {@code Status}) complete on the component's
 * thread, and watches whose lines are handed to it one by one.
 */
public final class ApiClient implements ApiTransport {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final URI server;
    private final ComponentThread thread;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public ApiClient(URI server, ComponentThread thread) {
        this.server = server;
        this.thread = thread;
    }

    @Override
    public CompletableFuture<ObjectNode> send(String method, String pathAndQuery, JsonNode body, java.util.Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.resolve(pathAndQuery)).timeout(TIMEOUT).header("Accept", "application/json");
        headers.forEach(b::header);
        if (body != null) b.header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.toString()));
        return thread.here(http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString()).handle((r, e) -> {
            if (e != null) throw new StatusException(504, "Timeout", "the API server did not answer " + method + " " + pathAndQuery + ": " + e.getCause(), null, null);
            ObjectNode answer;
            try {
                answer = ObjectJson.parse(r.body());
            } catch (RuntimeException bad) {
                throw StatusException.internal("the API server answered " + r.statusCode() + " with what is not a JSON object: " + r.body());
            }
            if (r.statusCode() >= 300)
                throw new StatusException(r.statusCode(), answer.path("reason").asText("Unknown"), answer.path("message").asText(r.body()), null, null);
            return answer;
        }));
    }

    @Override
    public Watching watch(String pathAndQuery, Consumer<String> line, Consumer<String> ended) {
        java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
        Object[] body = {null};
        HttpRequest request = HttpRequest.newBuilder(server.resolve(pathAndQuery)).header("Accept", "application/json").GET().build();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofLines()).whenComplete((r, e) -> {
            if (e != null) {
                thread.execute(() -> { if (!closed.get()) ended.accept("the watch could not start: " + e.getCause()); });
                return;
            }
            Stream<String> lines = r.body();
            synchronized (body) {
                body[0] = lines;
                if (closed.get()) { lines.close(); return; }
            }
            if (r.statusCode() != 200) {
                String text = String.join("\n", lines.toList());
                thread.execute(() -> { if (!closed.get()) ended.accept("the watch was refused: " + r.statusCode() + " " + text); });
                return;
            }
            Thread reader = new Thread(() -> {
                String why = "the stream ended";
                try {
                    lines.forEach(l -> { if (!l.isBlank()) thread.execute(() -> { if (!closed.get()) line.accept(l); }); });
                } catch (UncheckedIOException | IllegalStateException broken) {
                    why = "the stream broke: " + broken.getMessage();
                }
                String reason = why;
                thread.execute(() -> { if (!closed.get()) ended.accept(reason); });
            }, "watch " + pathAndQuery);
            reader.setDaemon(true);
            reader.start();
        });
        return () -> {
            closed.set(true);
            synchronized (body) {
                if (body[0] instanceof Stream<?> s) s.close();
            }
        };
    }
}
