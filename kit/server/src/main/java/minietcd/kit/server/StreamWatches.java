package minietcd.kit.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import minietcd.kit.watch.WatchRequest;
import minietcd.kit.watch.WatchResponse;

/**
 * One stream's watches as the gateway keeps them beside the store: each one's request, how far it
 * has been sent (so that it can go on on a new store object, see {@link WatchStream}), etcd's
 * per-watch progress flag, and the reason it is being canceled for, if the gateway cancels it. Fed
 * with every message the stream takes. Used under the store lock only.
 *
 * <p>The progress flag is etcd's: a watch created with {@code progress_notify} starts flagged; a
 * message with events clears the flag; at each progress interval the flagged watches are due, and
 * then every watch is flagged again. So a watch that was sent events during an interval gets no
 * progress at its end.
 */
final class StreamWatches {
    private final Map<Long, WatchRequest> requests = new TreeMap<>();
    /** The revision each watch was created at (its "created" answer's). */
    private final Map<Long, Long> createdAt = new TreeMap<>();
    /** The next revision each watch has not been sent, once it was sent events or a progress. */
    private final Map<Long, Long> sentUpTo = new TreeMap<>();
    private final Set<Long> recreated = new TreeSet<>();
    /** etcd's progress flags, for the watches that asked for progress: true while nothing was sent since the last interval. */
    private final Map<Long, Boolean> progress = new TreeMap<>();
    private final Map<Long, String> cancelReasons = new TreeMap<>();

    /** A watch the store made, with its id (one that was sent events while it was being made starts unflagged). */
    void created(long id, WatchRequest request) {
        requests.put(id, request);
        if (request.progressNotify()) progress.put(id, !sentUpTo.containsKey(id));
    }

    List<Long> ids() { return new ArrayList<>(requests.keySet()); }
    boolean wantsProgress() { return !progress.isEmpty(); }
    WatchRequest request(long id) { return requests.get(id); }
    boolean isEmpty() { return requests.isEmpty(); }

    /** The first revision the watch has not been sent. */
    long next(long id) {
        Long sent = sentUpTo.get(id);
        if (sent != null) return sent;
        long start = requests.get(id).startRevision();
        return start > 0 ? start : createdAt.getOrDefault(id, 0L) + 1;
    }

    /** The watch is registered again on a new store: the client already has its "created". */
    void recreating(long id) {
        recreated.add(id);
    }

    /** Whether the message is the "created" of a watch registered again, which the client must not see twice. */
    boolean swallow(WatchResponse m) {
        return m.created() && recreated.remove(m.watchId());
    }

    /** The gateway is about to cancel the watch, for this reason. */
    void cancelling(long id, String reason) {
        cancelReasons.put(id, reason);
    }

    /** The reason the watch is canceled for, if the gateway canceled it. */
    String cancelReason(long id) {
        return cancelReasons.get(id);
    }

    /**
     * The watches due a progress notification at the end of an interval (flagged), after which every
     * watch that asked for progress is flagged again.
     */
    List<Long> dueForProgress() {
        List<Long> due = new ArrayList<>();
        for (Map.Entry<Long, Boolean> e : progress.entrySet()) {
            if (e.getValue()) due.add(e.getKey());
            e.setValue(true);
        }
        return due;
    }

    /** Notes a message the stream took: how far the watch (or, for a stream-wide progress, every watch) has been sent. */
    void sent(WatchResponse m) {
        long id = m.watchId();
        if (m.canceled()) {
            requests.remove(id);
            createdAt.remove(id);
            sentUpTo.remove(id);
            progress.remove(id);
            cancelReasons.remove(id);
            return;
        }
        if (m.created()) {
            createdAt.put(id, m.revision());
        } else if (!m.events().isEmpty()) {
            sentUpTo.merge(id, m.events().get(m.events().size() - 1).kv().modRevision() + 1, Math::max);
            progress.replace(id, false);
        } else if (m.isProgress()) {
            for (long w : id == -1 ? List.copyOf(createdAt.keySet()) : List.of(id)) sentUpTo.merge(w, m.revision() + 1, Math::max);
        }
    }
}
