package minietcd.kit.server;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import minietcd.kit.etcd.GatewayJson;
import minietcd.kit.mvcc.EtcdException;
import org.eclipse.jetty.ee10.servlet.ServletContextResponse;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;

/**
 * How the gateway writes a response, header for header as etcd 3.4 does (see the transport section
 * of {@code etcd-conformance/README.md}):
 *
 * <ul>
 *   <li>every response carries the CORS headers etcd adds when every origin is allowed;</li>
 *   <li>a unary answer is {@code application/json} with {@code Content-Length} and
 *       {@code Grpc-Metadata-Content-Type: application/grpc};</li>
 *   <li>an error is {@code application/json}, chunked, announces the trailer
 *       {@code Grpc-Trailer-Content-Type} and sends it after the body;</li>
 *   <li>a stream is chunked: one JSON message and a newline per chunk, flushed as it is written;</li>
 *   <li>the plain texts (404, 405) are {@code text/plain; charset=utf-8}.</li>
 * </ul>
 *
 * Writes straight to the servlet response, so Javalin adds nothing of its own.
 */
final class Replies {
    private Replies() {}

    static final String JSON = "application/json";
    static final String TEXT = "text/plain; charset=utf-8";

    static void cors(HttpServletResponse res) {
        res.setHeader("Access-Control-Allow-Origin", "*");
        res.setHeader("Access-Control-Allow-Methods", "POST, GET, OPTIONS, PUT, DELETE");
        res.setHeader("Access-Control-Allow-Headers", "accept, content-type, authorization");
    }

    /** A complete body of known length. */
    static void fixed(HttpServletResponse res, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        res.setStatus(status);
        contentType(res, contentType);
        res.setContentLength(bytes.length);
        try (OutputStream out = res.getOutputStream()) {
            out.write(bytes);
        }
    }

    /**
     * Sets the Content-Type exactly as given. Jetty 12's servlet layer rewrites
     * {@code text/plain; charset=utf-8} to its own spelling without the space (and so does a put
     * into the servlet response's header view), so the field goes into the core response's headers,
     * beneath the servlet layer.
     */
    static void contentType(HttpServletResponse res, String value) {
        ServletContextResponse jetty = ServletContextResponse.getServletContextResponse(res);
        if (jetty != null) jetty.getWrapped().getHeaders().put(new HttpField(HttpHeader.CONTENT_TYPE, value));
        else res.setContentType(value);
    }

    /** A successful unary RPC answer. */
    static void unary(HttpServletResponse res, String json) throws IOException {
        res.setHeader("Grpc-Metadata-Content-Type", "application/grpc");
        fixed(res, 200, JSON, json);
    }

    /**
     * etcd's error body with the status of its gRPC code, chunked and with the gRPC trailer; to an
     * HTTP/1.0 client, which can take neither, with a Content-Length, as etcd answers it.
     */
    static void error(HttpServletRequest req, HttpServletResponse res, EtcdException e) throws IOException {
        if (!"HTTP/1.0".equals(req.getProtocol())) {
            error(res, e);
            return;
        }
        fixed(res, GatewayJson.httpStatus(e.code()), JSON, GatewayJson.error(e));
    }

    /** etcd's error body with the status of its gRPC code, chunked and with the gRPC trailer (an HTTP/1.1 client). */
    static void error(HttpServletResponse res, EtcdException e) throws IOException {
        byte[] bytes = GatewayJson.error(e).getBytes(StandardCharsets.UTF_8);
        res.setStatus(GatewayJson.httpStatus(e.code()));
        res.setContentType(JSON);
        res.setHeader("Grpc-Metadata-Content-Type", "application/grpc");
        res.setHeader("Trailer", "Grpc-Trailer-Content-Type");
        res.setTrailerFields(() -> Map.of("Grpc-Trailer-Content-Type", "application/grpc"));
        OutputStream out = res.getOutputStream();
        out.write(bytes);
        out.flush(); // commits the headers without a length: the body goes chunked
        out.close();
    }

    /** A server stream: each message on its own line, flushed at once. */
    static void stream(HttpServletResponse res, List<String> messages) throws IOException {
        res.setStatus(200);
        res.setContentType(JSON);
        res.setHeader("Grpc-Metadata-Content-Type", "application/grpc");
        OutputStream out = res.getOutputStream();
        out.flush();
        for (String m : messages) {
            out.write((m + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
        out.close();
    }
}
