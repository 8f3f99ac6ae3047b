package minietcd.kit.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import minietcd.kit.node.Message;
import minietcd.kit.raft.RaftMessage;
import minietcd.kit.replica.StoreMessage;
import org.junit.jupiter.api.Test;

/** The peer port: batches of messages in over keep-alive HTTP, refusals for anything else, the connection kept. */
class PeerServerTest {
    @Test
    void aBatchIsDeliveredInOrderAndAnythingElseIsRefusedOnTheSameConnection() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        List<String> delivered = new CopyOnWriteArrayList<>();
        try (PeerServer server = new PeerServer(port, (from, m) -> delivered.add(from + " " + m));
             PeerConnection c = new PeerConnection("127.0.0.1", port)) {
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
}
