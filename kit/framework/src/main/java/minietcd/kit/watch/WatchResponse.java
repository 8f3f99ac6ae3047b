package minietcd.kit.watch;

import java.util.List;
import minietcd.kit.mvcc.Event;

/**
 * etcd's WatchResponse. Exactly one of: created (the first message of a watcher), events (all of
 * one or more whole revisions), canceled (with compactRevision when its start was compacted away),
 * or a progress notification (no events: everything up to {@code revision} has been sent).
 *
 * @param watchId  the watcher, or -1 for a stream-wide progress answer
 * @param revision the header's revision: the store's revision when the message was made (0 when a compacted cancel has none)
 */
public record WatchResponse(long watchId, long revision, boolean created, boolean canceled, long compactRevision, List<Event> events) {
    public WatchResponse {
        events = List.copyOf(events);
    }

    public static WatchResponse created(long id, long revision) { return new WatchResponse(id, revision, true, false, 0, List.of()); }
    public static WatchResponse canceled(long id, long revision) { return new WatchResponse(id, revision, false, true, 0, List.of()); }
    public static WatchResponse compacted(long id, long compactRevision) { return new WatchResponse(id, 0, false, true, compactRevision, List.of()); }
    public static WatchResponse events(long id, long revision, List<Event> events) { return new WatchResponse(id, revision, false, false, 0, events); }
    public static WatchResponse progress(long id, long revision) { return new WatchResponse(id, revision, false, false, 0, List.of()); }

    /** A progress notification: not created, not canceled, no events. */
    public boolean isProgress() {
        return !created && !canceled && events.isEmpty();
    }
}
