package minietcd.kit.etcd;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import minietcd.kit.mvcc.Bytes;
import minietcd.kit.mvcc.Event;
import minietcd.kit.mvcc.KeyValue;
import minietcd.kit.mvcc.KvResponse;
import minietcd.kit.mvcc.Leases;
import minietcd.kit.watch.WatchResponse;

/**
 * Test helper: reads the response JSON etcd's gateway sent into the project's records. It is
 * strict: a field it does not know fails the read, so that nothing is silently dropped before the
 * records are encoded again and compared with the recorded bytes.
 */
final class EtcdResponseJson {
    private EtcdResponseJson() {}

    static Header header(JsonNode o) {
        fields(o, "cluster_id", "member_id", "revision", "raft_term");
        return new Header(uint64(o, "cluster_id"), uint64(o, "member_id"), int64(o, "revision"), uint64(o, "raft_term"));
    }

    static KvResponse.Range range(JsonNode o) {
        fields(o, "header", "kvs", "more", "count");
        return new KvResponse.Range(revision(o), kvs(o.get("kvs")), bool(o, "more"), int64(o, "count"));
    }

    static KvResponse.Put put(JsonNode o) {
        fields(o, "header", "prev_kv");
        return new KvResponse.Put(revision(o), o.has("prev_kv") ? kv(o.get("prev_kv")) : null);
    }

    static KvResponse.DeleteRange deleteRange(JsonNode o) {
        fields(o, "header", "deleted", "prev_kvs");
        return new KvResponse.DeleteRange(revision(o), int64(o, "deleted"), kvs(o.get("prev_kvs")));
    }

    static KvResponse.Txn txn(JsonNode o) {
        fields(o, "header", "succeeded", "responses");
        List<KvResponse> responses = new ArrayList<>();
        if (o.has("responses")) {
            for (JsonNode op : o.get("responses")) {
                fields(op, "response_range", "response_put", "response_delete_range", "response_txn");
                if (op.size() != 1) throw new IllegalArgumentException("a response op with " + op.size() + " members: " + op);
                String name = op.fieldNames().next();
                JsonNode inner = op.get(name);
                responses.add(switch (name) {
                    case "response_range" -> range(inner);
                    case "response_put" -> put(inner);
                    case "response_delete_range" -> deleteRange(inner);
                    default -> txn(inner);
                });
            }
        }
        return new KvResponse.Txn(revision(o), bool(o, "succeeded"), responses);
    }

    /** A response that is only a header (compaction, lease revoke). */
    static void headerOnly(JsonNode o) {
        fields(o, "header");
    }

    static Leases.Granted leaseGrant(JsonNode o) {
        fields(o, "header", "ID", "TTL");
        return new Leases.Granted(revision(o), int64(o, "ID"), int64(o, "TTL"));
    }

    /** One keepalive result: {@code {ID, TTL}} (the header is read separately). */
    static long[] leaseKeepAlive(JsonNode result) {
        fields(result, "header", "ID", "TTL");
        return new long[] {int64(result, "ID"), int64(result, "TTL")};
    }

    static Leases.TimeToLive leaseTimeToLive(JsonNode o) {
        fields(o, "header", "ID", "TTL", "grantedTTL", "keys");
        List<Bytes> keys = new ArrayList<>();
        if (o.has("keys")) for (JsonNode k : o.get("keys")) keys.add(Bytes.fromBase64(k.asText()));
        return new Leases.TimeToLive(revision(o), int64(o, "ID"), int64(o, "TTL"), int64(o, "grantedTTL"), keys);
    }

    static List<Long> leaseLeases(JsonNode o) {
        fields(o, "header", "leases");
        List<Long> ids = new ArrayList<>();
        if (o.has("leases")) {
            for (JsonNode l : o.get("leases")) {
                fields(l, "ID");
                ids.add(int64(l, "ID"));
            }
        }
        return ids;
    }

    /** One watch stream message's {@code result}; its header revision becomes the response's. */
    static WatchResponse watch(JsonNode result) {
        fields(result, "header", "watch_id", "created", "canceled", "compact_revision", "events");
        List<Event> events = new ArrayList<>();
        if (result.has("events")) {
            for (JsonNode e : result.get("events")) {
                fields(e, "type", "kv", "prev_kv");
                // PUT is enum 0, so etcd leaves it out: a type that is there must be DELETE
                if (e.has("type") && !text(e, "type").equals("DELETE")) throw new IllegalArgumentException("event type " + e.get("type"));
                Event.Type type = e.has("type") ? Event.Type.DELETE : Event.Type.PUT;
                events.add(new Event(type, e.has("kv") ? kv(e.get("kv")) : null, e.has("prev_kv") ? kv(e.get("prev_kv")) : null));
            }
        }
        return new WatchResponse(int64(result, "watch_id"), revision(result), bool(result, "created"), bool(result, "canceled"),
                int64(result, "compact_revision"), events);
    }

    private static long revision(JsonNode o) {
        return o.has("header") ? header(o.get("header")).revision() : 0;
    }

    private static List<KeyValue> kvs(JsonNode a) {
        List<KeyValue> out = new ArrayList<>();
        if (a != null) for (JsonNode kv : a) out.add(kv(kv));
        return out;
    }

    static KeyValue kv(JsonNode o) {
        fields(o, "key", "create_revision", "mod_revision", "version", "value", "lease");
        return new KeyValue(bytes(o, "key"), int64(o, "create_revision"), int64(o, "mod_revision"), int64(o, "version"),
                bytes(o, "value"), int64(o, "lease"));
    }

    private static Bytes bytes(JsonNode o, String name) {
        return o.has(name) ? Bytes.fromBase64(text(o, name)) : Bytes.EMPTY;
    }

    /** etcd writes int64 as a JSON string. */
    private static long int64(JsonNode o, String name) {
        return o.has(name) ? Long.parseLong(text(o, name)) : 0;
    }

    private static long uint64(JsonNode o, String name) {
        return o.has(name) ? Long.parseUnsignedLong(text(o, name)) : 0;
    }

    private static String text(JsonNode o, String name) {
        JsonNode v = o.get(name);
        if (!v.isTextual()) throw new IllegalArgumentException(name + " is not a JSON string: " + v);
        return v.asText();
    }

    private static boolean bool(JsonNode o, String name) {
        if (!o.has(name)) return false;
        if (!o.get(name).isBoolean()) throw new IllegalArgumentException(name + " is not a JSON bool");
        return o.get(name).asBoolean();
    }

    private static void fields(JsonNode o, String... known) {
        if (!o.isObject()) throw new IllegalArgumentException("not an object: " + o);
        Set<String> allowed = Set.of(known);
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) throw new IllegalArgumentException("unexpected field " + f + " in " + o);
        }
    }
}
