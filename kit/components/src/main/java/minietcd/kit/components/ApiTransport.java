package minietcd.kit.components;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import minietcd.kit.controlplane.Fence;
import minietcd.kit.controlplane.StatusException;

/**
 * How a component reaches a Kubernetes API server: JSON requests and watch streams. Over HTTP it is
 * {@link ApiClient}; in the simulator, a client node whose requests cross the simulated network to
 * the API server's node. Either way an answer and every watch line reach the component on its own
 * thread (the simulation's, in the simulator), one at a time.
 */
public interface ApiTransport {
    /**
     * One request; {@code body} null for none. Completes with the server's JSON answer, or with a
     * {@link StatusException}: the server's {@code Status}, or 504 when no answer came in time.
     */
    CompletableFuture<ObjectNode> send(String method, String pathAndQuery, JsonNode body, Map<String, String> headers);

    /** The same without headers. */
    default CompletableFuture<ObjectNode> send(String method, String pathAndQuery, JsonNode body) {
        return send(method, pathAndQuery, body, Map.of());
    }

    /**
     * A watch request: each line the server sends is handed to {@code line}, then {@code ended} once
     * the stream ends or breaks (not after {@link Watching#close}).
     */
    Watching watch(String pathAndQuery, Consumer<String> line, Consumer<String> ended);

    /** An open watch. */
    interface Watching {
        void close();
    }

    /**
     * This transport with every write (all but GETs) carrying the leader's fence in
     * {@link Fence#HEADER}, so the API server makes its etcd txn hold only while the Lease is as the
     * leader last wrote it (part D's {@code FencedClient}). With no fence (not leading), a write is
     * refused unsent with 403, as the fenced client refuses it.
     */
    default ApiTransport fenced(Supplier<Optional<Fence>> fence) {
        ApiTransport plain = this;
        return new ApiTransport() {
            @Override
            public CompletableFuture<ObjectNode> send(String method, String pathAndQuery, JsonNode body, Map<String, String> headers) {
                if (method.equals("GET")) return plain.send(method, pathAndQuery, body, headers);
                Optional<Fence> f = fence.get();
                if (f.isEmpty()) return CompletableFuture.failedFuture(StatusException.fenced("", "this component does not lead: it has no fence to write with"));
                Map<String, String> with = new java.util.HashMap<>(headers);
                with.put(Fence.HEADER, f.get().headerValue());
                return plain.send(method, pathAndQuery, body, with);
            }

            @Override
            public Watching watch(String pathAndQuery, Consumer<String> line, Consumer<String> ended) {
                return plain.watch(pathAndQuery, line, ended);
            }
        };
    }
}
