package minietcd.kit.watch;

import minietcd.kit.mvcc.Bytes;

/**
 * etcd's WatchCreateRequest: watch a key, or [key, rangeEnd), from {@code startRevision} (0: from
 * now on; in the past: replay history first; in the future: wait for it).
 *
 * @param watchId        the id the client wants, or -1 to let the stream choose
 * @param progressNotify ask for periodic progress notifications while nothing happens
 */
public record WatchRequest(Bytes key, Bytes rangeEnd, long startRevision, boolean prevKv, boolean noPut, boolean noDelete,
                           long watchId, boolean progressNotify) {
    public static WatchRequest of(Bytes key) {
        return new WatchRequest(key, Bytes.EMPTY, 0, false, false, false, -1, false);
    }

    public static WatchRequest prefix(Bytes prefix) {
        return of(prefix).withRangeEnd(prefix.prefixEnd());
    }

    public WatchRequest withRangeEnd(Bytes end) { return new WatchRequest(key, end, startRevision, prevKv, noPut, noDelete, watchId, progressNotify); }
    public WatchRequest from(long rev) { return new WatchRequest(key, rangeEnd, rev, prevKv, noPut, noDelete, watchId, progressNotify); }
    public WatchRequest withPrevKv() { return new WatchRequest(key, rangeEnd, startRevision, true, noPut, noDelete, watchId, progressNotify); }
    public WatchRequest filtered(boolean noPuts, boolean noDeletes) { return new WatchRequest(key, rangeEnd, startRevision, prevKv, noPuts, noDeletes, watchId, progressNotify); }
    public WatchRequest withId(long id) { return new WatchRequest(key, rangeEnd, startRevision, prevKv, noPut, noDelete, id, progressNotify); }
    public WatchRequest withProgressNotify() { return new WatchRequest(key, rangeEnd, startRevision, prevKv, noPut, noDelete, watchId, true); }
}
