package minietcd.controlplane;

import com.fasterxml.jackson.databind.node.ObjectNode;
import minietcd.kit.client.EtcdClient;
import minietcd.kit.client.WatchListener;
import minietcd.kit.controlplane.ObjectJson;
import minietcd.kit.controlplane.ObjectStore;
import minietcd.kit.controlplane.Resource;
import minietcd.kit.controlplane.StatusException;
import minietcd.kit.controlplane.WatchEvent;
import minietcd.kit.controlplane.WatchOptions;
import minietcd.kit.mvcc.Bytes;
import minietcd.kit.mvcc.Event;
import minietcd.kit.mvcc.KeyValue;
import minietcd.kit.mvcc.KvRequest;
import minietcd.kit.watch.WatchRequest;
import minietcd.kit.watch.WatchResponse;

/**
 * Lab 5 part A: one Kubernetes watch over one etcd watch of a key prefix. From resourceVersion N it
 * watches from N+1; from "" or "0" it first lists the prefix and sends each object as ADDED, then
 * watches from the list's revision + 1, so nothing is missed or seen twice. etcd's events become
 * Kubernetes' as the selection sees them (an object that stops matching is DELETED for this watch,
 * one that starts to is ADDED); a compacted start is an ERROR event with 410 Expired; progress
 * notifications become BOOKMARKs when the client allows them.
 */
final class StoreWatch implements ObjectStore.Watch {
    private final EtcdClient client;
    private final Resource resource;
    private final String prefix;
    private final WatchOptions options;
    private final ObjectStore.Listener listener;
    // BEGIN SOLUTION
    /** The etcd watch, once open. */
    private EtcdClient.Watch stream;
    /** Stopped, or ended: the listener hears nothing more. */
    private boolean over;
    // END SOLUTION

    StoreWatch(EtcdClient client, Resource resource, String prefix, WatchOptions options, ObjectStore.Listener listener) {
        this.client = client;
        this.resource = resource;
        this.prefix = prefix;
        this.options = options;
        this.listener = listener;
    }

    /** Starts: the initial ADDED events when the resourceVersion is "" or "0", then the etcd watch. */
    void start() {
        // TODO(lab 5 part A): from N, watch from N+1; from "" or "0", list the prefix, send each matching object as ADDED, then watch from the list's revision + 1
        // BEGIN SOLUTION
        long from;
        try {
            from = EtcdObjectStore.parseResourceVersion(options.resourceVersion());
        } catch (StatusException e) {
            fail(e);
            return;
        }
        if (from > 0) {
            watchFrom(from + 1);
            return;
        }
        KvRequest.Range read = KvRequest.Range.prefix(Bytes.of(prefix));
        if (options.resourceVersion().equals("0")) read = read.withSerializable();
        client.range(read).whenComplete((r, e) -> {
            if (over) return;
            if (e != null) {
                fail(StatusException.fromStore(e, StatusException.WATCH_EXPIRED));
                return;
            }
            try {
                for (KeyValue kv : r.kvs()) {
                    ObjectNode o = ObjectJson.fromStorage(kv, kv.modRevision());
                    if (options.selection().matches(o)) emit(new WatchEvent(WatchEvent.Type.ADDED, o));
                }
            } catch (StatusException bad) {
                fail(bad);
            }
            if (!over) watchFrom(r.revision() + 1);
        });
        // END SOLUTION
    }

    /** Opens the etcd watch of the prefix from {@code revision} and turns what it hears into this watch's events. */
    void watchFrom(long revision) {
        // TODO(lab 5 part A): watch the prefix from revision with prev_kv (and progress notifications when bookmarks are allowed); events go through onEvent; a canceled message with a compact revision is an ERROR 410 and the end; a progress notification is a BOOKMARK; a broken stream is the end
        // BEGIN SOLUTION
        WatchRequest request = WatchRequest.prefix(Bytes.of(prefix)).from(revision).withPrevKv();
        if (options.allowBookmarks()) request = request.withProgressNotify();
        stream = client.watch(request, new WatchListener() {
            @Override
            public void onResponse(WatchResponse r) {
                if (over) return;
                if (r.canceled()) {
                    if (r.compactRevision() > 0) fail(StatusException.expired(StatusException.WATCH_EXPIRED));
                    else end("the store canceled the watch");
                } else if (r.isProgress()) {
                    if (options.allowBookmarks()) emit(WatchEvent.bookmark(resource, r.revision()));
                } else if (!r.created()) {
                    try {
                        for (Event e : r.events()) if (!over) onEvent(e);
                    } catch (StatusException bad) {
                        fail(bad);
                    }
                }
            }

            @Override
            public void broken(String why) {
                if (!over) end(why);
            }
        });
        // END SOLUTION
    }

    /** One etcd event (with its prev_kv) as this watch's selection sees it. */
    void onEvent(Event e) {
        // TODO(lab 5 part A): ADDED for a create, MODIFIED for a change, DELETED for a delete (the old object, its resourceVersion the delete's revision); an object that starts or stops matching the selection is ADDED or DELETED
        // BEGIN SOLUTION
        long revision = e.kv().modRevision();
        ObjectNode now = e.type() == Event.Type.PUT ? ObjectJson.fromStorage(e.kv(), revision) : null;
        ObjectNode before = e.prevKv() == null ? null : ObjectJson.fromStorage(e.prevKv(), revision);
        boolean nowMatches = now != null && options.selection().matches(now);
        boolean beforeMatches = before != null && options.selection().matches(before);
        if (e.type() == Event.Type.DELETE) {
            if (beforeMatches) emit(new WatchEvent(WatchEvent.Type.DELETED, before));
        } else if (e.kv().createRevision() == revision || before == null) {
            if (nowMatches) emit(new WatchEvent(WatchEvent.Type.ADDED, now));
        } else if (nowMatches && beforeMatches) {
            emit(new WatchEvent(WatchEvent.Type.MODIFIED, now));
        } else if (nowMatches) {
            emit(new WatchEvent(WatchEvent.Type.ADDED, now));
        } else if (beforeMatches) {
            emit(new WatchEvent(WatchEvent.Type.DELETED, before));
        }
        // END SOLUTION
    }

    @Override
    public void stop() {
        // TODO(lab 5 part A): nothing more reaches the listener; close the etcd watch
        // BEGIN SOLUTION
        over = true;
        if (stream != null) stream.cancel();
        // END SOLUTION
    }

    // BEGIN SOLUTION
    private void emit(WatchEvent event) {
        if (!over) listener.onEvent(event);
    }

    /** Sends the failure as an ERROR event, the stream's last. */
    private void fail(StatusException e) {
        emit(WatchEvent.error(e));
        end(e.getMessage());
    }

    private void end(String why) {
        if (over) return;
        over = true;
        if (stream != null) stream.cancel();
        listener.ended(why);
    }
    // END SOLUTION
}
