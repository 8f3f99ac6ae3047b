package minietcd.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import minietcd.kit.bench.Differential;
import minietcd.kit.bench.EtcdCluster;
import minietcd.kit.bench.EtcdInstall;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bounded run of the differential test against a real etcd 3.4.23 (skipped where etcd is not
 * installed; {@code ./jbang differential} runs it long): the same random requests to a fresh etcd and
 * to a fresh cluster of ours over the reference solutions, every answer and the watch history equal.
 */
class EtcdDifferentialTest {
    @TempDir Path work;

    @ParameterizedTest(name = "{0} member(s), seed {1}")
    @CsvSource({"1, 1", "1, 2", "3, 1"})
    void ourClusterAnswersAsEtcdDoes(int members, long seed) throws Exception {
        var etcd = EtcdInstall.onPath("etcd");
        assumeTrue(etcd.isPresent(), "etcd is not installed");
        try (EtcdCluster theirs = EtcdCluster.start(etcd.get(), members, work, Duration.ofSeconds(60));
             LocalCluster ours = new LocalCluster(work.resolve("ours"), members)) {
            List<URI> mine = ours.spec.members().stream().map(n -> URI.create(ours.url(n))).toList();
            Differential.Result r = Differential.run(seed, 300, theirs.clientUrls(), mine);
            assertThat(r.difference()).as("the first request answered otherwise than etcd did (replay: ./jbang differential --members "
                    + members + " --first-seed " + seed + " --seeds 1 --steps 300)").isNull();
            assertThat(r.agreed()).isEqualTo(300);
            assertThat(r.succeeded()).as("requests that succeeded on both (the rest were refused alike)").isGreaterThan(200);
        }
    }
}
