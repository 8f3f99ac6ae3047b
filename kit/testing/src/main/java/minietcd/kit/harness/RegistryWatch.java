package minietcd.kit.harness;

import java.util.function.Consumer;
import minietcd.kit.client.EtcdClient;
import minietcd.kit.client.WatchListener;
import minietcd.kit.mvcc.Bytes;
import minietcd.kit.mvcc.Event;
import minietcd.kit.watch.WatchRequest;
import minietcd.kit.watch.WatchResponse;

/**
 * How a rig sees the store: one etcd watch of everything under {@code /registry/} from a revision,
 * every event in revision order, each once. A stream that breaks (its member crashed) is opened
 * again 100 ms later from the revision after the last one it delivered.
 */
final class RegistryWatch {
    private final ApiStorage storage;
    private final EtcdClient client;
    private final Consumer<Event> see;
    private long lastRevision;

    private RegistryWatch(ApiStorage storage, EtcdClient client, Consumer<Event> see) {
        this.storage = storage;
        this.client = client;
        this.see = see;
    }

    /** Hands {@code see} every change under {@code /registry/} from revision 1 on. */
    static void follow(ApiStorage storage, EtcdClient client, Consumer<Event> see) {
        new RegistryWatch(storage, client, see).watch(1);
    }

    private void watch(long from) {
        client.watch(WatchRequest.prefix(Bytes.of("/registry/")).from(from), new WatchListener() {
            @Override public void onResponse(WatchResponse r) {
                for (Event e : r.events()) {
                    if (e.kv().modRevision() < from) continue;
                    lastRevision = Math.max(lastRevision, e.kv().modRevision());
                    see.accept(e);
                }
            }
            @Override public void broken(String why) {
                storage.sim().schedule(100, "the rig watches again", () -> watch(lastRevision + 1));
            }
        });
    }
}
