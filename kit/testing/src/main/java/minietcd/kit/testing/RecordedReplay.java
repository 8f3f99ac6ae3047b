package minietcd.kit.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import minietcd.kit.mvcc.KV;
import minietcd.kit.etcd.GatewayJson;
import minietcd.kit.etcd.GatewayRpc;
import minietcd.kit.etcd.Header;

/**
 * Replaying recorded etcd exchanges through a {@link KV} and this package's codec: one KV or lease
 * RPC in, etcd's JSON out, with the recording's header fields (cluster and member ids, term) so the
 * answer can be compared with etcd's bytes. Ids etcd chose for leases are mapped to the store's.
 */
public final class RecordedReplay {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RecordedReplay() {}

    /** A header with the recorded ids and term, and our revision. */
    public static Header header(JsonNode recorded, long revision) {
        return new Header(Long.parseUnsignedLong(recorded.path("cluster_id").asText("0")), Long.parseUnsignedLong(recorded.path("member_id").asText("0")),
                revision, recorded.path("raft_term").asLong(0));
    }

    /**
     * Runs one recorded RPC ({@code rpc} as {@link Recordings.Vector#rpc()}) on {@code kv} and encodes
     * the answer as etcd's gateway would, with the recording's header fields. A lease granted with an
     * id etcd chose adds etcd's id to ours in {@code ids}. Errors are thrown as the store throws them.
     */
    public static String answer(KV kv, String rpc, String body, JsonNode recordedHeader, String recordedRaw, Map<String, String> ids) {
        if (rpc.equals("lease/keepalive")) {
            JsonNode lineHeader = read(recordedRaw.strip().lines().findFirst().orElse("{}")).path("result").path("header");
            return GatewayRpc.call(kv, rpc, body, rev -> header(lineHeader, rev), GatewayRpc.MAX_REQUEST_BYTES) + "\n";
        }
        String ours = GatewayRpc.call(kv, rpc, body, rev -> header(recordedHeader, rev), GatewayRpc.MAX_REQUEST_BYTES);
        if (rpc.equals("lease/grant") && GatewayJson.leaseGrant(body).id() == 0) // etcd chose an id: ours stands for it from now on
            ids.put(read(recordedRaw).path("ID").asText(), read(ours).path("ID").asText());
        return ours;
    }

    /** The text with every lease id etcd chose (as a JSON string) replaced by the store's. */
    public static String mapIds(String text, Map<String, String> ids) {
        for (var e : ids.entrySet()) text = text.replace("\"" + e.getKey() + "\"", "\"" + e.getValue() + "\"");
        return text;
    }

    /** etcd lists leases in no particular order: a leases answer with its list sorted, anything else as it is. */
    public static String sortLeases(String rpc, String raw) {
        if (!rpc.equals("lease/leases") || !raw.startsWith("{")) return raw;
        JsonNode n = read(raw);
        if (n.get("leases") instanceof ArrayNode a) {
            List<JsonNode> items = new ArrayList<>();
            a.forEach(items::add);
            items.sort((x, y) -> x.path("ID").asText().compareTo(y.path("ID").asText()));
            ((ObjectNode) n).set("leases", JSON.createArrayNode().addAll(items));
        }
        try {
            return JSON.writeValueAsString(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
