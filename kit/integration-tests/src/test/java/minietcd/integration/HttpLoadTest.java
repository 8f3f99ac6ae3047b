package minietcd.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import minietcd.kit.backend.MemoryBackend;
import minietcd.kit.bench.HttpLoad;
import minietcd.kit.bench.Keyspace;
import minietcd.kit.bench.LoadResult;
import minietcd.kit.bench.Op;
import minietcd.kit.mvcc.Stores;
import minietcd.kit.server.GatewayServer;
import minietcd.kit.watch.Watchable;
import minietcd.kit.watch.Watchers;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's load generator against the one-member gateway in this JVM, over the reference
 * store (here because kit/grading cannot see the solutions): each operation for a moment, every
 * request answered 200.
 */
class HttpLoadTest {
    @Test
    void drivesTheGatewayWithoutErrors() throws Exception {
        Watchable store = Watchers.open(Stores.open(new MemoryBackend(), System::currentTimeMillis));
        GatewayServer server = new GatewayServer(store, System::currentTimeMillis).start(0);
        try {
            List<URI> urls = List.of(URI.create("http://127.0.0.1:" + server.port()));
            Keyspace keys = new Keyspace(500, 8, 256);
            HttpLoad.fill(urls, keys, 4, Duration.ofSeconds(5));
            assertThat(store.currentRevision()).isEqualTo(1 + 500);
            for (Op op : Op.values()) {
                LoadResult r = HttpLoad.run(new HttpLoad.Spec(urls, op, 4, Duration.ofMillis(100), Duration.ofMillis(300), keys, 1));
                assertThat(r.errors()).as("%s errors, the first: %s", op, r.firstError()).isZero();
                assertThat(r.ops()).as(op.label).isPositive();
                assertThat(r.latencies().count()).isEqualTo(r.ops());
                assertThat(r.p99Millis()).isGreaterThanOrEqualTo(r.p50Millis()).isPositive();
            }
        } finally {
            server.close();
            store.close();
        }
    }
}
