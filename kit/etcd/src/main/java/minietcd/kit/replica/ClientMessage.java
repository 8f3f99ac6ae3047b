package minietcd.kit.replica;

import minietcd.kit.etcd.EtcdRequest;
import minietcd.kit.node.Message;
import minietcd.kit.watch.WatchRequest;
import minietcd.kit.watch.WatchResponse;

/**
 * What a client node and a store member say to each other in the simulator: the same requests and
 * watch streams a client sends to a real member's gateway, as the kit's records, crossing the
 * simulated network. A client's link is a connection: it loses messages when cut or when the
 * network drops them, keeps them in order, and never duplicates them; a lost watch message shows
 * as a gap in the stream's sequence numbers, which the client must treat as a broken stream.
 */
public sealed interface ClientMessage extends Message {
    /** Client to member: one unary request, numbered by the client. */
    record Call(long id, EtcdRequest request) implements ClientMessage {}

    /** Member to client: how call {@code id} ended. */
    record Answer(long id, Outcome outcome) implements ClientMessage {}

    /** Client to member: open watch stream {@code stream} (the client's number) with one watcher. */
    record Watch(long stream, WatchRequest request) implements ClientMessage {}

    /** Client to member: close the stream, canceling its watcher. */
    record CloseStream(long stream) implements ClientMessage {}

    /** Client to member: ask the stream's watcher for a progress notification (etcd's progress request). */
    record Progress(long stream) implements ClientMessage {}

    /** Client to member: is the stream still open, and how many messages has it sent? */
    record Check(long stream) implements ClientMessage {}

    /** Member to client: message number {@code seq} (from 1) of the stream. */
    record Sent(long stream, long seq, WatchResponse response) implements ClientMessage {}

    /** Member to client: the answer to {@link Check}: the stream is open and has sent {@code seq} messages. */
    record Open(long stream, long seq) implements ClientMessage {}

    /** Member to client: the member has no such stream (it restarted, or its store was replaced by a snapshot). */
    record Gone(long stream) implements ClientMessage {}
}
