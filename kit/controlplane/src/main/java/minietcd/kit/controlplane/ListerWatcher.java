package minietcd.kit.controlplane;

import java.util.concurrent.CompletableFuture;

/**
 * Where an informer gets its objects (client-go's ListerWatcher): a list, and a watch from a
 * resourceVersion. {@link #of} makes one of an {@link ObjectStore}'s namespace; a test may give an
 * informer one that counts or fails.
 */
public interface ListerWatcher {
    CompletableFuture<ObjectList> list(ListOptions options);

    ObjectStore.Watch watch(WatchOptions options, ObjectStore.Listener listener);

    /** The objects of {@code namespace} ("" for all) in {@code store}. */
    static ListerWatcher of(ObjectStore store, String namespace) {
        return new ListerWatcher() {
            @Override
            public CompletableFuture<ObjectList> list(ListOptions options) {
                return store.list(namespace, options);
            }

            @Override
            public ObjectStore.Watch watch(WatchOptions options, ObjectStore.Listener listener) {
                return store.watch(namespace, options, listener);
            }
        };
    }
}
