package minietcd.kit.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway's transport over a stand-in store, on the wire (a raw socket, so headers, chunking and
 * trailers are seen as they are sent): prefixes, 404 and 405 bodies, /version, /health, CORS, the
 * headers of a unary answer, an error's chunked body and trailer, and the keepalive stream.
 */
class TransportTest {
    private GatewayServer server;

    @BeforeEach
    void start() {
        AtomicLong clock = new AtomicLong();
        server = new GatewayServer(FakeStore.open(), clock::get).start(0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** The raw response to one HTTP/1.1 request, the connection closed after it. */
    private String exchange(String method, String path, String body) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            String head = method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                    + (method.equals("GET") ? "" : "Content-Length: " + b.length + "\r\n") + "\r\n";
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            if (!method.equals("GET")) out.write(b);
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            return all.toString(StandardCharsets.UTF_8);
        }
    }

    private static String body(String raw) {
        return raw.substring(raw.indexOf("\r\n\r\n") + 4);
    }

    private static String status(String raw) {
        return raw.substring(0, raw.indexOf("\r\n"));
    }

    @Test
    void unknownPathsAnd405() throws IOException {
        String alpha = exchange("POST", "/v3alpha/kv/range", "{\"key\":\"Zm9v\"}");
        assertThat(status(alpha)).isEqualTo("HTTP/1.1 404 Not Found");
        assertThat(alpha).containsIgnoringCase("Content-Type: text/plain; charset=utf-8");
        assertThat(body(alpha)).isEqualTo("404 page not found\n");

        String nosuch = exchange("POST", "/v3/kv/nosuch", "{}");
        assertThat(status(nosuch)).isEqualTo("HTTP/1.1 404 Not Found");
        assertThat(body(nosuch)).isEqualTo("Not Found\n");

        String get = exchange("GET", "/v3/kv/range", "");
        assertThat(status(get)).isEqualTo("HTTP/1.1 405 Method Not Allowed");
        assertThat(get).containsIgnoringCase("Content-Type: text/plain; charset=utf-8");
        assertThat(body(get)).isEqualTo("Method Not Allowed\n");
    }

    @Test
    void versionHealthAndCors() throws IOException {
        String version = exchange("GET", "/version", "");
        assertThat(status(version)).isEqualTo("HTTP/1.1 200 OK");
        assertThat(version).containsIgnoringCase("Content-Type: application/json");
        assertThat(body(version)).isEqualTo("{\"etcdserver\":\"3.4.23\",\"etcdcluster\":\"3.4.0\"}");

        String health = exchange("GET", "/health", "");
        assertThat(health).containsIgnoringCase("Content-Type: text/plain; charset=utf-8");
        assertThat(body(health)).isEqualTo("{\"health\":\"true\"}");

        for (String raw : new String[] {version, health, exchange("OPTIONS", "/v3/kv/range", "")}) {
            assertThat(raw).contains("Access-Control-Allow-Origin: *", "Access-Control-Allow-Methods: POST, GET, OPTIONS, PUT, DELETE",
                    "Access-Control-Allow-Headers: accept, content-type, authorization");
        }
    }

    @Test
    void unaryAnswerHeaders() throws IOException {
        for (String prefix : new String[] {"/v3/", "/v3beta/"}) {
            String raw = exchange("POST", prefix + "kv/range", "{\"key\":\"Zm9v\"}");
            assertThat(status(raw)).isEqualTo("HTTP/1.1 200 OK");
            assertThat(raw).contains("Content-Type: application/json", "Grpc-Metadata-Content-Type: application/grpc", "Content-Length: ")
                    .doesNotContainIgnoringCase("Transfer-Encoding");
            assertThat(body(raw)).startsWith("{\"header\":{\"cluster_id\":").endsWith(",\"revision\":\"1\",\"raft_term\":\"1\"}}");
        }
    }

    @Test
    void errorsAreChunkedWithTheGrpcTrailer() throws IOException {
        String raw = exchange("POST", "/v3/kv/put", "{}");
        assertThat(status(raw)).isEqualTo("HTTP/1.1 400 Bad Request");
        assertThat(raw).contains("Content-Type: application/json", "Transfer-Encoding: chunked", "Trailer: Grpc-Trailer-Content-Type");
        String error = "{\"error\":\"etcdserver: key is not provided\",\"message\":\"etcdserver: key is not provided\",\"code\":3}";
        assertThat(body(raw)).startsWith(Integer.toHexString(error.length()) + "\r\n" + error + "\r\n")
                .endsWith("0\r\nGrpc-Trailer-Content-Type: application/grpc\r\n\r\n");

        String bad = exchange("POST", "/v3/kv/range", "{bad json");
        assertThat(status(bad)).isEqualTo("HTTP/1.1 400 Bad Request");
        assertThat(body(bad)).contains("\"code\":3");
    }

    /** A POST on a connection kept open, read until the last chunk (so Jetty has to chunk). */
    private String chunkedExchange(String path, String body) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            String head = "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + b.length + "\r\n\r\n";
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(b);
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            while (!all.toString(StandardCharsets.UTF_8).endsWith("\r\n0\r\n\r\n")) {
                int c = in.read();
                if (c < 0) break;
                all.write(c);
            }
            return all.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void keepAliveIsAStreamOfLines() throws IOException {
        String raw = chunkedExchange("/v3/lease/keepalive", "{\"ID\":\"7\"}{\"ID\":\"8\"}");
        assertThat(status(raw)).isEqualTo("HTTP/1.1 200 OK");
        assertThat(raw).contains("Transfer-Encoding: chunked");
        assertThat(body(raw)).contains("{\"result\":{\"header\":", "\"ID\":\"7\"}}\n", "\"ID\":\"8\"}}\n");
    }
}
