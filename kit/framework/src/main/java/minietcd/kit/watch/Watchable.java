package minietcd.kit.watch;

import minietcd.kit.mvcc.KV;

/**
 * Lab 4: a {@link KV} that can be watched, as etcd's watchableStore. Writes go through it to the
 * store beneath and, for each new revision, to every watcher whose range it touches. Single-threaded;
 * must not block; time passes only through {@link #tick()}.
 *
 * <p>The guarantees (etcd's): events arrive ordered by revision, each once, none missing from the
 * start revision on, all events of one revision in one message; a watcher whose start revision has
 * been compacted away is canceled with the compaction revision; a progress notification at revision R
 * means every event up to R has been sent. A watcher whose sink is full loses nothing: it falls
 * behind and catches up from the store's history.
 */
public interface Watchable extends KV {
    /**
     * Creates a watcher that sends to {@code sink}; its first message says created. Returns its id:
     * the request's if it asked for one, else the stream's next id (0, 1, 2, ..., skipping ids in use;
     * as in etcd, an id is never given out twice on one stream).
     *
     * @throws IllegalArgumentException if the sink already has a watcher with the asked id
     */
    long watch(WatchRequest request, WatchSink sink);

    /** Cancels a watcher of this sink; it sends canceled. Returns false if there was none. */
    boolean cancel(WatchSink sink, long watchId);

    /**
     * A stream asks where it stands: if every watcher of {@code sink} has been sent everything up to
     * now, the sink gets a progress message with watch id -1 and the current revision.
     */
    void requestProgress(WatchSink sink);

    /**
     * Time passes (etcd runs this every 100 ms): watchers that fell behind catch up from history as
     * far as their sinks take, and every {@code progressTicks} ticks each up-to-date watcher that
     * asked for it gets a progress notification.
     */
    void tick();

    /** How many ticks between progress notifications. */
    int PROGRESS_TICKS = 100;
}
