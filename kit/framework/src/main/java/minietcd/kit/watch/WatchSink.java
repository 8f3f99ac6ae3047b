package minietcd.kit.watch;

/**
 * Where a watch stream's messages go: the client end of one stream, shared by its watchers. A sink
 * has bounded room, like a connection's send buffer.
 */
@FunctionalInterface
public interface WatchSink {
    /**
     * Takes a message if there is room. Must not block. Returns false when full: the message was
     * not taken and must be offered again later, after what came before it (a progress
     * notification, only a hint, may be dropped instead).
     */
    boolean offer(WatchResponse response);
}
