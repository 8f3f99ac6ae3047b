package minietcd.kit.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import minietcd.kit.node.Message;

/**
 * The link to one peer: a stream, as etcd's peers keep one. Once connected, the link sends one HTTP/1.1
 * request whose body never ends ({@code POST /peer/FROM/stream}, chunked), and each batch of messages
 * is one chunk of it, written by the member's own loop thread right after it forced its disk, with no
 * hand-off to another thread on the way out. Nothing comes back per batch: the peer's server reads the
 * chunks as they arrive and answers only when the stream ends, so a message costs one write here and
 * one read there.
 *
 * <p>When the link is down, what is sent is lost, as a network would lose it, and a background thread
 * connects again; Raft sends again. A peer that stops reading (a paused process) must not stop the
 * member's loop in a write once the socket buffers are full: the socket is written without blocking,
 * what did not fit waits here, and while more than {@value #MAX_PENDING} bytes wait, what is sent is
 * dropped, whole batches only (the stream stays whole).
 */
final class PeerLink implements AutoCloseable {
    /** Bytes that may wait here for the socket to take them; far below what loopback socket buffers hold. */
    static final int MAX_PENDING = 1 << 20;

    private final String host;
    private final int port;
    private final String path;
    private final String secret;
    private SocketChannel channel;
    /** Chunks not yet written whole, oldest first, and their total size. */
    private final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();
    private long pendingBytes;
    private volatile boolean connecting;
    private volatile boolean closed;

    /** @param path the peer's path for this member's messages ({@code /peer/FROM}); the stream is {@code PATH/stream} */
    PeerLink(String host, int port, String path, String secret) {
        this.host = host;
        this.port = port;
        this.path = path;
        this.secret = secret;
    }

    /** Sends one chunk holding {@code batch}; never waits for the peer. */
    synchronized void post(List<Message> batch) {
        SocketChannel c = channel;
        if (c == null) {
            reconnect();
            return;
        }
        StringBuilder body = new StringBuilder();
        for (Message m : batch) body.append(PeerCodec.encode(m)).append('\n');
        byte[] chunk = chunk(body.toString().getBytes(StandardCharsets.UTF_8));
        try {
            flush(c);
            if (pendingBytes + chunk.length > MAX_PENDING && !pending.isEmpty()) return; // the peer is not reading: lost, as on a congested network
            pending.add(ByteBuffer.wrap(chunk));
            pendingBytes += chunk.length;
            flush(c);
        } catch (IOException e) {
            broken(c);
        }
    }

    /** Writes what waits, as far as the socket takes it now. */
    private void flush(SocketChannel c) throws IOException {
        while (!pending.isEmpty()) {
            ByteBuffer b = pending.peek();
            int wrote = c.write(b);
            pendingBytes -= wrote;
            if (b.hasRemaining()) return; // the socket is full: the rest waits for the next batch
            pending.poll();
        }
    }

    /** One chunk of the stream's chunked body. */
    static byte[] chunk(byte[] data) {
        byte[] head = (Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length + data.length + 2];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(data, 0, out, head.length, data.length);
        out[out.length - 2] = '\r';
        out[out.length - 1] = '\n';
        return out;
    }

    /** The stream's request head, with the cluster's secret. */
    private byte[] head() {
        return ("POST " + path + "/stream HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nAuthorization: Bearer " + secret
                + "\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private void reconnect() {
        if (connecting || closed) return;
        connecting = true;
        Thread t = new Thread(() -> {
            try {
                SocketChannel c = SocketChannel.open();
                try {
                    c.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    c.socket().connect(new InetSocketAddress(host, port), 500);
                    ByteBuffer head = ByteBuffer.wrap(head());
                    while (head.hasRemaining()) c.write(head);
                    c.configureBlocking(false);
                } catch (IOException e) {
                    c.close();
                    throw e;
                }
                synchronized (this) {
                    pending.clear();
                    pendingBytes = 0;
                    channel = c;
                }
            } catch (IOException e) {
                sleep(50); // the peer is down or starting: do not try again at once
            } finally {
                connecting = false;
            }
        }, "peer-connect-" + port);
        t.setDaemon(true);
        t.start();
    }

    private synchronized void broken(SocketChannel c) {
        if (channel == c) channel = null;
        pending.clear();
        pendingBytes = 0;
        try {
            c.close();
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
        SocketChannel c;
        synchronized (this) {
            c = channel;
        }
        if (c != null) broken(c);
    }
}
