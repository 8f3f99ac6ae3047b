package minietcd.kit.cluster;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A test's client of the peer port: one keep-alive HTTP/1.1 connection that posts single batches
 * ({@code POST /peer/FROM}, answered one by one), as any HTTP client may, where the members themselves
 * keep a stream open ({@link PeerLink}). Used by one thread.
 */
final class PeerConnection implements AutoCloseable {
    private final String host;
    private final int port;
    private final String secret;
    private Socket socket;
    private OutputStream out;
    private InputStream in;

    /** @param secret the cluster's peer secret (see {@link PeerSecret}) */
    PeerConnection(String host, int port, String secret) {
        this.host = host;
        this.port = port;
        this.secret = secret;
    }

    /** Posts {@code body} to {@code path}; returns the response's status code. Reconnects if the connection was closed. */
    int post(String path, byte[] body) throws IOException {
        if (socket == null) connect();
        try {
            out.write(request(host, port, path, secret, body));
            out.flush();
            return readResponse(in, this);
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    private void connect() throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress(host, port), 500);
        s.setSoTimeout(5_000);
        socket = s;
        out = s.getOutputStream();
        in = new BufferedInputStream(s.getInputStream());
    }

    /** A POST of {@code body} as one array, to be written in one go, with the cluster's secret. */
    static byte[] request(String host, int port, String path, String secret, byte[] body) {
        byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nAuthorization: Bearer " + secret
                + "\r\nContent-Type: text/plain\r\nContent-Length: "
                + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[head.length + body.length];
        System.arraycopy(head, 0, request, 0, head.length);
        System.arraycopy(body, 0, request, head.length, body.length);
        return request;
    }

    /** Reads one response and returns its status; closes {@code connection} if the peer asked to. */
    static int readResponse(InputStream in, AutoCloseable connection) throws IOException {
        String status = line(in);
        String[] parts = status.split(" ");
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) throw new IOException("not an HTTP response: " + status);
        int code = Integer.parseInt(parts[1]);
        long length = 0;
        boolean close = false;
        for (String h; !(h = line(in)).isEmpty(); ) {
            int colon = h.indexOf(':');
            if (colon < 0) continue;
            String name = h.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT), value = h.substring(colon + 1).trim();
            if (name.equals("content-length")) length = Long.parseLong(value);
            else if (name.equals("connection") && value.equalsIgnoreCase("close")) close = true;
            else if (name.equals("transfer-encoding")) throw new IOException("a peer answered with " + value + " encoding");
        }
        for (long left = length; left > 0; ) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) throw new IOException("the peer closed the connection mid-answer");
                skipped = 1;
            }
            left -= skipped;
        }
        if (close) {
            try {
                connection.close();
            } catch (Exception e) {
                // closing: nothing more to do
            }
        }
        return code;
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) throw new IOException("the peer closed the connection");
            if (c != '\r') b.write(c);
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        if (socket == null) return;
        try {
            socket.close();
        } catch (IOException e) {
            // closing a broken connection: nothing to do
        }
        socket = null;
    }
}
