package minietcd.kit.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import minietcd.kit.etcd.GatewayJson;
import minietcd.kit.etcd.GatewayJson.WatchStreamRequest;
import minietcd.kit.mvcc.Bytes;
import minietcd.kit.mvcc.EtcdException;
import minietcd.kit.mvcc.Event;
import minietcd.kit.mvcc.KeyValue;
import minietcd.kit.watch.WatchRequest;
import minietcd.kit.watch.WatchResponse;

/**
 * The JSON of {@code /v3/watch} one value at a time, over the kit's codec ({@link GatewayJson#watch(String)}
 * and {@link GatewayJson#watch(minietcd.kit.etcd.Header, WatchResponse)}, which read and write as etcd
 * 3.4's gateway does), and what etcd does to a create request before it watches:
 *
 * <ul>
 *   <li>an empty (or missing) key is the key {@code "\0"}, the smallest there is;</li>
 *   <li>a {@code range_end} at or below the key is an empty range, which is not watched: etcd answers
 *       created and canceled at once, with watch id -1 and the reason {@link #EMPTY_RANGE} (a
 *       {@code range_end} of {@code "\0"}, every key from the key on, is not empty);</li>
 *   <li>an id already in use on the stream gets the same answer with {@link #DUPLICATE_ID};</li>
 *   <li>a negative filter number breaks the stream ({@link #breaksTheStream}).</li>
 * </ul>
 *
 * <p>A message may carry a {@code cancel_reason}, which the kit's {@link WatchResponse} has no room
 * for: it is written in its proto place, after {@code compact_revision} and before {@code events}.
 */
final class WatchJson {
    private WatchJson() {}

    private static final ObjectMapper JSON = new ObjectMapper();

    static final String EMPTY_RANGE = "mvcc: watcher range is empty";
    static final String DUPLICATE_ID = "mvcc: duplicate watch ID provided on the WatchStream";
    private static final String EOF = "unexpected EOF";

    /**
     * One value of the body: the request it holds, or null for one etcd ignores ({@code {}},
     * {@code null}, a request naming none of create, cancel, progress).
     *
     * @throws EtcdException with Go's message (code 2, Unknown, as the gateway passes it on) if it does not decode
     */
    static WatchStreamRequest request(String value) {
        List<WatchStreamRequest> rs = GatewayJson.watch(value);
        return rs.isEmpty() ? null : rs.get(0);
    }

    /**
     * What etcd's gateway writes when the gRPC stream beneath it breaks on a request it passed on but
     * etcd's server cannot read back (see {@link #breaksTheStream}); no newline follows it.
     */
    static final String BROKEN_STREAM = "{\"error\":{\"grpc_code\":13,\"http_code\":500,"
            + "\"message\":\"grpc: failed to unmarshal the received message unexpected EOF\",\"http_status\":\"Internal Server Error\"}}";

    /**
     * Whether a create request (one that decoded) lists a negative filter number. The gateway takes
     * any int32 for the enum and encodes it for gRPC, but etcd's server cannot decode a negative one
     * back, so the whole stream fails: the gateway answers {@link #BROKEN_STREAM}, as its first
     * answer with HTTP 500, or as the last message of a stream already open. (A positive number that
     * names no filter is read and ignored.)
     */
    static boolean breaksTheStream(String value) {
        try {
            JsonNode n = JSON.readTree(value);
            JsonNode create = n.has("create_request") ? n.get("create_request") : n.get("createRequest");
            JsonNode filters = create == null ? null : create.get("filters");
            if (filters == null || !filters.isArray()) return false;
            for (JsonNode f : filters) if (f.isIntegralNumber() && f.bigIntegerValue().signum() < 0) return true;
            return false;
        } catch (IOException e) {
            return false; // it decoded as Go reads it: whatever Jackson makes of it, it is no such list
        }
    }

    /** The error Go reports on an object that has not ended yet, or null while it may still turn out well. */
    static EtcdException brokenPrefix(String unfinished) {
        try {
            GatewayJson.watch(unfinished);
            return null;
        } catch (EtcdException e) {
            return EOF.equals(e.getMessage()) ? null : e;
        }
    }

    /** The request as etcd watches it: an empty key is {@code "\0"}. */
    static WatchRequest asEtcdWatches(WatchRequest r) {
        if (!r.key().isEmpty()) return r;
        return new WatchRequest(Bytes.ZERO, r.rangeEnd(), r.startRevision(), r.prevKv(), r.noPut(), r.noDelete(), r.watchId(), r.progressNotify());
    }

    /** Whether etcd refuses to watch the range: an end at or below the key (but not "\0", every key from the key on). */
    static boolean emptyRange(WatchRequest r) {
        return !r.rangeEnd().isEmpty() && !r.rangeEnd().equals(Bytes.ZERO) && r.key().compareTo(r.rangeEnd()) >= 0;
    }

    /** The answer to a create that is refused: created and canceled at once, watch id -1, with etcd's reason. */
    static WatchResponse refused(long revision) {
        return new WatchResponse(-1, revision, true, true, 0, List.of());
    }

    /** One message of the stream, without its newline; {@code cancelReason} null for none. */
    static String response(Member member, WatchResponse r, String cancelReason) {
        String json = GatewayJson.watch(member.header(r.revision()), r);
        if (cancelReason == null) return json;
        // {"result":{...}}: the reason goes before "events", which a canceled message never has
        return json.substring(0, json.length() - 2) + ",\"cancel_reason\":\"" + escape(cancelReason) + "\"}}";
    }

    /** About how many bytes the message takes on the wire, from its keys and values (base64) and a fixed part. */
    static long estimatedBytes(WatchResponse r) {
        long n = 200;
        for (Event e : r.events()) n += 100 + kvBytes(e.kv()) + kvBytes(e.prevKv());
        return n;
    }

    private static long kvBytes(KeyValue kv) {
        return kv == null ? 0 : 80 + (kv.key().length() + kv.value().length()) * 4L / 3;
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20 || c == '<' || c == '>' || c == '&') b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.toString();
    }
}
