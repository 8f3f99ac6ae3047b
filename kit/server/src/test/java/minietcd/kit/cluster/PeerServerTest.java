package minietcd.kit.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import minietcd.kit.node.Message;
import minietcd.kit.raft.RaftMessage;
import minietcd.kit.replica.StoreMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The peer port: batches of messages in over keep-alive HTTP, refusals for anything else, the connection kept; only the cluster's members get in. */
class PeerServerTest {
    private static final String SECRET = "0123456789abcdef".repeat(4);

    @Test
    void aBatchIsDeliveredInOrderAndAnythingElseIsRefusedOnTheSameConnection() throws Exception {
        int port = freePort();
        List<String> delivered = new CopyOnWriteArrayList<>();
        try (PeerServer server = new PeerServer(port, SECRET, (from, m) -> delivered.add(from + " " + m));
             PeerConnection c = new PeerConnection("127.0.0.1", port, SECRET)) {
            Message a = new StoreMessage.ReadIndexAsk(7), b = new RaftMessage.RequestVoteReply(3, true, false);
            String batch = PeerCodec.encode(a) + "\n" + PeerCodec.encode(b) + "\n";
            assertThat(c.post("/peer/2", batch.getBytes(StandardCharsets.UTF_8))).isEqualTo(204);
            assertThat(delivered).containsExactly("2 " + a, "2 " + b);
            assertThat(c.post("/peer/2", "[\"Nonsense\",{}]".getBytes(StandardCharsets.UTF_8))).isEqualTo(400);
            assertThat(c.post("/peer/x", new byte[0])).isEqualTo(400);
            assertThat(c.post("/v3/kv/range", new byte[0])).isEqualTo(404);
            assertThat(c.post("/peer/3", (PeerCodec.encode(a) + "\n").getBytes(StandardCharsets.UTF_8))).as("the connection still serves").isEqualTo(204);
            assertThat(delivered).hasSize(3).last().isEqualTo("3 " + a);
        }
    }

    @Test
    void aRequestWithoutTheClusterSecretIsRefusedAndNothingIsDelivered() throws Exception {
        int port = freePort();
        List<Message> delivered = new CopyOnWriteArrayList<>();
        Message higherTerm = new RaftMessage.AppendEntries(99, 2, 0, 0, List.of(), 0, 0);
        byte[] body = (PeerCodec.encode(higherTerm) + "\n").getBytes(StandardCharsets.UTF_8);
        try (PeerServer server = new PeerServer(port, SECRET, (from, m) -> delivered.add(m));
             PeerConnection wrong = new PeerConnection("127.0.0.1", port, "f".repeat(64));
             PeerConnection none = new PeerConnection("127.0.0.1", port, "")) {
            assertThat(wrong.post("/peer/2", body)).as("a wrong secret").isEqualTo(401);
            assertThat(none.post("/peer/2", body)).as("no secret").isEqualTo(401);
            assertThat(delivered).as("a message from outside the cluster must not reach the member").isEmpty();
        }
    }

    @Test
    void theSecretIsCreatedOnceOwnerOnlyAndSharedByEveryMember(@TempDir Path dir) throws Exception {
        String first = PeerSecret.load(dir), second = PeerSecret.load(dir);
        assertThat(first).matches("[0-9a-f]{64}").isEqualTo(second);
        Path file = dir.resolve(PeerSecret.FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PeerSecret.load(dir)).hasMessageContaining("chmod 600");
    }

    private static int freePort() throws Exception {
        try (ServerSocket free = new ServerSocket(0)) {
            return free.getLocalPort();
        }
    }
}
