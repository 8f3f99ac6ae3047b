package minietcd.kit.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * Many {@code /v3/watch} streams held open against one member from one thread: every stream is a
 * non-blocking socket on one selector (10,000 streams are 10,000 sockets here and as many on the
 * server, and no threads). Stream {@code i} watches the key {@code prefix + i}, which the load never
 * writes, so the streams are idle: what they cost the member is that they exist.
 *
 * <p>{@link #open} connects them (at most {@link #WINDOW} still connecting at a time, so as not to
 * overflow the server's accept queue) and returns once every stream's {@code created} message has
 * arrived. From then on a daemon thread reads whatever comes (dropped) and counts the streams the
 * server closed; {@link #event} checks that one stream still delivers. {@link #close} closes them all.
 */
final class WatchStreams implements AutoCloseable {
    /** Streams connecting or waiting for their created message at once. */
    static final int WINDOW = 256;
    private static final byte[] CREATED = "\"created\":true".getBytes(StandardCharsets.US_ASCII);

    private final Selector selector;
    private final List<Stream> streams = new ArrayList<>();
    private final Thread reader;
    private volatile boolean closing;
    private volatile int closedByServer;
    private final long openNanos;

    /** One stream's socket and what it received since it was last looked at. */
    private static final class Stream {
        final int index;
        final SocketChannel channel;
        final ByteBuffer request;
        final StringBuilder seen = new StringBuilder();
        boolean created;

        Stream(int index, SocketChannel channel, ByteBuffer request) {
            this.index = index;
            this.channel = channel;
            this.request = request;
        }
    }

    private WatchStreams(Selector selector, long openNanos) {
        this.selector = selector;
        this.openNanos = openNanos;
        this.reader = new Thread(this::readLoop, "watch-streams");
        reader.setDaemon(true);
    }

    /** Opens {@code count} streams to {@code url}, each watching {@code prefix + i}; waits at most {@code limit} for all to be created. */
    static WatchStreams open(URI url, int count, String prefix, Duration limit) throws IOException, TimeoutException {
        long start = System.nanoTime(), deadline = start + limit.toNanos();
        Selector selector = Selector.open();
        List<Stream> all = new ArrayList<>(count);
        int started = 0, created = 0, pending = 0;
        ByteBuffer buf = ByteBuffer.allocate(4096);
        try {
            while (created < count) {
                while (started < count && pending < WINDOW) {
                    SocketChannel c = SocketChannel.open();
                    c.configureBlocking(false);
                    c.connect(new InetSocketAddress(url.getHost(), url.getPort()));
                    Stream s = new Stream(started, c, request(url, prefix + started));
                    c.register(selector, SelectionKey.OP_CONNECT, s);
                    all.add(s);
                    started++;
                    pending++;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new TimeoutException(created + " of " + count + " watch streams created in " + limit.toSeconds() + " s");
                selector.select(Math.max(1, Math.min(200, left / 1_000_000)));
                for (SelectionKey k : selector.selectedKeys()) {
                    Stream s = (Stream) k.attachment();
                    if (k.isConnectable()) {
                        s.channel.finishConnect();
                        k.interestOps(SelectionKey.OP_WRITE);
                    }
                    if (k.isValid() && k.isWritable()) {
                        s.channel.write(s.request);
                        if (!s.request.hasRemaining()) k.interestOps(SelectionKey.OP_READ);
                    }
                    if (k.isValid() && k.isReadable()) {
                        buf.clear();
                        int n = s.channel.read(buf);
                        if (n < 0) throw new IOException("the server closed watch stream " + s.index + " before it was created: " + s.seen);
                        s.seen.append(new String(buf.array(), 0, n, StandardCharsets.ISO_8859_1));
                        if (!s.created && contains(s.seen, CREATED)) {
                            s.created = true;
                            s.seen.setLength(0);
                            created++;
                            pending--;
                        }
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | TimeoutException | RuntimeException e) {
            for (Stream s : all) s.channel.close();
            selector.close();
            throw e;
        }
        WatchStreams w = new WatchStreams(selector, System.nanoTime() - start);
        w.streams.addAll(all);
        w.reader.start();
        return w;
    }

    /** How long opening every stream took. */
    Duration openTime() {
        return Duration.ofNanos(openNanos);
    }

    int size() {
        return streams.size();
    }

    /** Streams the server closed since they were created. */
    int closedByServer() {
        return closedByServer;
    }

    /** Whether stream {@code i} got a message holding {@code text} within {@code limit} (it is read by this object's thread). */
    boolean event(int i, String text, Duration limit) throws InterruptedException {
        Stream s = streams.get(i);
        long deadline = System.nanoTime() + limit.toNanos();
        synchronized (s) {
            while (s.seen.indexOf(text) < 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                s.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        closing = true;
        selector.wakeup();
        try {
            reader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Stream s : streams) s.channel.close();
        selector.close();
    }

    private void readLoop() {
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        try {
            while (!closing) {
                selector.select(200);
                for (SelectionKey k : selector.selectedKeys()) {
                    Stream s = (Stream) k.attachment();
                    buf.clear();
                    int n;
                    try {
                        n = s.channel.read(buf);
                    } catch (IOException e) {
                        n = -1;
                    }
                    if (n < 0) {
                        k.cancel();
                        closedByServer++;
                        continue;
                    }
                    synchronized (s) {
                        if (s.seen.length() < 1 << 16) s.seen.append(new String(buf.array(), 0, n, StandardCharsets.ISO_8859_1));
                        s.notifyAll();
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            // the selector was closed
        }
    }

    private static ByteBuffer request(URI url, String key) {
        String body = "{\"create_request\":{\"key\":\"" + Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8)) + "\"}}";
        String head = "POST /v3/watch HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort() + "\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length() + "\r\n\r\n";
        return ByteBuffer.wrap((head + body).getBytes(StandardCharsets.US_ASCII));
    }

    private static boolean contains(CharSequence s, byte[] what) {
        outer:
        for (int i = 0; i + what.length <= s.length(); i++) {
            for (int j = 0; j < what.length; j++) if (s.charAt(i + j) != what[j]) continue outer;
            return true;
        }
        return false;
    }
}
