package minietcd.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import minietcd.kit.replica.StoreNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots on real members (files, H2, peers over loopback): a member's compacted log refers to its
 * H2 store, a member too far behind for the leader's log installs the leader's whole store, and a
 * member restarted from a compacted log serves everything from its store.
 */
class ClusterSnapshotTest {
    @TempDir Path dir;

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String value(JsonNode range) {
        return new String(Base64.getDecoder().decode(range.path("kvs").path(0).path("value").asText()), StandardCharsets.UTF_8);
    }

    @Test
    void compactedLogsReferToTheStoreAndAMemberFarBehindTakesTheLeadersWholeStore() throws Exception {
        StoreNode.Config every50 = new StoreNode.Config(StoreNode.Config.DEFAULT.raft().withSnapshots(50), StoreNode.Config.DEFAULT.requestTimeoutMillis());
        try (LocalCluster c = new LocalCluster(dir, 3, every50)) {
            int leader = c.awaitLeader(), behind = leader == 3 ? 2 : 3;
            c.stop(behind);
            for (int i = 0; i < 200; i++) c.post(leader, "kv/put", "{\"key\":\"" + b64("k" + i % 10) + "\",\"value\":\"" + b64("v" + i) + "\"}");
            byte[] log = Files.readAllBytes(c.spec.memberDir(leader).resolve("raft").resolve("raft.wal"));
            assertThat(new String(log, StandardCharsets.ISO_8859_1)).as("the leader's log holds a snapshot that refers to its store")
                    .contains("in-backend ").doesNotContain(b64("v0"));

            c.start(behind); // its log ends where the leader's compacted log begins long after: only the whole store brings it up
            c.awaitApplied();
            JsonNode got = c.post(behind, "kv/range", "{\"key\":\"" + b64("k9") + "\",\"serializable\":true}");
            assertThat(value(got)).as("the member that was down serves the last write").isEqualTo("v199");
            assertThat(got.path("header").path("revision").asText()).isEqualTo("201");
            JsonNode old = c.post(behind, "kv/range", "{\"key\":\"" + b64("k9") + "\",\"revision\":\"191\",\"serializable\":true}");
            assertThat(value(old)).as("and the history before it").isEqualTo("v189");

            c.stop(leader);
            c.start(leader); // from a log whose snapshot is a reference to its H2 store
            c.awaitLeader();
            c.awaitApplied();
            JsonNode again = c.post(leader, "kv/range", "{\"key\":\"" + b64("k3") + "\",\"serializable\":true}");
            assertThat(value(again)).as("a member restarted from a compacted log").isEqualTo("v193");
            assertThat(again.path("header").path("revision").asText()).isEqualTo("201");
        }
    }
}
