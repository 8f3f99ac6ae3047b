package minietcd.kit.controlplane;

import java.util.Map;
import minietcd.kit.node.Message;

/**
 * What components and the API server say to each other in the simulator: the REST API's requests and
 * watch streams as messages between nodes. Bodies are JSON text, so a message stays an immutable
 * value however often the network hands it over.
 */
public sealed interface ApiMessage extends Message {
    /** A request: {@code body} JSON text or null; {@code headers} such as {@link Fence#HEADER}. */
    record Request(long id, String method, String pathAndQuery, String body, Map<String, String> headers) implements ApiMessage {
        public Request {
            headers = Map.copyOf(headers);
        }
    }

    /** The answer to request {@code id}: an HTTP status code and a JSON body (a {@code Status} when it failed). */
    record Response(long id, int code, String body) implements ApiMessage {}

    /** Opens watch stream {@code stream} ({@code pathAndQuery} carries {@code watch=true}). */
    record Watch(long stream, String pathAndQuery) implements ApiMessage {}

    /** The stream's {@code seq}-th line (from 1): one watch event as JSON. */
    record Line(long stream, long seq, String line) implements ApiMessage {}

    /** The server ended the stream (its store watch ended, or the request was refused). */
    record End(long stream, String why) implements ApiMessage {}

    /** The client asks whether its stream still lives; the server answers {@link Open} or {@link Gone}. */
    record Check(long stream) implements ApiMessage {}

    /** The stream lives and has sent {@code sent} lines. */
    record Open(long stream, long sent) implements ApiMessage {}

    /** The server has no such stream (it restarted, or dropped a client it stopped hearing from). */
    record Gone(long stream) implements ApiMessage {}

    /** The client closes its stream. */
    record Close(long stream) implements ApiMessage {}
}
