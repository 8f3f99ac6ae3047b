package minietcd.kit.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * One keep-alive HTTP/1.1 connection to one server, used by one thread at a time: a request goes
 * out, its whole response comes back, then the next request goes out on the same socket.
 *
 * <p>Why not {@code java.net.http.HttpClient}: it keeps its own connection pool, a selector thread
 * and an executor per client, and completes responses on other threads, so "N connections" would
 * mean N pools and N selector threads, and each request would cross threads twice; on a 2-core
 * machine shared with the servers under test, that overhead lands in the latencies measured. A
 * blocking socket per load thread does exactly one write and reads until the response is complete,
 * with no thread hand-off, and the number of connections is the number of sockets.
 *
 * <p>It speaks just enough HTTP/1.1 for etcd's gateway and ours: {@code Content-Length} request
 * bodies; responses with {@code Content-Length}, chunked, or ending at close; {@code 1xx} interim
 * responses skipped; {@code Connection: close} honoured by opening a new socket for the next
 * request. An I/O failure closes the socket and throws; the next request reconnects.
 */
final class HttpConnection implements Closeable {
    private final String host;
    private final int port;
    private final int timeoutMillis;
    private final String hostHeader;
    private final ByteArrayOutputStream request = new ByteArrayOutputStream(1024);
    private byte[] body = new byte[4096];
    private int bodyLength;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    /** A connection to {@code base}'s host and port ({@code http} only); it connects on first use. */
    HttpConnection(URI base, int timeoutMillis) {
        if (!"http".equals(base.getScheme()) || base.getHost() == null || base.getPort() < 0)
            throw new IllegalArgumentException("need http://host:port, got " + base);
        this.host = base.getHost();
        this.port = base.getPort();
        this.timeoutMillis = timeoutMillis;
        this.hostHeader = host + ":" + port;
    }

    /** Sends {@code POST path} with a JSON body and reads the whole response; returns its status code. */
    int post(String path, byte[] json) throws IOException {
        return exchange("POST", path, json);
    }

    /** Sends {@code GET path} and reads the whole response; returns its status code. */
    int get(String path) throws IOException {
        return exchange("GET", path, null);
    }

    /** The last response's body as text (for health checks and error reports). */
    String bodyText() {
        return new String(body, 0, bodyLength, StandardCharsets.UTF_8);
    }

    private int exchange(String method, String path, byte[] payload) throws IOException {
        if (socket == null) connect();
        try {
            request.reset();
            StringBuilder head = new StringBuilder(160).append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ")
                    .append(hostHeader).append("\r\n");
            if (payload != null) head.append("Content-Type: application/json\r\nContent-Length: ").append(payload.length).append("\r\n");
            head.append("\r\n");
            request.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            if (payload != null) request.write(payload);
            request.writeTo(out); // one write: header and body leave in the same segment
            out.flush();
            return readResponse();
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void connect() throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.setKeepAlive(true);
            s.setSoTimeout(timeoutMillis);
            s.connect(new InetSocketAddress(host, port), timeoutMillis);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        socket = s;
        in = new BufferedInputStream(s.getInputStream(), 8192);
        out = s.getOutputStream();
    }

    private int readResponse() throws IOException {
        while (true) {
            String status = line();
            // "HTTP/1.1 200 OK": the code is the second word
            int sp = status.indexOf(' ');
            if (!status.startsWith("HTTP/1.") || sp < 0 || status.length() < sp + 4) throw new IOException("not an HTTP response: " + status);
            int code = Integer.parseInt(status.substring(sp + 1, sp + 4));
            boolean http10 = status.startsWith("HTTP/1.0");
            long length = -1;
            boolean chunked = false, close = http10;
            for (String h; !(h = line()).isEmpty(); ) {
                int colon = h.indexOf(':');
                if (colon < 0) continue;
                String name = h.substring(0, colon).trim(), value = h.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("Content-Length")) length = Long.parseLong(value);
                else if (name.equalsIgnoreCase("Transfer-Encoding")) chunked = value.toLowerCase().contains("chunked");
                else if (name.equalsIgnoreCase("Connection")) close = value.equalsIgnoreCase("close") || (http10 && !value.equalsIgnoreCase("keep-alive"));
            }
            bodyLength = 0;
            if (code >= 100 && code < 200) continue; // an interim response; the real one follows
            if (chunked) readChunked();
            else if (length >= 0) readFixed(length);
            else if (code != 204 && code != 304) { readToEnd(); close = true; }
            if (close) close();
            return code;
        }
    }

    private void readChunked() throws IOException {
        while (true) {
            String size = line();
            int semi = size.indexOf(';');
            long n = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
            if (n == 0) {
                while (!line().isEmpty()) { } // trailers, up to the blank line
                return;
            }
            readFixed(n);
            if (!line().isEmpty()) throw new IOException("chunk not followed by CRLF");
        }
    }

    private void readFixed(long n) throws IOException {
        if (n > Integer.MAX_VALUE - 8 - bodyLength) throw new IOException("body too large: " + n);
        ensure(bodyLength + (int) n);
        int end = bodyLength + (int) n;
        while (bodyLength < end) {
            int r = in.read(body, bodyLength, end - bodyLength);
            if (r < 0) throw new EOFException("connection closed in the middle of a body");
            bodyLength += r;
        }
    }

    private void readToEnd() throws IOException {
        while (true) {
            ensure(bodyLength + 4096);
            int r = in.read(body, bodyLength, body.length - bodyLength);
            if (r < 0) return;
            bodyLength += r;
        }
    }

    private void ensure(int capacity) {
        if (capacity > body.length) body = java.util.Arrays.copyOf(body, Math.max(capacity, body.length * 2));
    }

    /** One header line without its CRLF (a bare LF is accepted too). */
    private String line() throws IOException {
        StringBuilder sb = new StringBuilder(64);
        while (true) {
            int c = in.read();
            if (c < 0) throw new EOFException(sb.length() == 0 ? "connection closed by the server" : "connection closed in the middle of a line");
            if (c == '\n') break;
            if (sb.length() > 16_384) throw new IOException("header line too long");
            sb.append((char) c);
        }
        int n = sb.length();
        if (n > 0 && sb.charAt(n - 1) == '\r') sb.setLength(n - 1);
        return sb.toString();
    }

    /** Closes the socket, if open; the next request opens a new one. */
    @Override
    public void close() {
        Socket s = socket;
        socket = null;
        in = null;
        out = null;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // closing a socket that is already broken: nothing to do
            }
        }
    }
}
