package minietcd.kit.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import minietcd.kit.etcd.GatewayJson;
import minietcd.kit.mvcc.Bytes;
import minietcd.kit.mvcc.Event;
import minietcd.kit.mvcc.KeyValue;
import minietcd.kit.watch.WatchRequest;
import minietcd.kit.watch.WatchResponse;

/**
 * The JSON of {@code /v3/watch}, minimal and the server's own (the kit's codec has no watch yet).
 *
 * <p>Requests: the body holds one or more JSON objects one after another, each with one of
 * {@code create_request} (key, range_end, start_revision, prev_kv, filters, watch_id,
 * progress_notify; fragment is accepted and ignored), {@code cancel_request} (watch_id) or
 * {@code progress_request}. Proto names and lowerCamelCase are both read; int64 as string or number;
 * filters by name or number. Decoding stops at the first value that is not such an object, as the
 * gateway's stream stops reading. Not checked as strictly as the kit's codec: a bad base64 or
 * value of the wrong type ends the requests too.
 *
 * <p>Responses: {@code {"result":{header, watch_id, created, canceled, compact_revision, events}}}
 * in proto field order, zero values left out; an event is {@code {type, kv, prev_kv}} with type
 * PUT (enum 0) left out. Keys and values are base64 and numbers decimal, so nothing needs escaping.
 */
final class WatchJson {
    private WatchJson() {}

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request read from the stream's body. */
    sealed interface Request {}

    record Create(WatchRequest request) implements Request {}

    record Cancel(long watchId) implements Request {}

    record Progress() implements Request {}

    static List<Request> requests(String body) {
        List<Request> out = new ArrayList<>();
        try (MappingIterator<JsonNode> it = JSON.readerFor(JsonNode.class).readValues(body)) {
            while (it.hasNextValue()) {
                JsonNode n = it.nextValue();
                Request r = request(n);
                if (r == null) break;
                out.add(r);
            }
        } catch (IOException | RuntimeException e) {
            // a malformed request ends the stream's requests
        }
        return out;
    }

    private static Request request(JsonNode n) {
        if (!n.isObject()) return null;
        JsonNode c = field(n, "create_request", "createRequest");
        if (c != null && c.isObject()) {
            Bytes key = bytes(field(c, "key", "key"));
            WatchRequest w = new WatchRequest(key, bytes(field(c, "range_end", "rangeEnd")), int64(field(c, "start_revision", "startRevision")),
                    bool(field(c, "prev_kv", "prevKv")), filter(c, "NOPUT", 0), filter(c, "NODELETE", 1),
                    int64(field(c, "watch_id", "watchId")), bool(field(c, "progress_notify", "progressNotify")));
            if (w.watchId() == 0) w = w.withId(-1); // 0 asks the stream to choose, as in etcd
            return new Create(w);
        }
        JsonNode x = field(n, "cancel_request", "cancelRequest");
        if (x != null && x.isObject()) return new Cancel(int64(field(x, "watch_id", "watchId")));
        JsonNode p = field(n, "progress_request", "progressRequest");
        if (p != null && p.isObject()) return new Progress();
        return null;
    }

    private static JsonNode field(JsonNode n, String proto, String camel) {
        JsonNode v = n.get(proto);
        if (v == null || v.isNull()) v = n.get(camel);
        return v == null || v.isNull() ? null : v;
    }

    private static Bytes bytes(JsonNode v) {
        return v == null ? Bytes.EMPTY : Bytes.fromBase64(v.asText());
    }

    private static long int64(JsonNode v) {
        if (v == null) return 0;
        if (v.isTextual()) return Long.parseLong(v.asText());
        if (v.canConvertToLong()) return v.longValue();
        throw new IllegalArgumentException("not an int64: " + v);
    }

    private static boolean bool(JsonNode v) {
        if (v == null) return false;
        if (!v.isBoolean()) throw new IllegalArgumentException("not a bool: " + v);
        return v.booleanValue();
    }

    private static boolean filter(JsonNode create, String name, int number) {
        JsonNode fs = create.get("filters");
        if (fs == null || !fs.isArray()) return false;
        for (JsonNode f : fs) if (f.asText().equals(name) || (f.isInt() && f.intValue() == number)) return true;
        return false;
    }

    /** One message of the stream, without its newline. */
    static String response(Member member, WatchResponse r) {
        String header = GatewayJson.compaction(member.header(r.revision())); // {"header":{...}}
        StringBuilder b = new StringBuilder("{\"result\":").append(header, 0, header.length() - 1);
        int64(b, "watch_id", r.watchId());
        if (r.created()) b.append(",\"created\":true");
        if (r.canceled()) b.append(",\"canceled\":true");
        int64(b, "compact_revision", r.compactRevision());
        if (!r.events().isEmpty()) {
            b.append(",\"events\":[");
            for (int i = 0; i < r.events().size(); i++) {
                Event e = r.events().get(i);
                b.append(i == 0 ? "{" : ",{");
                boolean delete = e.type() == Event.Type.DELETE;
                if (delete) b.append("\"type\":\"DELETE\",");
                b.append("\"kv\":");
                kv(b, e.kv());
                if (e.prevKv() != null) {
                    b.append(",\"prev_kv\":");
                    kv(b, e.prevKv());
                }
                b.append('}');
            }
            b.append(']');
        }
        return b.append("}}").toString();
    }

    private static void kv(StringBuilder b, KeyValue kv) {
        b.append('{');
        int start = b.length();
        bytes(b, "key", kv.key());
        int64(b, "create_revision", kv.createRevision());
        int64(b, "mod_revision", kv.modRevision());
        int64(b, "version", kv.version());
        bytes(b, "value", kv.value());
        int64(b, "lease", kv.lease());
        if (b.length() > start) b.deleteCharAt(start); // the comma before the first field
        b.append('}');
    }

    private static void bytes(StringBuilder b, String name, Bytes v) {
        if (v != null && !v.isEmpty()) b.append(",\"").append(name).append("\":\"").append(v.base64()).append('"');
    }

    private static void int64(StringBuilder b, String name, long v) {
        if (v != 0) b.append(",\"").append(name).append("\":\"").append(v).append('"');
    }
}
