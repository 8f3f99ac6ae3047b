package minietcd.kit.etcd;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import minietcd.kit.etcd.GatewayJson.WatchCancel;
import minietcd.kit.etcd.GatewayJson.WatchCreate;
import minietcd.kit.etcd.GatewayJson.WatchProgress;
import minietcd.kit.etcd.GatewayJson.WatchStreamRequest;
import minietcd.kit.etcd.GatewayJsonDecoder.Fields;
import minietcd.kit.etcd.GoJson.Num;
import minietcd.kit.etcd.GoJson.Str;
import minietcd.kit.etcd.GoJson.Value;
import minietcd.kit.mvcc.Bytes;
import minietcd.kit.mvcc.EtcdException;
import minietcd.kit.mvcc.Event;
import minietcd.kit.watch.WatchRequest;
import minietcd.kit.watch.WatchResponse;

/**
 * The watch stream of etcd's gateway, {@code POST /v3/watch}: its request body in, its messages out.
 *
 * <p>The body is read as the gateway reads it. It may hold several requests one after another; the
 * gateway decodes the first before it opens the stream, so a first request that does not decode
 * is an error to the client, with code 2 (Unknown), because the gateway passes Go's error on as it
 * is (HTTP 500). A later request that does not decode only ends the list: the gateway stops
 * reading the body, and the watchers made so far go on. Each request is a
 * {@code etcdserverpb.WatchRequest} read with the rules of {@link GatewayJsonDecoder} (names,
 * nulls, int64 as string or number, base64, Go's messages), and these of its own:
 *
 * <ul>
 *   <li>{@code create_request}, {@code cancel_request} and {@code progress_request} are a oneof:
 *       if several are given, Go keeps one chosen by map order; here the last in proto order wins.
 *       One given as {@code null}, or a request with none, reaches etcd as an empty request, which
 *       it ignores: such a request is left out of the list.
 *   <li>{@code filters} takes the names {@code NOPUT} and {@code NODELETE} or their numbers 0 and 1,
 *       and a {@code null} element counts as 0, as Go reads it. Another number that fits an int32
 *       is accepted and, as etcd does, ignored. A single name instead of a list is refused as Go
 *       refuses it: {@code invalid target "slice" for enum ...}, or {@code unknown value ...}.
 *   <li>{@code fragment} must be a bool, and is then ignored.
 *   <li>etcd's {@code watch_id} 0 means "let the stream choose", which the kit's
 *       {@link WatchRequest} says with -1: 0 becomes -1. Any other id is passed on as it is (etcd
 *       would use a negative id as asked; the kit's stores treat -1 as "choose").
 * </ul>
 *
 * <p>What etcd does to a create request before it watches (an empty key becomes {@code "\0"}, a
 * {@code range_end} of {@code "\0"} means every key from {@code key} on) is left to the store,
 * as decoding only reads.
 *
 * <p>A message is written as the gateway writes one: {@code {"result":{...}}} with the fields of
 * {@code etcdserverpb.WatchResponse} in proto order ({@code header, watch_id, created, canceled,
 * compact_revision, events}), every zero value left out: a watch id of 0, false flags, a
 * compaction revision of 0, no events, and so a header revision of 0, which is how the cancel of
 * a watch from a compacted revision comes. An event is {@code {"type","kv","prev_kv"}}, where the
 * type is left out for a PUT (enum 0) and written {@code "DELETE"} otherwise.
 */
final class GatewayWatchJson {
    private GatewayWatchJson() {}

    static final String FILTER_TYPE = "etcdserverpb.WatchCreateRequest_FilterType";
    private static final String[] FILTERS = {"NOPUT", "NODELETE"};

    static List<WatchStreamRequest> requests(String body) {
        List<WatchStreamRequest> out = new ArrayList<>();
        GoJson.Stream stream = new GoJson.Stream(body);
        boolean first = true;
        try {
            Value v;
            while ((v = stream.next()) != null) {
                WatchStreamRequest r = request(GatewayJsonDecoder.message(v));
                first = false;
                if (r != null) out.add(r);
            }
        } catch (EtcdException e) {
            if (first) throw new EtcdException(EtcdException.UNKNOWN, e.getMessage());
        }
        return out;
    }

    /** One WatchRequest; null when it names no request (etcd ignores it). */
    private static WatchStreamRequest request(Fields f) {
        f.oneofName("request_union", "etcdserverpb.isWatchRequest_RequestUnion");
        WatchStreamRequest r = null;
        Value v;
        if ((v = f.get("create_request", "createRequest")) != null) r = create(GatewayJsonDecoder.message(v));
        if ((v = f.get("cancel_request", "cancelRequest")) != null) r = new WatchCancel(GatewayJsonDecoder.message(v).int64("watch_id", "watchId"));
        if ((v = f.get("progress_request", "progressRequest")) != null) {
            GatewayJsonDecoder.message(v); // no fields, but it must be an object
            r = new WatchProgress();
        }
        return r;
    }

    /** A WatchCreateRequest, its fields read in proto order so that the first bad one is reported. */
    private static WatchCreate create(Fields f) {
        Bytes key = f.bytes("key", null);
        Bytes rangeEnd = f.bytes("range_end", "rangeEnd");
        long start = f.int64("start_revision", "startRevision");
        boolean progressNotify = f.bool("progress_notify", "progressNotify");
        boolean noPut = false;
        boolean noDelete = false;
        Value filters = f.get("filters");
        if (filters instanceof Str s) { // jsonpb looks a quoted enum name up before it sees the field is a list
            filter(s);
            throw GoJson.invalid("invalid target \"slice\" for enum " + FILTER_TYPE);
        }
        for (Value item : GatewayJsonDecoder.repeated(filters)) {
            int type = item == GoJson.Null.NULL ? 0 : filter(item);
            if (type == 0) noPut = true;
            if (type == 1) noDelete = true;
        }
        boolean prevKv = f.bool("prev_kv", "prevKv");
        long watchId = f.int64("watch_id", "watchId");
        f.bool("fragment", null);
        return new WatchCreate(new WatchRequest(key, rangeEnd, start, prevKv, noPut, noDelete, watchId == 0 ? -1 : watchId, progressNotify));
    }

    /** A filter type by name or by number; a number that names no type is kept (and later ignored). */
    private static int filter(Value v) {
        if (v instanceof Str s) {
            String name = s.rawText();
            for (int i = 0; i < FILTERS.length; i++) if (FILTERS[i].equals(name)) return i;
            throw GoJson.invalid("unknown value " + GoStrings.quote(s.raw()) + " for enum " + FILTER_TYPE);
        }
        if (v instanceof Num n) {
            Long x = GatewayJsonDecoder.parseInteger(n.literal(), Integer.MIN_VALUE, Integer.MAX_VALUE);
            if (x == null) throw GoJson.typeError("number " + n.literal(), FILTER_TYPE);
            return x.intValue();
        }
        throw GoJson.typeError(GoJson.kind(v), FILTER_TYPE);
    }

    static String response(Header h, WatchResponse r, String cancelReason) {
        return GatewayJsonEncoder.object(g -> {
            g.writeFieldName("result");
            g.writeStartObject();
            GatewayJsonEncoder.header(g, h.withRevision(r.revision()));
            GatewayJsonEncoder.int64(g, "watch_id", r.watchId());
            if (r.created()) g.writeBooleanField("created", true);
            if (r.canceled()) g.writeBooleanField("canceled", true);
            GatewayJsonEncoder.int64(g, "compact_revision", r.compactRevision());
            if (cancelReason != null && !cancelReason.isEmpty()) g.writeStringField("cancel_reason", cancelReason);
            if (!r.events().isEmpty()) {
                g.writeArrayFieldStart("events");
                for (Event e : r.events()) event(g, e);
                g.writeEndArray();
            }
            g.writeEndObject();
        });
    }

    private static void event(JsonGenerator g, Event e) throws IOException {
        g.writeStartObject();
        if (e.type() == Event.Type.DELETE) g.writeStringField("type", "DELETE");
        if (e.kv() != null) {
            g.writeFieldName("kv");
            GatewayJsonEncoder.kv(g, e.kv());
        }
        if (e.prevKv() != null) {
            g.writeFieldName("prev_kv");
            GatewayJsonEncoder.kv(g, e.prevKv());
        }
        g.writeEndObject();
    }
}
