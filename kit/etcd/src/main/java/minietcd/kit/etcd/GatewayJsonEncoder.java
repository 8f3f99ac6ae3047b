package minietcd.kit.etcd;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import minietcd.kit.mvcc.Bytes;
import minietcd.kit.mvcc.EtcdException;
import minietcd.kit.mvcc.KeyValue;
import minietcd.kit.mvcc.KvResponse;
import minietcd.kit.mvcc.Leases;

/**
 * Response bodies as etcd's gateway writes them (jsonpb with proto names, defaults left out):
 * fields in proto field-number order, no white space, int64 and uint64 as decimal strings, bytes as
 * standard base64, and every zero value (0, false, empty bytes, empty list, absent message) left
 * out. The top-level header is written from the given {@link Header} as it is; the revision in the
 * response record is used only for the headers inside a txn's responses, which hold nothing but
 * the revision. A txn nested in a txn always has the header {@code {}}.
 */
final class GatewayJsonEncoder {
    private GatewayJsonEncoder() {}

    private static final JsonFactory JSON = new JsonFactoryBuilder().characterEscapes(new GoEscapes()).build();

    interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    static String object(Body body) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    static String range(Header h, KvResponse.Range r) {
        return object(g -> {
            header(g, h);
            range(g, r);
        });
    }

    static String put(Header h, KvResponse.Put r) {
        return object(g -> {
            header(g, h);
            put(g, r);
        });
    }

    static String deleteRange(Header h, KvResponse.DeleteRange r) {
        return object(g -> {
            header(g, h);
            deleteRange(g, r);
        });
    }

    static String txn(Header h, KvResponse.Txn r) {
        return object(g -> {
            header(g, h);
            txn(g, r);
        });
    }

    /** Compaction, lease revoke: a header and nothing else. */
    static String headerOnly(Header h) {
        return object(g -> header(g, h));
    }

    static String leaseGrant(Header h, Leases.Granted r) {
        return object(g -> {
            header(g, h);
            int64(g, "ID", r.id());
            int64(g, "TTL", r.ttl());
        });
    }

    /** One message of the keepalive stream, without the newline that ends it on the wire. */
    static String leaseKeepAlive(Header h, long id, long ttl) {
        return object(g -> {
            g.writeFieldName("result");
            g.writeStartObject();
            header(g, h);
            int64(g, "ID", id);
            int64(g, "TTL", ttl);
            g.writeEndObject();
        });
    }

    static String leaseTimeToLive(Header h, Leases.TimeToLive r) {
        return object(g -> {
            header(g, h);
            int64(g, "ID", r.id());
            int64(g, "TTL", r.ttl());
            int64(g, "grantedTTL", r.grantedTtl());
            if (!r.keys().isEmpty()) {
                g.writeArrayFieldStart("keys");
                for (Bytes k : r.keys()) g.writeString(k.base64());
                g.writeEndArray();
            }
        });
    }

    static String leaseLeases(Header h, List<Long> ids) {
        return object(g -> {
            header(g, h);
            if (!ids.isEmpty()) {
                g.writeArrayFieldStart("leases");
                for (long id : ids) {
                    g.writeStartObject();
                    int64(g, "ID", id);
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
        });
    }

    /** The gateway's error body: the message twice, then the gRPC code as a number. */
    static String error(int code, String message) {
        return object(g -> {
            if (!message.isEmpty()) {
                g.writeStringField("error", message);
                g.writeStringField("message", message);
            }
            if (code != 0) g.writeNumberField("code", code);
        });
    }

    /** The HTTP status grpc-gateway (v1) gives a gRPC code. */
    static int httpStatus(int code) {
        return switch (code) {
            case 0 -> 200;
            case 1 -> 408; // Canceled
            case 3, 11 -> 400; // InvalidArgument, OutOfRange
            case 4 -> 504; // DeadlineExceeded
            case 5 -> 404; // NotFound
            case 6, 10 -> 409; // AlreadyExists, Aborted
            case 7 -> 403; // PermissionDenied
            case 8 -> 429; // ResourceExhausted
            case 9 -> 412; // FailedPrecondition
            case 12 -> 501; // Unimplemented
            case 14 -> 503; // Unavailable
            case 16 -> 401; // Unauthenticated
            default -> 500; // Unknown, Internal, DataLoss and anything else
        };
    }

    static void header(JsonGenerator g, Header h) throws IOException {
        g.writeFieldName("header");
        g.writeStartObject();
        uint64(g, "cluster_id", h.clusterId());
        uint64(g, "member_id", h.memberId());
        int64(g, "revision", h.revision());
        uint64(g, "raft_term", h.raftTerm());
        g.writeEndObject();
    }

    /** The header of a response inside a txn: the revision only. */
    private static void innerHeader(JsonGenerator g, long revision) throws IOException {
        g.writeFieldName("header");
        g.writeStartObject();
        int64(g, "revision", revision);
        g.writeEndObject();
    }

    private static void range(JsonGenerator g, KvResponse.Range r) throws IOException {
        kvs(g, "kvs", r.kvs());
        if (r.more()) g.writeBooleanField("more", true);
        int64(g, "count", r.count());
    }

    private static void put(JsonGenerator g, KvResponse.Put r) throws IOException {
        if (r.prevKv() != null) {
            g.writeFieldName("prev_kv");
            kv(g, r.prevKv());
        }
    }

    private static void deleteRange(JsonGenerator g, KvResponse.DeleteRange r) throws IOException {
        int64(g, "deleted", r.deleted());
        kvs(g, "prev_kvs", r.prevKvs());
    }

    private static void txn(JsonGenerator g, KvResponse.Txn r) throws IOException {
        if (r.succeeded()) g.writeBooleanField("succeeded", true);
        if (r.responses().isEmpty()) return;
        g.writeArrayFieldStart("responses");
        for (KvResponse op : r.responses()) {
            g.writeStartObject();
            if (op instanceof KvResponse.Range x) {
                g.writeFieldName("response_range");
                g.writeStartObject();
                innerHeader(g, x.revision());
                range(g, x);
            } else if (op instanceof KvResponse.Put x) {
                g.writeFieldName("response_put");
                g.writeStartObject();
                innerHeader(g, x.revision());
                put(g, x);
            } else if (op instanceof KvResponse.DeleteRange x) {
                g.writeFieldName("response_delete_range");
                g.writeStartObject();
                innerHeader(g, x.revision());
                deleteRange(g, x);
            } else {
                g.writeFieldName("response_txn");
                g.writeStartObject();
                innerHeader(g, 0); // etcd never fills in a nested txn's own header
                txn(g, (KvResponse.Txn) op);
            }
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void kvs(JsonGenerator g, String name, List<KeyValue> kvs) throws IOException {
        if (kvs.isEmpty()) return;
        g.writeArrayFieldStart(name);
        for (KeyValue kv : kvs) kv(g, kv);
        g.writeEndArray();
    }

    static void kv(JsonGenerator g, KeyValue kv) throws IOException {
        g.writeStartObject();
        bytes(g, "key", kv.key());
        int64(g, "create_revision", kv.createRevision());
        int64(g, "mod_revision", kv.modRevision());
        int64(g, "version", kv.version());
        bytes(g, "value", kv.value());
        int64(g, "lease", kv.lease());
        g.writeEndObject();
    }

    static void bytes(JsonGenerator g, String name, Bytes b) throws IOException {
        if (b != null && !b.isEmpty()) g.writeStringField(name, b.base64());
    }

    static void int64(JsonGenerator g, String name, long v) throws IOException {
        if (v != 0) g.writeStringField(name, Long.toString(v));
    }

    private static void uint64(JsonGenerator g, String name, long v) throws IOException {
        if (v != 0) g.writeStringField(name, Long.toUnsignedString(v));
    }

    /**
     * String escaping as Go's encoding/json does it: {@code \n}, {@code \r}, {@code \t},
     * {@code \"} and {@code \\} in short form; every other control character, the HTML characters
     * {@code <}, {@code >}, {@code &} and the line and paragraph separators U+2028/U+2029 as a
     * backslash-u escape with lowercase hex.
     */
    private static final class GoEscapes extends CharacterEscapes {
        private final int[] ascii = CharacterEscapes.standardAsciiEscapesForJSON();

        GoEscapes() {
            for (int c = 0; c < 0x20; c++) if (c != '\n' && c != '\r' && c != '\t') ascii[c] = ESCAPE_CUSTOM;
            ascii['<'] = ESCAPE_CUSTOM;
            ascii['>'] = ESCAPE_CUSTOM;
            ascii['&'] = ESCAPE_CUSTOM;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            boolean escaped = ch < 0x20 || ch == '<' || ch == '>' || ch == '&' || ch == 0x2028 || ch == 0x2029;
            return escaped ? new SerializedString(String.format("\\u%04x", ch)) : null;
        }
    }
}
