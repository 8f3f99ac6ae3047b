package minietcd.kit.cluster;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import minietcd.kit.node.Message;

/**
 * The link to one peer: HTTP/1.1 requests written by the member's own loop thread, right after it
 * forced its disk, with no hand-off to another thread on the way out; the answers (204) are read and
 * dropped by a thread of the link's own, so the loop never waits for them (requests are pipelined).
 * When the link is down, what is sent is lost, as a network would lose it, and a background thread
 * connects again; Raft sends again. A peer that stops reading (a paused process) must not stop the
 * member's loop in a write once the socket buffers are full: while more than {@value #MAX_IN_FLIGHT}
 * bytes of requests wait for their answers, what is sent is dropped too. (A single request larger
 * than the socket buffers, a big snapshot, can still wait for a peer that pauses while taking it.)
 */
final class PeerLink implements AutoCloseable {
    /** Bytes of requests that may await their answers; far below what loopback socket buffers hold. */
    static final int MAX_IN_FLIGHT = 1 << 20;

    private final String host;
    private final int port;
    private final String path;
    private final String secret;
    private volatile Socket socket;
    private OutputStream out;
    /** The current connection's requests awaiting answers: their sizes, oldest first, and their total. */
    private volatile ConcurrentLinkedQueue<Integer> unanswered = new ConcurrentLinkedQueue<>();
    private final AtomicLong inFlight = new AtomicLong();
    private volatile boolean connecting;
    private volatile boolean closed;

    PeerLink(String host, int port, String path, String secret) {
        this.host = host;
        this.port = port;
        this.path = path;
        this.secret = secret;
    }

    /** Sends one request holding {@code batch}; never waits for the answer. */
    synchronized void post(List<Message> batch) {
        Socket s = socket;
        if (s == null) {
            reconnect();
            return;
        }
        StringBuilder body = new StringBuilder();
        for (Message m : batch) body.append(PeerCodec.encode(m)).append('\n');
        byte[] request = PeerConnection.request(host, port, path, secret, body.toString().getBytes(StandardCharsets.UTF_8));
        if (inFlight.get() > MAX_IN_FLIGHT) return; // the peer is not reading: lost, as on a congested network (one request may go past the bound: a snapshot is large)
        unanswered.add(request.length);
        inFlight.addAndGet(request.length);
        try {
            out.write(request);
            out.flush();
        } catch (IOException e) {
            broken(s);
        }
    }

    private void reconnect() {
        if (connecting || closed) return;
        connecting = true;
        Thread t = new Thread(() -> {
            try {
                Socket s = new Socket();
                s.setTcpNoDelay(true);
                s.connect(new InetSocketAddress(host, port), 500);
                ConcurrentLinkedQueue<Integer> sizes = new ConcurrentLinkedQueue<>();
                synchronized (this) {
                    out = s.getOutputStream();
                    unanswered = sizes;
                    inFlight.set(0);
                    socket = s;
                }
                Thread reader = new Thread(() -> readAnswers(s, sizes), "peer-answers-" + port);
                reader.setDaemon(true);
                reader.start();
            } catch (IOException e) {
                sleep(50); // the peer is down or starting: do not try again at once
            } finally {
                connecting = false;
            }
        }, "peer-connect-" + port);
        t.setDaemon(true);
        t.start();
    }

    private void readAnswers(Socket s, Queue<Integer> sizes) {
        try {
            InputStream in = new BufferedInputStream(s.getInputStream());
            while (!s.isClosed()) {
                PeerConnection.readResponse(in, s);
                Integer answered = sizes.poll();
                if (answered != null && sizes == unanswered) inFlight.addAndGet(-answered);
            }
        } catch (IOException e) {
            // the connection broke: the next post reconnects
        } finally {
            broken(s);
        }
    }

    private void broken(Socket s) {
        synchronized (this) {
            if (socket == s) socket = null;
        }
        try {
            s.close();
        } catch (IOException e) {
            // already broken
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        Socket s = socket;
        if (s != null) broken(s);
    }
}
