package minietcd.kit.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The recorded etcd 3.4.23 gateway exchanges, {@code etcd-conformance/vectors.jsonl} on the classpath
 * (with the recording notes in {@code etcd-conformance/README.md}): the specification the store and,
 * later, the server are replayed against.
 */
public final class Recordings {
    private Recordings() {}

    static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One exchange. {@code body} is the request body as sent; {@code rpc} is the RPC path without its
     * prefix; {@code target} is "single" for the one fresh store replayed in order, else a cluster member.
     */
    public record Vector(int seq, String name, String path, int status, String body, JsonNode response, String responseRaw,
                  boolean streaming, boolean bodyElided, String target, String method) {
        /** "kv/range", "lease/grant", ... for the paths the gateway serves as an RPC, else null. */
        public String rpc() {
            String p = path.startsWith("/v3beta/") ? "/v3/" + path.substring("/v3beta/".length()) : path;
            if (p.startsWith("/v3/kv/lease/")) p = "/v3/lease/" + p.substring("/v3/kv/lease/".length());
            String rpc = p.startsWith("/v3/") ? p.substring(4) : null;
            return rpc != null && RPCS.contains(rpc) ? rpc : null;
        }

        @Override
        public String toString() {
            return seq + " " + name;
        }
    }

    public static final List<String> RPCS = List.of("kv/range", "kv/put", "kv/deleterange", "kv/txn", "kv/compaction",
            "lease/grant", "lease/revoke", "lease/keepalive", "lease/timetolive", "lease/leases");

    /** The first recording: the whole client API, one member and three. */
    public static final String API = "vectors.jsonl";
    /** etcd's txn edges: each op's header revision, which check fails first, negative revisions, a re-created key's events. */
    public static final String TXN_EDGES = "txn-vectors.jsonl";
    /** Every file of one-store exchanges, each replayed in order on its own fresh store. */
    public static final List<String> FILES = List.of(API, TXN_EDGES);

    /** Every exchange of the first recording ({@link #API}), in the order it was recorded. */
    public static List<Vector> load() {
        return load(API);
    }

    /** Every exchange of one file of {@link #FILES}, in the order it was recorded. */
    public static List<Vector> load(String file) {
        List<Vector> out = new ArrayList<>();
        try (InputStream in = Recordings.class.getResourceAsStream("/etcd-conformance/" + file)) {
            if (in == null) throw new IllegalStateException("etcd-conformance/" + file + " is not on the classpath");
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) continue;
                JsonNode v = JSON.readTree(line);
                JsonNode request = v.get("request");
                boolean elided = request != null && request.has("_elided");
                String body;
                if (request != null && !request.isNull()) body = JSON.writeValueAsString(request);
                else body = v.path("request_raw").isTextual() ? v.get("request_raw").asText() : "";
                out.add(new Vector(v.get("seq").asInt(), v.get("name").asText(), v.get("path").asText(), v.get("status").asInt(),
                        body, v.get("response"), v.get("response_raw").asText(), v.path("streaming").asBoolean(), elided,
                        v.path("target").asText(), v.path("method").asText()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
