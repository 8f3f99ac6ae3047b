package minietcd.kit.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.LinkedBlockingQueue;
import minietcd.kit.node.Message;

/**
 * Sends messages to the other members over HTTP on loopback: {@code POST /peer/FROM} to a member's peer
 * port, a batch of {@link PeerCodec} lines per request. One thread per peer takes whatever queued while
 * its last request was out, so a busy link sends big batches and an idle one sends at once. A peer that
 * cannot be reached loses what was sent to it, as a network would; Raft sends again.
 */
final class PeerTransport implements AutoCloseable {
    private static final int MAX_BATCH = 512;

    private final int self;
    private final Map<Integer, LinkedBlockingQueue<Message>> queues = new TreeMap<>();
    private final List<Thread> senders = new ArrayList<>();
    private volatile boolean running = true;

    PeerTransport(int self, Map<Integer, Integer> peerPorts) {
        this.self = self;
        for (Map.Entry<Integer, Integer> p : peerPorts.entrySet()) {
            if (p.getKey() == self) continue;
            LinkedBlockingQueue<Message> q = new LinkedBlockingQueue<>();
            queues.put(p.getKey(), q);
            PeerConnection connection = new PeerConnection("127.0.0.1", p.getValue());
            Thread t = new Thread(() -> sendLoop(q, connection), "peer-" + self + "-to-" + p.getKey());
            t.setDaemon(true);
            senders.add(t);
            t.start();
        }
    }

    /** Queues a message for member {@code to}; never blocks. */
    void send(int to, Message m) {
        LinkedBlockingQueue<Message> q = queues.get(to);
        if (q != null) q.add(m);
    }

    private void sendLoop(LinkedBlockingQueue<Message> queue, PeerConnection connection) {
        String path = "/peer/" + self;
        List<Message> batch = new ArrayList<>();
        while (running) {
            try {
                batch.add(Spin.take(queue));
            } catch (InterruptedException e) {
                connection.close();
                return;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            StringBuilder body = new StringBuilder();
            for (Message m : batch) body.append(PeerCodec.encode(m)).append('\n');
            batch.clear();
            byte[] bytes = body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            try {
                int status;
                try {
                    status = connection.post(path, bytes);
                } catch (java.io.IOException stale) { // the peer may have closed an idle keep-alive connection: once more on a new one
                    status = connection.post(path, bytes);
                }
                if (status != 204) pause();
            } catch (java.io.IOException e) {
                pause(); // the peer is down or restarting: drop, and do not spin on it
                queue.clear();
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        senders.forEach(Thread::interrupt);
    }
}
