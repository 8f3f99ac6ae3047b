package minietcd.kit.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The small HTTP/1.1 client against the JDK's own HTTP server: fixed-length and chunked bodies, errors, keep-alive. */
class HttpConnectionTest {
    private HttpServer server;
    private final AtomicInteger connections = new AtomicInteger();
    private URI base;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/fixed", ex -> {
            byte[] in = ex.getRequestBody().readAllBytes();
            byte[] out = ("echo " + new String(in, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, out.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(out);
            }
        });
        server.createContext("/chunked", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(503, 0); // length 0: the JDK server sends chunks
            try (OutputStream o = ex.getResponseBody()) {
                o.write("{\"error\":".getBytes(StandardCharsets.UTF_8));
                o.flush();
                o.write("\"x\"}".getBytes(StandardCharsets.UTF_8));
            }
        });
        server.createContext("/empty", ex -> {
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void readsFixedChunkedAndEmptyResponsesOnOneConnection() throws Exception {
        try (HttpConnection c = new HttpConnection(base, 5_000)) {
            assertThat(c.post("/fixed", "{\"a\":1}".getBytes(StandardCharsets.UTF_8))).isEqualTo(200);
            assertThat(c.bodyText()).isEqualTo("echo {\"a\":1}");
            assertThat(c.post("/chunked", new byte[0])).isEqualTo(503);
            assertThat(c.bodyText()).isEqualTo("{\"error\":\"x\"}");
            assertThat(c.get("/empty")).isEqualTo(204);
            assertThat(c.bodyText()).isEmpty();
            assertThat(c.get("/nowhere")).isEqualTo(404);
            for (int i = 0; i < 5; i++) assertThat(c.post("/fixed", new byte[] {'x'})).isEqualTo(200);
        }
    }

    @Test
    void reconnectsAfterTheServerGoesAwayAndComesBack() throws Exception {
        try (HttpConnection c = new HttpConnection(base, 5_000)) {
            assertThat(c.post("/fixed", new byte[] {'x'})).isEqualTo(200);
            int port = base.getPort();
            server.stop(0);
            try {
                c.post("/fixed", new byte[] {'x'});
            } catch (java.io.IOException expected) {
                // the old socket is gone
            }
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            server.createContext("/fixed", ex -> {
                ex.sendResponseHeaders(200, 2);
                try (OutputStream o = ex.getResponseBody()) {
                    o.write("ok".getBytes(StandardCharsets.UTF_8));
                }
            });
            server.start();
            int status = -1;
            for (int i = 0; i < 3 && status != 200; i++) {
                try {
                    status = c.post("/fixed", new byte[] {'x'});
                } catch (java.io.IOException e) {
                    // the first try may still land on the dead socket
                }
            }
            assertThat(status).isEqualTo(200);
            assertThat(c.bodyText()).isEqualTo("ok");
        }
    }
}
