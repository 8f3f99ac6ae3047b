package minietcd.kit.etcd;

import java.util.List;
import minietcd.kit.mvcc.EtcdException;
import minietcd.kit.mvcc.KvRequest;
import minietcd.kit.mvcc.KvResponse;
import minietcd.kit.mvcc.Leases;
import minietcd.kit.watch.WatchRequest;
import minietcd.kit.watch.WatchResponse;

/**
 * The JSON of etcd 3.4's HTTP gateway ({@code POST /v3/kv/range} and the rest): request bodies in,
 * response bodies out, byte for byte as etcd writes them. The decoding rules are described in
 * {@link GatewayJsonDecoder}, the encoding rules in {@link GatewayJsonEncoder}; the recorded
 * exchanges in the test resources {@code etcd-conformance/} are the specification.
 *
 * <p>Decoding only reads: a request with an empty key, say, decodes fine and is refused later by
 * the store, as etcd does. Decoding refuses malformed JSON, base64 and values of the wrong type
 * with an {@link EtcdException} of code 3 (InvalidArgument) and etcd's message; send it with
 * {@link #error(EtcdException)} and {@link #httpStatus(int)}.
 */
public final class GatewayJson {
    private GatewayJson() {}

    /** {@code /v3/kv/compaction}: compact up to {@code revision}; {@code physical} waits for the compaction to be applied. */
    public record Compaction(long revision, boolean physical) {}

    /** {@code /v3/lease/grant}: {@code id} 0 lets the server choose. */
    public record LeaseGrant(long ttl, long id) {}

    /** {@code /v3/lease/timetolive}: {@code keys} asks for the keys attached to the lease. */
    public record LeaseTimeToLive(long id, boolean keys) {}

    /** One request of a {@code /v3/watch} stream: a create, a cancel or a progress request. */
    public sealed interface WatchStreamRequest permits WatchCreate, WatchCancel, WatchProgress {}

    /** {@code create_request}: its watch id is -1 when etcd's is 0 ("let the stream choose"). */
    public record WatchCreate(WatchRequest request) implements WatchStreamRequest {}

    /** {@code cancel_request}: stop the stream's watcher {@code watchId}. */
    public record WatchCancel(long watchId) implements WatchStreamRequest {}

    /** {@code progress_request}: ask where the stream stands. */
    public record WatchProgress() implements WatchStreamRequest {}

    // ---- requests ----

    public static KvRequest.Range range(String body) {
        return GatewayJsonDecoder.range(body);
    }

    public static KvRequest.Put put(String body) {
        return GatewayJsonDecoder.put(body);
    }

    public static KvRequest.DeleteRange deleteRange(String body) {
        return GatewayJsonDecoder.deleteRange(body);
    }

    public static KvRequest.Txn txn(String body) {
        return GatewayJsonDecoder.txn(body);
    }

    public static Compaction compaction(String body) {
        return GatewayJsonDecoder.compaction(body);
    }

    public static long compactionRevision(String body) {
        return compaction(body).revision();
    }

    public static LeaseGrant leaseGrant(String body) {
        return GatewayJsonDecoder.leaseGrant(body);
    }

    /** The lease ID of a {@code /v3/lease/revoke} body. */
    public static long leaseRevoke(String body) {
        return GatewayJsonDecoder.leaseId(body);
    }

    /**
     * The lease IDs of a {@code /v3/lease/keepalive} body: it is a stream and may carry several
     * requests, one after another. Only a bad first request is an error (code 2, Unknown, as the
     * gateway reports it); a bad later one ends the list, as it silently ends the gateway's stream.
     */
    public static List<Long> leaseKeepAlive(String body) {
        return GatewayJsonDecoder.leaseKeepAlive(body);
    }

    public static LeaseTimeToLive leaseTimeToLive(String body) {
        return GatewayJsonDecoder.leaseTimeToLive(body);
    }

    /** Checks a {@code /v3/lease/leases} body, which has no fields but must still be valid JSON. */
    public static void leaseLeases(String body) {
        GatewayJsonDecoder.leaseLeases(body);
    }

    /**
     * The requests of a {@code /v3/watch} body, which may hold several, one after another. Only a
     * bad first request is an error (code 2, Unknown, as the gateway reports it); a bad later one
     * ends the list. Requests that name nothing are left out. The rules are in {@link GatewayWatchJson}.
     */
    public static List<WatchStreamRequest> watch(String body) {
        return GatewayWatchJson.requests(body);
    }

    // ---- responses ----

    public static String range(Header h, KvResponse.Range r) {
        return GatewayJsonEncoder.range(h, r);
    }

    public static String put(Header h, KvResponse.Put r) {
        return GatewayJsonEncoder.put(h, r);
    }

    public static String deleteRange(Header h, KvResponse.DeleteRange r) {
        return GatewayJsonEncoder.deleteRange(h, r);
    }

    /** A txn; the headers inside its responses carry each response's revision only. */
    public static String txn(Header h, KvResponse.Txn r) {
        return GatewayJsonEncoder.txn(h, r);
    }

    public static String compaction(Header h) {
        return GatewayJsonEncoder.headerOnly(h);
    }

    public static String leaseGrant(Header h, Leases.Granted r) {
        return GatewayJsonEncoder.leaseGrant(h, r);
    }

    public static String leaseRevoke(Header h) {
        return GatewayJsonEncoder.headerOnly(h);
    }

    /**
     * One message of the keepalive stream, {@code {"result":{...}}}, without the newline that
     * follows each message on the wire. {@code ttl} 0 (an unknown lease) is left out.
     */
    public static String leaseKeepAlive(Header h, long id, long ttl) {
        return GatewayJsonEncoder.leaseKeepAlive(h, id, ttl);
    }

    /**
     * One message of the watch stream, {@code {"result":{...}}}, without the newline that follows
     * each message on the wire. The header is {@code h} with the response's revision, which is left
     * out when 0 (the cancel of a watch whose start was compacted away).
     */
    public static String watch(Header h, WatchResponse r) {
        return GatewayWatchJson.response(h, r, null);
    }

    /**
     * The same with etcd's {@code cancel_reason} (null or empty for none), which the kit's
     * {@link WatchResponse} has no room for; it goes in its proto place, after
     * {@code compact_revision} and before {@code events}.
     */
    public static String watch(Header h, WatchResponse r, String cancelReason) {
        return GatewayWatchJson.response(h, r, cancelReason);
    }

    public static String leaseTimeToLive(Header h, Leases.TimeToLive r) {
        return GatewayJsonEncoder.leaseTimeToLive(h, r);
    }

    public static String leaseLeases(Header h, List<Long> ids) {
        return GatewayJsonEncoder.leaseLeases(h, ids);
    }

    /** {@code {"error":msg,"message":msg,"code":N}}. */
    public static String error(EtcdException e) {
        return GatewayJsonEncoder.error(e.code(), e.getMessage());
    }

    public static String error(int code, String message) {
        return GatewayJsonEncoder.error(code, message);
    }

    /** The HTTP status the gateway sends with a gRPC code (3 and 11: 400, 5: 404, 9: 412, 14: 503, 2: 500, ...). */
    public static int httpStatus(int grpcCode) {
        return GatewayJsonEncoder.httpStatus(grpcCode);
    }
}
