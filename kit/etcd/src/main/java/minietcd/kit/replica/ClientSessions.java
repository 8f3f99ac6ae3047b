package minietcd.kit.replica;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import minietcd.kit.etcd.EtcdRequest;
import minietcd.kit.node.Context;
import minietcd.kit.watch.WatchResponse;
import minietcd.kit.watch.WatchSink;
import minietcd.kit.watch.Watchable;

/**
 * A member's side of its simulated clients ({@link ClientMessage}): their calls go to the member's
 * node as a gateway's would, their watch streams to the member's store, and every answer and watch
 * message goes back over the network. Deterministic; runs on the node's thread.
 */
final class ClientSessions {
    private record Key(int client, long stream) {}

    private final class Stream implements WatchSink {
        final Key key;
        long seq;
        long watchId;

        Stream(Key key) { this.key = key; }

        @Override
        public boolean offer(WatchResponse response) {
            ctx.send(key.client, new ClientMessage.Sent(key.stream, ++seq, response));
            return true; // the network takes everything: a slow client is the network's delay
        }
    }

    private final Context ctx;
    private final Supplier<Watchable> store;
    private final BiConsumer<EtcdRequest, java.util.function.Consumer<Outcome>> submit;
    private final Map<Key, Stream> streams = new LinkedHashMap<>();

    /**
     * @param store  the member's store now (it changes when a snapshot is installed)
     * @param submit the member's way in for a request, as its gateway uses it
     */
    ClientSessions(Context ctx, Supplier<Watchable> store, BiConsumer<EtcdRequest, java.util.function.Consumer<Outcome>> submit) {
        this.ctx = ctx;
        this.store = store;
        this.submit = submit;
    }

    void onMessage(int client, ClientMessage m) {
        if (m instanceof ClientMessage.Call c) {
            submit.accept(c.request(), outcome -> ctx.send(client, new ClientMessage.Answer(c.id(), outcome)));
        } else if (m instanceof ClientMessage.Watch w) {
            Key key = new Key(client, w.stream());
            if (streams.containsKey(key)) return;
            Stream s = new Stream(key);
            streams.put(key, s);
            s.watchId = store.get().watch(w.request(), s);
        } else if (m instanceof ClientMessage.CloseStream c) {
            Stream s = streams.remove(new Key(client, c.stream()));
            if (s != null) store.get().cancel(s, s.watchId);
        } else if (m instanceof ClientMessage.Progress p) {
            Stream s = streams.get(new Key(client, p.stream()));
            if (s == null) ctx.send(client, new ClientMessage.Gone(p.stream()));
            else store.get().requestProgress(s);
        } else if (m instanceof ClientMessage.Check c) {
            Stream s = streams.get(new Key(client, c.stream()));
            ctx.send(client, s == null ? new ClientMessage.Gone(c.stream()) : new ClientMessage.Open(c.stream(), s.seq));
        } else {
            throw new IllegalArgumentException("a client cannot send " + m);
        }
    }

    /** The store was replaced: its watchers are gone, and so are the streams (each client hears so). */
    void storeReplaced() {
        for (Stream s : List.copyOf(streams.values())) ctx.send(s.key.client, new ClientMessage.Gone(s.key.stream));
        streams.clear();
    }
}
