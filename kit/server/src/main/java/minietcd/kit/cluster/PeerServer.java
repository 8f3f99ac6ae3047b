package minietcd.kit.cluster;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import minietcd.kit.node.Message;

/**
 * The peer port: a peer's stream, {@code POST /peer/FROM/stream} with a chunked body that lasts as long
 * as the connection, each chunk a batch of {@link PeerCodec} lines queued for the member's loop as it
 * arrives (see {@link PeerLink}), answered 204 only if the stream ends; or, from any HTTP client, one
 * batch, {@code POST /peer/FROM}, answered 204 once its messages are queued. A small HTTP/1.1 server on plain sockets, one thread per
 * connection (a member has one connection from each peer): the thread that reads a request is the one
 * the operating system wakes when it arrives, with no hand-off to a worker pool, which on a virtual
 * machine costs as much as the rest of the hop. Anything but that one request gets 400 or 404.
 *
 * <p>Every request must carry the cluster's secret ({@code Authorization: Bearer}, see
 * {@link PeerSecret}): one without it is answered 401 before its body is read, reported on the
 * member's standard error, and its connection closed.
 */
final class PeerServer implements AutoCloseable {
    private final ServerSocket server;
    private final BiConsumer<Integer, Message> deliver;
    private final String secret;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean running = true;

    PeerServer(int port, String secret, BiConsumer<Integer, Message> deliver) throws IOException {
        this.server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        this.deliver = deliver;
        this.secret = secret;
        Thread t = new Thread(this::acceptLoop, "peer-accept-" + port);
        t.setDaemon(true);
        t.start();
    }

    private void acceptLoop() {
        while (running) {
            try {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                open.add(s);
                Thread t = new Thread(() -> serve(s), "peer-in-" + s.getPort());
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (!running) return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            while (running) {
                String request = line(in);
                if (request == null) return; // the peer closed the connection
                long length = 0;
                String presented = null;
                boolean chunked = false;
                for (String h; !(h = line(in)).isEmpty(); ) {
                    int colon = h.indexOf(':');
                    if (colon <= 0) continue;
                    String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT), value = h.substring(colon + 1).trim();
                    if (name.equals("content-length")) length = Long.parseLong(value);
                    else if (name.equals("authorization") && value.startsWith("Bearer ")) presented = value.substring("Bearer ".length());
                    else if (name.equals("transfer-encoding")) chunked = value.equalsIgnoreCase("chunked");
                }
                if (!PeerSecret.matches(secret, presented)) {
                    System.err.println("peer port: refused a request from " + s.getRemoteSocketAddress() + " (" + request.split(" ", 3)[0] + " "
                            + (request.split(" ").length > 1 ? request.split(" ")[1] : "") + "): " + (presented == null ? "no" : "a wrong") + " cluster secret");
                    in.skipNBytes(Math.min(Math.max(length, 0), 1 << 20)); // read a small body, so closing does not reset the answer away
                    answer(out, 401, "this is a member's peer port: peer requests must carry the cluster's secret\n");
                    return;
                }
                String[] parts = request.split(" ");
                if (chunked && parts.length >= 2 && parts[0].equals("POST") && parts[1].startsWith("/peer/") && parts[1].endsWith("/stream")) {
                    int from;
                    try {
                        from = Integer.parseInt(parts[1].substring("/peer/".length(), parts[1].length() - "/stream".length()));
                    } catch (NumberFormatException e) {
                        answer(out, 400, "not a peer's stream: " + parts[1] + "\n");
                        return;
                    }
                    stream(in, from);
                    out.write("HTTP/1.1 204 No Content\r\n\r\n".getBytes(StandardCharsets.US_ASCII)); // the stream ended whole
                    out.flush();
                    continue;
                }
                if (chunked) {
                    answer(out, 400, "only a peer's stream is chunked\n");
                    return;
                }
                if (length < 0 || length > Integer.MAX_VALUE - 8) {
                    answer(out, 400, "bad Content-Length\n");
                    return;
                }
                byte[] body = in.readNBytes((int) length);
                if (body.length < length) return;
                if (parts.length < 2 || !parts[0].equals("POST") || !parts[1].startsWith("/peer/")) {
                    answer(out, 404, "404 page not found\n");
                    continue;
                }
                int from;
                List<Message> batch;
                try {
                    from = Integer.parseInt(parts[1].substring("/peer/".length()));
                    batch = PeerCodec.decode(new String(body, StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    answer(out, 400, e.getMessage() + "\n");
                    continue;
                }
                for (Message m : batch) deliver.accept(from, m);
                out.write("HTTP/1.1 204 No Content\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            // a broken connection or request: the peer reconnects
        } finally {
            open.remove(s);
        }
    }

    /**
     * Reads a peer's stream: each chunk a batch, delivered as it arrives, until the last (empty) chunk.
     * A chunk that is not a batch of messages ends the connection (the peer connects again).
     */
    private void stream(InputStream in, int from) throws IOException {
        while (running) {
            String size = line(in);
            if (size == null) throw new IOException("the stream ended mid-chunk");
            int semicolon = size.indexOf(';');
            long n = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
            if (n < 0 || n > Integer.MAX_VALUE - 8) throw new IOException("a chunk of " + n + " bytes");
            if (n == 0) {
                while (!line(in).isEmpty()) { } // trailers, if any
                return;
            }
            byte[] body = in.readNBytes((int) n);
            if (body.length < n || !line(in).isEmpty()) throw new IOException("a chunk cut short");
            for (Message m : PeerCodec.decode(new String(body, StandardCharsets.UTF_8))) deliver.accept(from, m);
        }
    }

    private static void answer(OutputStream out, int status, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 " + status + (status == 400 ? " Bad Request" : status == 401 ? " Unauthorized" : " Not Found") + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
                + body.length + (status == 401 ? "\r\nConnection: close" : "") + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII)); // a refused caller's connection is closed
        out.write(body);
        out.flush();
    }

    /** One CRLF-ended line, or null at the end of the stream before any byte of it. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                if (b.size() == 0) return null;
                throw new IOException("the connection ended mid-line");
            }
            if (c != '\r') b.write(c);
            if (b.size() > 8192) throw new IOException("a line over 8 KiB");
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        running = false;
        try {
            server.close();
        } catch (IOException e) {
            // closing: nothing more to do
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException e) {
                // closing: nothing more to do
            }
        }
    }
}
