package minietcd.kit.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import minietcd.kit.node.Message;
import minietcd.kit.raft.Entry;
import minietcd.kit.raft.RaftMessage;
import org.junit.jupiter.api.Test;

/** The link to a peer, written by the member's own loop thread: it must never leave that thread stuck in a write. */
class PeerLinkTest {
    @Test
    void aPeerThatStopsReadingCostsItsMessagesNotABlockedSender() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            PeerLink link = new PeerLink("127.0.0.1", server.getLocalPort(), "/peer/1", "s".repeat(64));
            Message small = new RaftMessage.RequestVoteReply(1, true, false);
            link.post(List.of(small)); // the link connects in the background; until then what is sent is lost
            try (Socket peer = server.accept()) {
                InputStream in = peer.getInputStream();
                while (in.available() == 0) link.post(List.of(small)); // until the stream's head has arrived: the link is up
                Message big = new RaftMessage.AppendEntries(1, 1, 0, 0, List.of(new Entry(1, 1, "x".repeat(64 * 1024))), 0, 0);
                // 100 MiB to a peer that answers nothing and reads nothing, far more than the socket buffers
                // hold, from a thread of its own: a sender stuck in a write would otherwise hang the test run.
                Thread sender = new Thread(() -> {
                    for (int i = 0; i < 1_600; i++) link.post(List.of(big));
                }, "sender");
                sender.setDaemon(true);
                sender.start();
                sender.join(60_000); // a bound on a hang, not a measure of speed
                assertThat(sender.isAlive()).as("the sender is stuck writing to a peer that stopped reading").isFalse();
                link.close();
                long received = in.readAllBytes().length;
                // what the socket buffers took (a few MiB at most on loopback) and what waited in the link (at most
                // MAX_PENDING): the rest of the 100 MiB was dropped, as a congested network drops it
                assertThat(received).as("bytes the silent peer was sent before the link held back").isPositive().isLessThan(16L << 20);
            }
        }
    }
}
