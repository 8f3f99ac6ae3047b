package minietcd.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import minietcd.kit.backend.MemoryBackend;
import minietcd.kit.mvcc.Bytes;
import minietcd.kit.mvcc.KvRequest;
import minietcd.kit.mvcc.Stores;
import minietcd.kit.replica.Outcome;
import minietcd.kit.replica.StoreNode;
import minietcd.kit.server.GatewayServer;
import minietcd.kit.server.Replica;
import minietcd.kit.watch.Watchable;
import minietcd.kit.watch.Watchers;
import org.junit.jupiter.api.Test;

/**
 * A replica that installs the leader's snapshot gets a new store object; a watch stream open on it
 * goes on, as etcd's do, over the reference solutions' stores behind the real gateway.
 */
class ReplicaWatchTest {
    /** One member's state as the gateway sees it, with a store the test replaces. */
    private static final class SwappedStore implements Replica {
        final ReentrantLock lock = new ReentrantLock();
        final MemoryBackend backend = new MemoryBackend();
        Watchable store = Watchers.open(Stores.open(backend, () -> 0));

        @Override public ReentrantLock lock() { return lock; }
        @Override public Watchable store() { return store; }
        @Override public StoreNode.Status status() { return new StoreNode.Status(1, 1, 2, 10, 10, store.currentRevision()); }
        @Override public List<Peer> members() { return List.of(new Peer(1, "m1", "http://127.0.0.1:1", "http://127.0.0.1:2")); }
        @Override public long memberId() { return 1; }
        @Override public long raftTerm() { return 2; }
        @Override public void submit(minietcd.kit.etcd.EtcdRequest request, Consumer<Outcome> reply) { throw new UnsupportedOperationException(request.toString()); }

        void put(String key, String value) {
            lock.lock();
            try {
                store.put(KvRequest.Put.of(Bytes.of(key.getBytes(StandardCharsets.UTF_8)), Bytes.of(value.getBytes(StandardCharsets.UTF_8))));
            } finally {
                lock.unlock();
            }
        }
    }

    @Test
    void aWatchStreamGoesOnOnTheStoreInstalledFromTheLeadersSnapshotFromTheNextRevision() throws Exception {
        SwappedStore member = new SwappedStore();
        member.put("foo", "1"); // revision 2
        GatewayServer gateway = new GatewayServer(member).start(0);
        try (Socket s = new Socket("127.0.0.1", gateway.port())) {
            s.setSoTimeout(20_000); // a bound on a hang, not a measure of speed
            String body = "{\"create_request\":{\"key\":\"Zm9v\"}}";
            OutputStream out = s.getOutputStream();
            out.write(("POST /v3/watch HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            assertThat(nextMessage(in)).contains("\"created\":true").contains("\"revision\":\"2\"");
            member.put("foo", "2"); // revision 3, on the first store
            assertThat(nextMessage(in)).contains("\"mod_revision\":\"3\"");

            member.lock.lock();
            try { // what installing a snapshot does: a new store object over the installed state, the old one dropped
                member.store = Watchers.open(Stores.open(member.backend, () -> 0));
            } finally {
                member.lock.unlock();
            }
            member.put("foo", "3"); // revision 4, on the new store
            member.put("bar", "x"); // revision 5: not watched
            member.put("foo", "4"); // revision 6
            String next = nextMessage(in);
            assertThat(next).as("the stream goes on, with no second 'created'").doesNotContain("created").contains("\"mod_revision\":\"4\"");
            if (!next.contains("\"mod_revision\":\"6\"")) next = nextMessage(in);
            assertThat(next).as("the same watch (id 0, left out as a zero value)").contains("\"mod_revision\":\"6\"").doesNotContain("watch_id").doesNotContain("\"mod_revision\":\"3\"");
        } finally {
            gateway.close();
        }
    }

    /** The next line of the chunked stream that holds a watch message. */
    private static String nextMessage(BufferedReader in) throws Exception {
        for (String line; (line = in.readLine()) != null; ) if (line.startsWith("{")) return line;
        throw new AssertionError("the watch stream ended");
    }
}
