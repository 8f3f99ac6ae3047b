package minietcd.kit.kvctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The JSON etcdctl 3.4 prints with {@code --write-out=json}, made from the gateway's answers. The
 * two differ (see "etcdctl --write-out=json differs from the gateway" in
 * {@code etcd-conformance/README.md}): etcdctl writes int64 and uint64 as JSON numbers where the
 * gateway writes strings, wraps txn responses as Go oneofs ({@code {"Response":{"ResponsePut":...}}}),
 * flattens the header into lease answers, and names the fields of lease and watch answers its own
 * way. Keys and values stay base64, and fields the gateway leaves out stay out.
 */
final class EtcdctlJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern INTEGER = Pattern.compile("-?\\d+");

    /** The gateway's int64 and uint64 fields, in any message: strings there, numbers here. */
    private static final Set<String> NUMBERS = Set.of("cluster_id", "member_id", "revision", "raft_term",
            "create_revision", "mod_revision", "version", "lease", "count", "deleted", "compact_revision", "watch_id",
            "ID", "TTL", "grantedTTL", "memberID", "dbSize", "dbSizeInUse", "leader", "raftIndex", "raftTerm", "raftAppliedIndex");

    /** Txn response fields and the Go oneof wrapper etcdctl prints for each. */
    private static final Map<String, String> ONEOF = Map.of("response_range", "ResponseRange", "response_put", "ResponsePut",
            "response_delete_range", "ResponseDeleteRange", "response_txn", "ResponseTxn");

    private EtcdctlJson() {}

    /** A copy of a gateway message with every int64 field a number (put, get, del, revoke, member list, status). */
    static JsonNode numbers(JsonNode gateway) {
        if (gateway instanceof ObjectNode o) {
            ObjectNode copy = NODES.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                JsonNode v = f.getValue();
                if (NUMBERS.contains(f.getKey()) && v.isTextual() && INTEGER.matcher(v.asText()).matches()) copy.set(f.getKey(), number(v.asText()));
                else copy.set(f.getKey(), numbers(v));
            }
            return copy;
        }
        if (gateway instanceof ArrayNode a) {
            ArrayNode copy = NODES.arrayNode();
            a.forEach(e -> copy.add(numbers(e)));
            return copy;
        }
        return gateway.deepCopy();
    }

    /** A txn answer: its responses wrapped as etcdctl's oneofs, nested txns too. */
    static ObjectNode txn(ObjectNode gateway) {
        ObjectNode out = (ObjectNode) numbers(gateway);
        if (out.get("responses") instanceof ArrayNode responses) {
            ArrayNode wrapped = NODES.arrayNode();
            for (JsonNode r : responses) {
                ObjectNode inner = NODES.objectNode();
                r.fields().forEachRemaining(f -> {
                    JsonNode body = f.getKey().equals("response_txn") && f.getValue() instanceof ObjectNode t ? txn(t) : f.getValue();
                    inner.set(ONEOF.getOrDefault(f.getKey(), f.getKey()), body);
                });
                wrapped.add(NODES.objectNode().set("Response", inner));
            }
            out.set("responses", wrapped);
        }
        return out;
    }

    /** {@code lease grant}: the header's fields at the top, then ID, TTL and an empty Error. */
    static ObjectNode grant(ObjectNode gateway) {
        ObjectNode out = flatHeader(gateway);
        out.put("ID", Gateway.int64(gateway.get("ID")));
        out.put("TTL", Gateway.int64(gateway.get("TTL")));
        out.put("Error", "");
        return out;
    }

    /** {@code lease keep-alive}: the header's fields at the top, then ID and TTL. */
    static ObjectNode keepAlive(ObjectNode gateway) {
        ObjectNode out = flatHeader(gateway);
        out.put("ID", Gateway.int64(gateway.get("ID")));
        out.put("TTL", Gateway.int64(gateway.get("TTL")));
        return out;
    }

    /** {@code lease timetolive}: the header's fields, then id, ttl, granted-ttl and keys (null when there are none). */
    static ObjectNode timeToLive(ObjectNode gateway) {
        ObjectNode out = flatHeader(gateway);
        out.put("id", Gateway.int64(gateway.get("ID")));
        out.put("ttl", Gateway.int64(gateway.get("TTL")));
        out.put("granted-ttl", Gateway.int64(gateway.get("grantedTTL")));
        if (gateway.get("keys") instanceof ArrayNode keys && !keys.isEmpty()) out.set("keys", keys.deepCopy());
        else out.putNull("keys");
        return out;
    }

    /** {@code lease list}: the header's fields, then {@code leases:[{"id":n}]}. */
    static ObjectNode leases(ObjectNode gateway) {
        ObjectNode out = flatHeader(gateway);
        ArrayNode leases = out.putArray("leases");
        gateway.path("leases").forEach(l -> leases.add(NODES.objectNode().put("id", Gateway.int64(l.get("ID")))));
        return out;
    }

    /** One watch message as etcdctl prints it: Header, Events (DELETE as type 1), CompactRevision, Canceled, Created. */
    static ObjectNode watch(ObjectNode result) {
        ObjectNode out = NODES.objectNode();
        out.set("Header", result.has("header") ? numbers(result.get("header")) : NODES.objectNode());
        ArrayNode events = out.putArray("Events");
        for (JsonNode e : result.path("events")) {
            ObjectNode event = NODES.objectNode();
            if (e.path("type").asText().equals("DELETE") || e.path("type").asInt() == 1) event.put("type", 1);
            if (e.has("kv")) event.set("kv", numbers(e.get("kv")));
            if (e.has("prev_kv")) event.set("prev_kv", numbers(e.get("prev_kv")));
            events.add(event);
        }
        out.put("CompactRevision", Gateway.int64(result.get("compact_revision")));
        out.put("Canceled", result.path("canceled").asBoolean());
        out.put("Created", result.path("created").asBoolean());
        return out;
    }

    /** {@code endpoint status}: {@code [{"Endpoint":..., "Status":{...}}]}. */
    static ArrayNode endpointStatus(Iterable<Output.EndpointStatus> statuses) {
        ArrayNode out = NODES.arrayNode();
        for (Output.EndpointStatus s : statuses) out.add(NODES.objectNode().put("Endpoint", s.endpoint()).set("Status", numbers(s.status())));
        return out;
    }

    /** {@code endpoint health}: {@code [{"endpoint":..., "health":bool, "took":"1.2ms", "error":"..."}]}, error only when unhealthy. */
    static ArrayNode endpointHealth(Iterable<Output.EndpointHealth> checks) {
        ArrayNode out = NODES.arrayNode();
        for (Output.EndpointHealth h : checks) {
            ObjectNode o = out.addObject().put("endpoint", h.endpoint()).put("health", h.healthy()).put("took", Durations.format(h.took()));
            if (h.error() != null) o.put("error", h.error());
        }
        return out;
    }

    private static ObjectNode flatHeader(ObjectNode gateway) {
        ObjectNode out = NODES.objectNode();
        if (numbers(gateway.path("header")) instanceof ObjectNode header) out.setAll(header);
        return out;
    }

    /** A decimal integer as a JSON number: a long when it fits, else (uint64 ids above 2^63) a big integer. */
    private static JsonNode number(String text) {
        BigInteger n = new BigInteger(text);
        return n.bitLength() < 64 ? NODES.numberNode(n.longValue()) : NODES.numberNode(n);
    }
}
