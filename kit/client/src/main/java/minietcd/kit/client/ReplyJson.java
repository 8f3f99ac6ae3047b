package minietcd.kit.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import minietcd.kit.etcd.EtcdReply;
import minietcd.kit.etcd.EtcdRequest;
import minietcd.kit.etcd.Header;
import minietcd.kit.mvcc.Bytes;
import minietcd.kit.mvcc.EtcdException;
import minietcd.kit.mvcc.Event;
import minietcd.kit.mvcc.KeyValue;
import minietcd.kit.mvcc.KvRequest;
import minietcd.kit.mvcc.KvResponse;
import minietcd.kit.mvcc.Leases;
import minietcd.kit.watch.WatchResponse;

/**
 * etcd's gateway answers read back into the kit's records, as a client reads them: int64 fields as
 * JSON strings (or numbers), bytes in standard base64, a field at its default left out. Which
 * record an answer becomes depends on the request it answers.
 */
public final class ReplyJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReplyJson() {}

    /** A JSON text as a tree; a malformed one is an {@link IllegalArgumentException}. */
    public static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
    }

    /** A 200 answer to {@code request}; a keep-alive's messages one per line. */
    public static EtcdReply reply(EtcdRequest request, String json) {
        if (request instanceof EtcdRequest.LeaseKeepAlive) {
            List<EtcdReply.Renewed> renewed = new ArrayList<>();
            long revision = 0;
            for (String line : json.strip().split("\n")) {
                if (line.isBlank()) continue;
                JsonNode r = parse(line).path("result");
                revision = header(r).revision();
                renewed.add(new EtcdReply.Renewed(int64(r, "ID"), int64(r, "TTL")));
            }
            return new EtcdReply.KeptAlive(revision, renewed);
        }
        JsonNode n = parse(json);
        long revision = header(n).revision();
        if (request instanceof EtcdRequest.Kv k) return new EtcdReply.Kv(kv(k.op(), n, revision));
        if (request instanceof EtcdRequest.Compact) return new EtcdReply.Compacted(revision);
        if (request instanceof EtcdRequest.LeaseGrant) return new EtcdReply.Granted(new Leases.Granted(revision, int64(n, "ID"), int64(n, "TTL")));
        if (request instanceof EtcdRequest.LeaseRevoke) return new EtcdReply.Revoked(revision);
        if (request instanceof EtcdRequest.LeaseTimeToLive) {
            List<Bytes> keys = new ArrayList<>();
            for (JsonNode key : n.path("keys")) keys.add(Bytes.fromBase64(key.asText()));
            return new EtcdReply.TimeToLive(new Leases.TimeToLive(revision, int64(n, "ID"), int64(n, "TTL"), int64(n, "grantedTTL"), keys));
        }
        List<Long> ids = new ArrayList<>();
        for (JsonNode lease : n.path("leases")) ids.add(int64(lease, "ID"));
        return new EtcdReply.LeaseList(revision, ids);
    }

    /** The header of an answer (or of a stream message's {@code result}). */
    public static Header header(JsonNode answer) {
        JsonNode h = answer.path("header");
        return new Header(uint64(h, "cluster_id"), uint64(h, "member_id"), int64(h, "revision"), uint64(h, "raft_term"));
    }

    /** An error answer's {@code {"error","message","code"}}, as the exception etcd's client raises. */
    public static EtcdException error(String json) {
        JsonNode n = parse(json);
        if (!n.has("code")) throw new IllegalArgumentException("not an etcd error: " + json);
        return new EtcdException(n.path("code").asInt(), n.path("message").asText(n.path("error").asText()));
    }

    /** One message of a {@code /v3/watch} stream, {@code {"result":{...}}}. */
    public static WatchResponse watch(String line) {
        JsonNode n = parse(line);
        if (n.has("error")) throw error(n.path("error").toString());
        JsonNode r = n.path("result");
        List<Event> events = new ArrayList<>();
        for (JsonNode e : r.path("events"))
            events.add(new Event("DELETE".equals(e.path("type").asText()) ? Event.Type.DELETE : Event.Type.PUT, keyValue(e.path("kv")),
                    e.has("prev_kv") ? keyValue(e.path("prev_kv")) : null));
        return new WatchResponse(int64(r, "watch_id"), header(r).revision(), r.path("created").asBoolean(), r.path("canceled").asBoolean(),
                int64(r, "compact_revision"), events);
    }

    private static KvResponse kv(KvRequest op, JsonNode n, long revision) {
        if (op instanceof KvRequest.Range) return new KvResponse.Range(revision, kvs(n.path("kvs")), n.path("more").asBoolean(), int64(n, "count"));
        if (op instanceof KvRequest.Put) return new KvResponse.Put(revision, n.has("prev_kv") ? keyValue(n.path("prev_kv")) : null);
        if (op instanceof KvRequest.DeleteRange) return new KvResponse.DeleteRange(revision, int64(n, "deleted"), kvs(n.path("prev_kvs")));
        KvRequest.Txn t = (KvRequest.Txn) op;
        boolean succeeded = n.path("succeeded").asBoolean();
        List<KvRequest> ops = succeeded ? t.success() : t.failure();
        List<KvResponse> responses = new ArrayList<>();
        int i = 0;
        for (JsonNode r : n.path("responses")) {
            JsonNode body = r.elements().hasNext() ? r.elements().next() : r; // {"response_range":{...}}
            responses.add(kv(ops.get(i++), body, header(body).revision()));
        }
        return new KvResponse.Txn(revision, succeeded, responses);
    }

    private static List<KeyValue> kvs(JsonNode array) {
        List<KeyValue> out = new ArrayList<>();
        for (JsonNode kv : array) out.add(keyValue(kv));
        return out;
    }

    private static KeyValue keyValue(JsonNode kv) {
        return new KeyValue(bytes(kv, "key"), int64(kv, "create_revision"), int64(kv, "mod_revision"), int64(kv, "version"),
                bytes(kv, "value"), int64(kv, "lease"));
    }

    private static Bytes bytes(JsonNode n, String field) {
        return n.has(field) ? Bytes.fromBase64(n.path(field).asText()) : Bytes.EMPTY;
    }

    private static long int64(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isMissingNode() || v.isNull() ? 0 : v.isNumber() ? v.asLong() : Long.parseLong(v.asText());
    }

    private static long uint64(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isMissingNode() || v.isNull() ? 0 : Long.parseUnsignedLong(v.asText());
    }
}
