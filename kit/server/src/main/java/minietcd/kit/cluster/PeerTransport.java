package minietcd.kit.cluster;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import minietcd.kit.node.Message;

/**
 * Sends messages to the other members over HTTP on loopback: one stream to each member's peer port
 * ({@code POST /peer/FROM/stream}), one chunk of it per peer for all a batch of events sent it, written
 * by the member's loop thread itself (see {@link PeerLink}). A peer that cannot be reached loses what
 * was sent to it, as a network would; Raft sends again.
 */
final class PeerTransport implements AutoCloseable {
    private final Map<Integer, PeerLink> links = new TreeMap<>();

    PeerTransport(int self, Map<Integer, Integer> peerPorts, String secret) {
        for (Map.Entry<Integer, Integer> p : peerPorts.entrySet())
            if (p.getKey() != self) links.put(p.getKey(), new PeerLink("127.0.0.1", p.getValue(), "/peer/" + self, secret));
    }

    /** Sends {@code batch} to member {@code to} in one chunk of its stream; never waits for the peer. */
    void post(int to, List<Message> batch) {
        PeerLink link = links.get(to);
        if (link != null && !batch.isEmpty()) link.post(batch);
    }

    @Override
    public void close() {
        links.values().forEach(PeerLink::close);
    }
}
