package minietcd.kit.kvctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The printing half of kvctl against etcdctl's recorded output ({@code etcdctl-vectors.jsonl} in
 * kit-conformance's resources): the gateway's answer to each recorded command, as the gateway encodes it,
 * must print exactly as etcdctl printed it. (kit/integration-tests replays the commands themselves
 * against a running gateway.)
 */
class OutputTest {
    private static final String HEADER = "{\"cluster_id\":\"4865707205399774916\",\"member_id\":\"15261843957902045116\",\"revision\":\"%d\",\"raft_term\":\"2\"}";
    private static final Map<String, JsonNode> VECTORS = new HashMap<>();

    @BeforeAll
    static void load() throws IOException {
        java.io.InputStream in = OutputTest.class.getResourceAsStream("/etcd-conformance/etcdctl-vectors.jsonl");
        if (in == null) throw new IllegalStateException("etcd-conformance/etcdctl-vectors.jsonl (kit-conformance) is not on the test classpath");
        for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank()) continue;
            JsonNode v = Gateway.JSON.readTree(line);
            VECTORS.put(v.get("name").asText(), v);
        }
    }

    private static String stdout(String vector) {
        return VECTORS.get(vector).get("stdout_raw").asText();
    }

    private static ObjectNode json(String text) {
        try {
            return (ObjectNode) Gateway.JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String header(long revision) {
        return String.format(HEADER, revision);
    }

    /** etcdctl's JSON for a plain message, back in the gateway's encoding: every number a string. */
    private static ObjectNode gatewayOf(String vector) {
        return (ObjectNode) strings(VECTORS.get(vector).get("stdout_json"));
    }

    private static JsonNode strings(JsonNode n) {
        if (n instanceof ObjectNode o) {
            ObjectNode copy = Gateway.JSON.createObjectNode();
            o.fields().forEachRemaining(f -> copy.set(f.getKey(), strings(f.getValue())));
            return copy;
        }
        if (n instanceof ArrayNode a) {
            ArrayNode copy = Gateway.JSON.createArrayNode();
            a.forEach(e -> copy.add(strings(e)));
            return copy;
        }
        return n.isNumber() ? Gateway.JSON.getNodeFactory().textNode(n.asText()) : n;
    }

    private static String print(Output.Format format, Consumer<Output> call) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        call.accept(new Output(out, format, false));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void keyValueAnswersInJson() {
        for (String v : List.of("put", "put_prev_kv", "get", "get_prefix", "get_prefix_limit", "get_missing", "get_for_rev"))
            assertThat(print(Output.Format.JSON, o -> o.get(gatewayOf(v), false))).as(v).isEqualTo(stdout(v));
        assertThat(print(Output.Format.JSON, o -> o.del(gatewayOf("del_prev_kv")))).isEqualTo(stdout("del_prev_kv"));
        assertThat(print(Output.Format.JSON, o -> o.revoke(1, gatewayOf("lease_revoke")))).isEqualTo(stdout("lease_revoke"));
        assertThat(print(Output.Format.JSON, o -> o.memberList(gatewayOf("member_list")))).isEqualTo(stdout("member_list"));
        assertThat(print(Output.Format.JSON, o -> o.alarms(json("{}")))).isEqualTo(stdout("alarm_list"));
        assertThat(print(Output.Format.SIMPLE, o -> o.alarms(json("{}")))).isEmpty();
    }

    @Test
    void keyValueAnswersInSimpleForm() {
        assertThat(print(Output.Format.SIMPLE, o -> o.put(gatewayOf("put")))).isEqualTo(stdout("put_simple_output"));
        assertThat(print(Output.Format.SIMPLE, o -> o.get(json("{\"header\":" + header(52) + ",\"kvs\":[{\"key\":\"Y3RsL2E=\",\"value\":\"Mg==\"},"
                + "{\"key\":\"Y3RsL2I=\",\"value\":\"eA==\"}],\"count\":\"2\"}"), false))).isEqualTo(stdout("get_simple"));
        assertThat(print(Output.Format.SIMPLE, o -> o.del(gatewayOf("del_prev_kv")))).isEqualTo("1\nctl/b\nx\n");
        assertThat(print(Output.Format.SIMPLE, o -> o.del(json("{\"header\":" + header(3) + "}")))).isEqualTo("0\n");
        assertThat(print(Output.Format.SIMPLE, o -> o.compaction(57))).isEqualTo(stdout("compaction"));
    }

    @Test
    void txnAnswers() {
        ObjectNode success = json("{\"header\":" + header(54) + ",\"succeeded\":true,\"responses\":[{\"response_put\":{\"header\":{\"revision\":\"54\"}}}]}");
        assertThat(print(Output.Format.JSON, o -> o.txn(success))).isEqualTo(stdout("txn_success"));
        ObjectNode failure = json("{\"header\":" + header(54) + ",\"responses\":[{\"response_range\":{\"header\":{\"revision\":\"54\"},"
                + "\"kvs\":[{\"key\":\"Y3RsL2E=\",\"create_revision\":\"50\",\"mod_revision\":\"54\",\"version\":\"3\",\"value\":\"Mw==\"}],\"count\":\"1\"}}]}");
        assertThat(print(Output.Format.JSON, o -> o.txn(failure))).isEqualTo(stdout("txn_failure"));
        ObjectNode simple = json("{\"header\":" + header(54) + ",\"succeeded\":true,\"responses\":[{\"response_range\":{\"header\":{\"revision\":\"54\"},"
                + "\"kvs\":[{\"key\":\"Y3RsL2E=\",\"create_revision\":\"50\",\"mod_revision\":\"54\",\"version\":\"3\",\"value\":\"Mw==\"}],\"count\":\"1\"}}]}");
        assertThat(print(Output.Format.SIMPLE, o -> o.txn(simple))).isEqualTo(stdout("txn_simple"));
    }

    @Test
    void leaseAnswers() {
        String id = "8051488401425068429";
        assertThat(print(Output.Format.JSON, o -> o.grant(json("{\"header\":" + header(54) + ",\"ID\":\"" + id + "\",\"TTL\":\"60\"}"))))
                .isEqualTo(stdout("lease_grant"));
        assertThat(print(Output.Format.JSON, o -> o.timeToLive(json("{\"header\":" + header(55) + ",\"ID\":\"" + id
                + "\",\"TTL\":\"59\",\"grantedTTL\":\"60\",\"keys\":[\"Y3RsL2xlYXNlZA==\"]}"), true))).isEqualTo(stdout("lease_timetolive_keys"));
        assertThat(print(Output.Format.JSON, o -> o.leases(json("{\"header\":" + header(55) + ",\"leases\":[{\"ID\":\"-5\"},{\"ID\":\"1234\"},{\"ID\":\"" + id + "\"}]}"))))
                .isEqualTo(stdout("lease_list"));
        assertThat(print(Output.Format.JSON, o -> o.keepAlive(json("{\"header\":" + header(55) + ",\"ID\":\"" + id + "\",\"TTL\":\"60\"}"))))
                .isEqualTo(stdout("lease_keepalive_once"));

        assertThat(print(Output.Format.SIMPLE, o -> o.grant(json("{\"header\":" + header(54) + ",\"ID\":\"" + id + "\",\"TTL\":\"60\"}"))))
                .isEqualTo("lease 6fbca20ae01e718d granted with TTL(60s)\n");
        assertThat(print(Output.Format.SIMPLE, o -> o.timeToLive(json("{\"header\":" + header(55) + ",\"ID\":\"" + id
                + "\",\"TTL\":\"59\",\"grantedTTL\":\"60\",\"keys\":[\"Y3RsL2xlYXNlZA==\",\"YQ==\"]}"), true)))
                .isEqualTo("lease 6fbca20ae01e718d granted with TTL(60s), remaining(59s), attached keys([ctl/leased a])\n");
        assertThat(print(Output.Format.SIMPLE, o -> o.timeToLive(json("{\"header\":" + header(55) + ",\"ID\":\"999\",\"TTL\":\"-1\"}"), false)))
                .isEqualTo("lease 00000000000003e7 already expired\n");
        assertThat(print(Output.Format.SIMPLE, o -> o.leases(json("{\"header\":" + header(55) + ",\"leases\":[{\"ID\":\"-5\"},{\"ID\":\"1234\"}]}"))))
                .isEqualTo("found 2 leases\n-000000000000005\n00000000000004d2\n");
        assertThat(print(Output.Format.SIMPLE, o -> o.keepAlive(json("{\"header\":" + header(55) + ",\"ID\":\"1234\",\"TTL\":\"60\"}"))))
                .isEqualTo("lease 00000000000004d2 keepalived with TTL(60)\n");
        assertThat(print(Output.Format.SIMPLE, o -> o.revoke(1234, json("{\"header\":" + header(56) + "}")))).isEqualTo("lease 00000000000004d2 revoked\n");
    }

    @Test
    void watchMessages() {
        ObjectNode put = json("{\"header\":" + header(57) + ",\"events\":[{\"kv\":{\"key\":\"Y3RsL3c=\",\"create_revision\":\"57\",\"mod_revision\":\"57\",\"version\":\"1\",\"value\":\"MQ==\"}}]}");
        ObjectNode delete = json("{\"header\":" + header(58) + ",\"events\":[{\"type\":\"DELETE\",\"kv\":{\"key\":\"Y3RsL3c=\",\"mod_revision\":\"58\"}}]}");
        assertThat(print(Output.Format.JSON, o -> {
            o.watch(put);
            o.watch(delete);
        })).isEqualTo(stdout("watch"));
        ObjectNode canceled = json("{\"header\":{\"cluster_id\":\"4865707205399774916\",\"member_id\":\"15261843957902045116\",\"raft_term\":\"2\"},"
                + "\"canceled\":true,\"compact_revision\":\"57\"}");
        assertThat(print(Output.Format.JSON, o -> o.watch(canceled))).isEqualTo(stdout("watch_compacted_rev"));
        assertThat(print(Output.Format.SIMPLE, o -> {
            o.watch(put);
            o.watch(delete);
        })).isEqualTo("PUT\nctl/w\n1\nDELETE\nctl/w\n\n");
    }

    @Test
    void endpointAndMemberAnswers() {
        ObjectNode status = json("{\"header\":" + header(56) + ",\"version\":\"3.4.23\",\"dbSize\":\"20480\",\"leader\":\"15261843957902045116\","
                + "\"raftIndex\":\"86\",\"raftTerm\":\"2\",\"raftAppliedIndex\":\"86\",\"dbSizeInUse\":\"16384\"}");
        List<Output.EndpointStatus> one = List.of(new Output.EndpointStatus("http://127.0.0.1:2379", status));
        assertThat(print(Output.Format.JSON, o -> o.endpointStatus(one))).isEqualTo(stdout("endpoint_status"));
        assertThat(print(Output.Format.SIMPLE, o -> o.endpointStatus(one))).isEqualTo(stdout("endpoint_status_table"));
        assertThat(print(Output.Format.SIMPLE, o -> o.memberList(gatewayOf("member_list"))))
                .isEqualTo("d3ccf63810316fbc, started, single, http://127.0.0.1:2380, http://127.0.0.1:2379, false\n");
        List<Output.EndpointHealth> health = List.of(new Output.EndpointHealth("http://127.0.0.1:2379", true, java.time.Duration.ofNanos(1_810_161), null));
        assertThat(print(Output.Format.JSON, o -> o.endpointHealth(health, System.err))).isEqualTo(stdout("endpoint_health"));
        assertThat(print(Output.Format.SIMPLE, o -> o.endpointHealth(health, System.err)))
                .isEqualTo("http://127.0.0.1:2379 is healthy: successfully committed proposal: took = 1.810161ms\n");
    }

    @Test
    void simpleFormOptions() {
        ObjectNode range = json("{\"header\":" + header(5) + ",\"kvs\":[{\"key\":\"AP8=\",\"value\":\"YWI=\"},{\"key\":\"aw==\"}],\"count\":\"2\"}");
        assertThat(print(Output.Format.SIMPLE, o -> o.get(range, true))).isEqualTo("ab\n\n");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new Output(new PrintStream(bytes, true, StandardCharsets.UTF_8), Output.Format.SIMPLE, false).get(range, false);
        assertThat(bytes.toByteArray()).containsExactly(0, 0xff - 256, '\n', 'a', 'b', '\n', 'k', '\n', '\n'); // the bytes as stored
        ByteArrayOutputStream hex = new ByteArrayOutputStream();
        new Output(new PrintStream(hex, true, StandardCharsets.UTF_8), Output.Format.SIMPLE, true).get(range, false);
        assertThat(hex.toString(StandardCharsets.UTF_8)).isEqualTo("\\x00\\xff\n\\x61\\x62\n\\x6b\n\n");
        assertThatThrownBy(() -> print(Output.Format.TABLE, o -> o.get(range, false))).isInstanceOf(Failure.Raised.class)
                .hasMessage("table not supported as output format");
    }
}
