package minietcd.kit.client;

import minietcd.kit.watch.WatchResponse;

/** Hears one watch stream of an {@link EtcdClient}. */
public interface WatchListener {
    /** The stream's next message: created, events, a progress notification, or canceled (the last). */
    void onResponse(WatchResponse response);

    /**
     * The stream ended without a cancel: its connection broke, its member restarted or replaced its
     * store, or a message of it was lost. Nothing more comes; what came before is whole and in order.
     */
    void broken(String why);
}
