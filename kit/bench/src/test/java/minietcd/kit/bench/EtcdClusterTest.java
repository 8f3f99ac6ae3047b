package minietcd.kit.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real 3-member etcd under a moment of load; skipped where etcd is not installed. */
class EtcdClusterTest {
    @TempDir Path work;

    @Test
    void startsLoadsAndCleansUpAThreeMemberCluster() throws Exception {
        var etcd = EtcdInstall.onPath("etcd");
        assumeTrue(etcd.isPresent(), "etcd is not installed");
        Path dir;
        List<ProcessHandle> members;
        try (EtcdCluster cluster = EtcdCluster.start(etcd.get(), 3, work, Duration.ofSeconds(60))) {
            dir = cluster.dir();
            members = ProcessHandle.current().children().filter(p -> p.info().command().orElse("").endsWith("etcd")).toList();
            assertThat(members).hasSize(3);
            List<URI> urls = cluster.clientUrls();
            assertThat(urls).hasSize(3).doesNotHaveDuplicates();
            Keyspace keys = new Keyspace(50, 8, 256);
            HttpLoad.fill(urls, keys, 3, Duration.ofSeconds(10));
            for (Op op : Op.values()) {
                LoadResult r = HttpLoad.run(new HttpLoad.Spec(urls, op, 3, Duration.ZERO, Duration.ofMillis(300), keys, 1));
                assertThat(r.errors()).as("%s: %s", op, r.firstError()).isZero();
                assertThat(r.ops()).isPositive();
            }
        }
        assertThat(Files.exists(dir)).isFalse();
        for (ProcessHandle p : members) assertThat(ChildProcesses.running(p)).isFalse();
    }
}
