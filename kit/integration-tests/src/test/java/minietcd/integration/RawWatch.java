package minietcd.integration;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One {@code POST /v3/watch} over a raw socket, so that a test sees the exchange as it is sent and
 * controls the client's side of it: a body sent whole or kept open (chunked, a request at a time),
 * reading stopped and resumed, a half or full close. Reads the status and headers, then the stream's
 * messages one line at a time, each as soon as its chunk is in; or, for an answer of known length,
 * its body. Every read waits at most the given time; then it fails, naming the rule the test gave
 * ({@link #as}).
 */
final class RawWatch implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Deque<String> lines = new ArrayDeque<>();
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private int status = -1;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private boolean afterChunk;
    private boolean ended;
    private String rule = "the watch stream answers";

    private RawWatch(int port, int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) socket.setReceiveBufferSize(receiveBuffer);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
        out = socket.getOutputStream();
    }

    /** The rule a read that times out breaks. */
    RawWatch as(String rule) {
        this.rule = rule;
        return this;
    }

    /** A watch whose body is sent whole, with a Content-Length. */
    static RawWatch open(int port, String body) throws IOException {
        return open(port, body, 0);
    }

    /** The same, with the client's receive buffer set to {@code receiveBuffer} bytes (0: the system's). */
    static RawWatch open(int port, String body, int receiveBuffer) throws IOException {
        RawWatch w = new RawWatch(port, receiveBuffer);
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        w.out.write(("POST /v3/watch HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + b.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        w.out.write(b);
        w.out.flush();
        return w;
    }

    /** A watch whose body stays open: {@link #send} sends each request as one chunk, {@link #endBody} ends it. */
    static RawWatch openChunked(int port) throws IOException {
        RawWatch w = new RawWatch(port, 0);
        w.out.write("POST /v3/watch HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        w.out.flush();
        return w;
    }

    void send(String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        out.write((Integer.toHexString(b.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(b);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    void endBody() throws IOException {
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** The client sends no more: a half close (FIN), reading goes on. */
    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** The HTTP status, after reading the status line and headers. */
    int status(Duration timeout) throws IOException {
        readHead(timeout);
        return status;
    }

    /** A response header (name in lower case), after reading the head. */
    String header(String name, Duration timeout) throws IOException {
        readHead(timeout);
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The whole body of an answer with a Content-Length. */
    String fixedBody(Duration timeout) throws IOException {
        readHead(timeout);
        String length = headers.get("content-length");
        if (length == null) throw new AssertionError(rule + ": an answer of known length, got " + status + " " + headers);
        int n = Integer.parseInt(length);
        byte[] b = new byte[n];
        for (int off = 0; off < n; ) {
            int r = in.read(b, off, n - off);
            if (r < 0) throw new EOFException("body cut at " + off + " of " + n);
            off += r;
        }
        return new String(b, StandardCharsets.UTF_8);
    }

    /** The stream's next message (one line, without its newline), or null once the stream has ended. */
    String next(Duration timeout) throws IOException {
        readHead(timeout);
        socket.setSoTimeout(timeoutMillis(timeout));
        try {
            while (lines.isEmpty() && !ended) readChunk();
        } catch (SocketTimeoutException e) {
            throw new AssertionError(rule + ": no message within " + timeout.toMillis() + " ms");
        }
        return lines.poll();
    }

    /** The whole chunked body, as text: what was read of it so far and the rest, to its end. */
    String restOfBody(Duration timeout) throws IOException {
        readHead(timeout);
        socket.setSoTimeout(timeoutMillis(timeout));
        try {
            while (!ended) readChunk();
        } catch (SocketTimeoutException e) {
            throw new AssertionError(rule + ": the body did not end within " + timeout.toMillis() + " ms");
        }
        return body.toString(StandardCharsets.UTF_8);
    }

    /** Whether the server closed the connection: reads to its end, waiting at most {@code timeout} for it. */
    boolean closedByServer(Duration timeout) throws IOException {
        socket.setSoTimeout(timeoutMillis(timeout));
        try {
            while (in.read() >= 0) { } // whatever is still in flight
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private void readHead(Duration timeout) throws IOException {
        if (status >= 0) return;
        socket.setSoTimeout(timeoutMillis(timeout));
        String statusLine;
        try {
            statusLine = readLine();
        } catch (SocketTimeoutException e) {
            throw new AssertionError(rule + ": no answer within " + timeout.toMillis() + " ms");
        }
        if (statusLine == null) throw new EOFException("the server closed the connection before answering");
        status = Integer.parseInt(statusLine.split(" ")[1]);
        for (String h; !(h = readLine()).isEmpty(); ) {
            int colon = h.indexOf(':');
            headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
        }
    }

    private void readChunk() throws IOException {
        if (afterChunk) {
            String crlf = readLine();
            if (crlf == null) {
                ended = true;
                return;
            }
        }
        String size = readLine();
        if (size == null) {
            ended = true;
            return;
        }
        int n = Integer.parseInt(size.trim(), 16);
        if (n == 0) {
            ended = true;
            return;
        }
        for (int i = 0; i < n; i++) {
            int c = in.read();
            if (c < 0) throw new EOFException("chunk cut");
            body.write(c);
            if (c == '\n') {
                lines.add(partial.toString(StandardCharsets.UTF_8));
                partial.reset();
            } else {
                partial.write(c);
            }
        }
        afterChunk = true;
    }

    /** A CRLF-ended line, or null at the end of the stream. */
    private String readLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) return b.size() == 0 ? null : b.toString(StandardCharsets.US_ASCII);
            if (c != '\r') b.write(c);
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    private static int timeoutMillis(Duration d) {
        return (int) Math.max(1, d.toMillis());
    }
}
