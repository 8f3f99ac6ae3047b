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
        throw new UnsupportedOperationException("TODO(lab 5 part A): from N, watch from N+1; from \"\" or \"0\", list the prefix, send each matching object as ADDED, then watch from the list's revision + 1");
    }

    /** Opens the etcd watch of the prefix from {@code revision} and turns what it hears into this watch's events. */
    void watchFrom(long revision) {
        // TODO(lab 5 part A): watch the prefix from revision with prev_kv (and progress notifications when bookmarks are allowed); events go through onEvent; a canceled message with a compact revision is an ERROR 410 and the end; a progress notification is a BOOKMARK; a broken stream is the end
        throw new UnsupportedOperationException("TODO(lab 5 part A): watch the prefix from revision with prev_kv (and progress notifications when bookmarks are allowed); events go through onEvent; a canceled message with a compact revision is an ERROR 410 and the end; a progress notification is a BOOKMARK; a broken stream is the end");
    }

    /** One etcd event (with its prev_kv) as this watch's selection sees it. */
    void onEvent(Event e) {
        // TODO(lab 5 part A): ADDED for a create, MODIFIED for a change, DELETED for a delete (the old object, its resourceVersion the delete's revision); an object that starts or stops matching the selection is ADDED or DELETED
        throw new UnsupportedOperationException("TODO(lab 5 part A): ADDED for a create, MODIFIED for a change, DELETED for a delete (the old object, its resourceVersion the delete's revision); an object that starts or stops matching the selection is ADDED or DELETED");
    }

    @Override
    public void stop() {
        // TODO(lab 5 part A): nothing more reaches the listener; close the etcd watch
        throw new UnsupportedOperationException("TODO(lab 5 part A): nothing more reaches the listener; close the etcd watch");
    }

}
