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
 * The peer port: {@code POST /peer/FROM} with a batch of {@link PeerCodec} lines, answered 204 once the
 * messages are queued for the member's loop. A small HTTP/1.1 server on plain sockets, one thread per
 * connection (a member has one connection from each peer): the thread that reads a request is the one
 * the operating system wakes when it arrives, with no hand-off to a worker pool, which on a virtual
 * machine costs as much as the rest of the hop. Anything but that one request gets 400 or 404.
 */
final class PeerServer implements AutoCloseable {
    private final ServerSocket server;
    private final BiConsumer<Integer, Message> deliver;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean running = true;

    PeerServer(int port, BiConsumer<Integer, Message> deliver) throws IOException {
        this.server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        this.deliver = deliver;
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
                for (String h; !(h = line(in)).isEmpty(); ) {
                    int colon = h.indexOf(':');
                    if (colon > 0 && h.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length"))
                        length = Long.parseLong(h.substring(colon + 1).trim());
                }
                if (length < 0 || length > Integer.MAX_VALUE - 8) {
                    answer(out, 400, "bad Content-Length\n");
                    return;
                }
                byte[] body = in.readNBytes((int) length);
                if (body.length < length) return;
                String[] parts = request.split(" ");
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

    private static void answer(OutputStream out, int status, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 " + status + (status == 400 ? " Bad Request" : " Not Found") + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
                + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
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
