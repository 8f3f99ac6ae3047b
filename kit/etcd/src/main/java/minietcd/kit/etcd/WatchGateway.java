package minietcd.kit.etcd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import minietcd.kit.etcd.GatewayJson.WatchStreamRequest;
import minietcd.kit.mvcc.Bytes;
import minietcd.kit.mvcc.EtcdException;
import minietcd.kit.watch.WatchRequest;
import minietcd.kit.watch.WatchResponse;

/**
 * What etcd 3.4's gateway does on {@code /v3/watch} besides the codec ({@link GatewayJson#watch(String)}
 * reads a stream's requests, {@link GatewayJson#watch(Header, WatchResponse, String)} writes its
 * messages): one value of the body at a time, and what etcd does to a create request before it watches:
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
public final class WatchGateway {
    private WatchGateway() {}

    private static final ObjectMapper JSON = new ObjectMapper();

    public static final String EMPTY_RANGE = "mvcc: watcher range is empty";
    public static final String DUPLICATE_ID = "mvcc: duplicate watch ID provided on the WatchStream";
    private static final String EOF = "unexpected EOF";

    /**
     * One value of the body: the request it holds, or null for one etcd ignores ({@code {}},
     * {@code null}, a request naming none of create, cancel, progress).
     *
     * @throws EtcdException with Go's message (code 2, Unknown, as the gateway passes it on) if it does not decode
     */
    public static WatchStreamRequest request(String value) {
        List<WatchStreamRequest> rs = GatewayJson.watch(value);
        return rs.isEmpty() ? null : rs.get(0);
    }

    /**
     * What etcd's gateway writes when the gRPC stream beneath it breaks on a request it passed on but
     * etcd's server cannot read back (see {@link #breaksTheStream}); no newline follows it.
     */
    public static final String BROKEN_STREAM = "{\"error\":{\"grpc_code\":13,\"http_code\":500,"
            + "\"message\":\"grpc: failed to unmarshal the received message unexpected EOF\",\"http_status\":\"Internal Server Error\"}}";

    /**
     * Whether a create request (one that decoded) lists a negative filter number. The gateway takes
     * any int32 for the enum and encodes it for gRPC, but etcd's server cannot decode a negative one
     * back, so the whole stream fails: the gateway answers {@link #BROKEN_STREAM}, as its first
     * answer with HTTP 500, or as the last message of a stream already open. (A positive number that
     * names no filter is read and ignored.)
     */
    public static boolean breaksTheStream(String value) {
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
    public static EtcdException brokenPrefix(String unfinished) {
        try {
            GatewayJson.watch(unfinished);
            return null;
        } catch (EtcdException e) {
            return EOF.equals(e.getMessage()) ? null : e;
        }
    }

    /** The request as etcd watches it: an empty key is {@code "\0"}. */
    public static WatchRequest asEtcdWatches(WatchRequest r) {
        if (!r.key().isEmpty()) return r;
        return new WatchRequest(Bytes.ZERO, r.rangeEnd(), r.startRevision(), r.prevKv(), r.noPut(), r.noDelete(), r.watchId(), r.progressNotify());
    }

    /** Whether etcd refuses to watch the range: an end at or below the key (but not "\0", every key from the key on). */
    public static boolean emptyRange(WatchRequest r) {
        return !r.rangeEnd().isEmpty() && !r.rangeEnd().equals(Bytes.ZERO) && r.key().compareTo(r.rangeEnd()) >= 0;
    }

    /** The answer to a create that is refused: created and canceled at once, watch id -1, with etcd's reason. */
    public static WatchResponse refused(long revision) {
        return new WatchResponse(-1, revision, true, true, 0, List.of());
    }

}
