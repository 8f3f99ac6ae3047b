package minietcd.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fuzzer of every request shape the gateway accepts, sent to a real 3-member cluster: puts of every
 * size up to past the limits, ranges with every option (revisions future, compacted and negative,
 * sort numbers out of range, limits huge), deletes, txns nested up to past etcd's op budget and as
 * wide as it allows, compares of every target, compactions (0, future, physical), leases with any id
 * and TTL, keep-alives, bodies too large and nested too deep. Every answer must be etcd's shape;
 * afterwards every member must be up, serving, and hold the same data at the same revision. The
 * budget is bounded ({@code -Dminietcd.fuzz=N} requests, 300 by default; the seed is printed with a
 * failure).
 */
class GatewayFuzzTest {
    private static final String[] KEYS = {"a", "b", "c", "ab", "b\u0000", "\u00ff", "k/1", "k/2"};
    private static final String[] TARGETS = {"VERSION", "CREATE", "MOD", "VALUE", "LEASE", "7"};
    private static final String[] RESULTS = {"EQUAL", "GREATER", "LESS", "NOT_EQUAL", "9"};

    @TempDir Path dir;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private Random random;
    private final List<Long> leases = new ArrayList<>();

    @Test
    void everyRequestShapeGetsEtcdsAnswerShapeAndEveryMemberEndsUpServingTheSameData() throws Exception {
        long seed = Long.getLong("minietcd.fuzz.seed", 1);
        int budget = Integer.getInteger("minietcd.fuzz", 300);
        random = new Random(seed);
        try (LocalCluster c = new LocalCluster(dir, 3)) {
            for (int i = 0; i < budget; i++) {
                String[] request = request();
                int member = 1 + random.nextInt(3);
                HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(c.url(member) + "/v3/" + request[0])).timeout(Duration.ofSeconds(20))
                        .POST(HttpRequest.BodyPublishers.ofString(request[1])).build(), HttpResponse.BodyHandlers.ofString());
                String what = "seed " + seed + ", request " + i + ": " + request[0] + " " + abbreviated(request[1]);
                BadInputTest.assertEtcdShape(res, what);
                if (request[0].equals("lease/grant") && res.statusCode() == 200) leases.add(Long.parseLong(new com.fasterxml.jackson.databind.ObjectMapper().readTree(res.body()).path("ID").asText()));
            }
            assertThat(c.post(3, "kv/put", "{\"key\":\"" + b64("end") + "\",\"value\":\"" + b64("ok") + "\"}").has("header")).as("seed %d: a write after the fuzzing", seed).isTrue();
            c.assertMembersHoldTheSame("seed " + seed + ", after the fuzzing");
        }
    }

    /** One request: its RPC and its body. */
    private String[] request() {
        return switch (random.nextInt(12)) {
            case 0, 1 -> new String[] {"kv/put", put()};
            case 2, 3 -> new String[] {"kv/range", range()};
            case 4 -> new String[] {"kv/deleterange", "{\"key\":\"" + key() + "\"" + opt("range_end", key()) + flag("prev_kv") + "}"};
            case 5, 6 -> new String[] {"kv/txn", txn(random.nextInt(8) == 0 ? 120 + random.nextInt(20) : random.nextInt(4))};
            case 7 -> new String[] {"kv/compaction", "{\"revision\":\"" + List.of(0, 1, 5, 50, 100000).get(random.nextInt(5)) + "\"" + flag("physical") + "}"};
            case 8 -> new String[] {"lease/grant", "{\"TTL\":\"" + List.of(-5, 0, 1, 60, Integer.MAX_VALUE).get(random.nextInt(5)) + "\"" + (random.nextInt(3) == 0 ? ",\"ID\":\"" + random.nextInt(1000) + "\"" : "") + "}"};
            case 9 -> new String[] {List.of("lease/revoke", "lease/timetolive", "lease/keepalive").get(random.nextInt(3)), "{\"ID\":\"" + lease() + "\"" + flag("keys") + "}"};
            case 10 -> new String[] {"lease/leases", "{}"};
            default -> hostile();
        };
    }

    private String[] hostile() {
        return switch (random.nextInt(4)) {
            case 0 -> new String[] {"kv/put", "{\"key\":\"" + key() + "\",\"value\":\"" + "A".repeat(3_000_000) + "\"}"}; // over gRPC's limit
            case 1 -> new String[] {"kv/txn", "{\"success\":[".repeat(3000) + "]}".repeat(3000)}; // nested far too deep to read
            case 2 -> new String[] {"kv/range", "[".repeat(5000)};
            default -> new String[] {"kv/txn", ImplausiblePeerMessagesTest.nested(120 + random.nextInt(220))};
        };
    }

    private String put() {
        int size = List.of(0, 1, 100, 10_000, 1_100_000, 1_200_000).get(random.nextInt(6));
        String value = Base64.getEncoder().encodeToString(new byte[size]);
        return "{\"key\":\"" + key() + "\",\"value\":\"" + value + "\"" + (random.nextInt(4) == 0 ? ",\"lease\":\"" + lease() + "\"" : "")
                + flag("prev_kv") + flag("ignore_value") + flag("ignore_lease") + "}";
    }

    private String range() {
        return "{\"key\":\"" + key() + "\"" + opt("range_end", random.nextBoolean() ? "AA==" : key())
                + (random.nextInt(3) == 0 ? ",\"limit\":\"" + List.of(-1, 0, 1, 2, Long.MAX_VALUE).get(random.nextInt(5)) + "\"" : "")
                + (random.nextInt(3) == 0 ? ",\"revision\":\"" + List.of(-3, 0, 1, 3, 10, 1_000_000).get(random.nextInt(6)) + "\"" : "")
                + (random.nextInt(4) == 0 ? ",\"sort_order\":" + random.nextInt(4) + ",\"sort_target\":" + random.nextInt(6) : "")
                + flag("serializable") + flag("keys_only") + flag("count_only")
                + (random.nextInt(5) == 0 ? ",\"min_mod_revision\":\"" + random.nextInt(20) + "\",\"max_create_revision\":\"" + random.nextInt(20) + "\"" : "") + "}";
    }

    /** A txn {@code depth} levels deep, each level with a few random compares and ops (as wide as 130 at times). */
    private String txn(int depth) {
        StringBuilder t = new StringBuilder("{\"compare\":[");
        int compares = depth > 3 ? random.nextInt(2) : random.nextInt(10) == 0 ? 129 : random.nextInt(3);
        for (int i = 0; i < compares; i++) {
            String target = TARGETS[random.nextInt(TARGETS.length)];
            t.append(i == 0 ? "" : ",").append("{\"key\":\"").append(random.nextInt(10) == 0 ? "" : key()).append("\",\"target\":")
                    .append(target.matches("\\d+") ? target : "\"" + target + "\"").append(",\"result\":").append(RESULTS[random.nextInt(RESULTS.length)].matches("\\d+") ? "9" : "\"" + RESULTS[random.nextInt(4)] + "\"")
                    .append(",\"version\":\"").append(random.nextInt(3)).append("\",\"value\":\"").append(key()).append("\"}");
        }
        t.append("],\"success\":[").append(ops(depth)).append("],\"failure\":[").append(depth > 3 ? "" : ops(depth)).append("]}"); // a deep chain nests in one branch
        return t.toString();
    }

    private String ops(int depth) {
        StringBuilder ops = new StringBuilder();
        int n = depth > 3 ? 1 : random.nextInt(4);
        for (int i = 0; i < n; i++) {
            ops.append(i == 0 ? "" : ",");
            switch (depth > 3 ? 3 : random.nextInt(4)) {
                case 0 -> ops.append("{\"request_put\":").append(put()).append("}");
                case 1 -> ops.append("{\"request_range\":").append(range()).append("}");
                case 2 -> ops.append("{\"request_delete_range\":{\"key\":\"").append(key()).append("\"}}");
                default -> ops.append(depth > 0 ? "{\"request_txn\":" + txn(depth - 1) + "}" : "{}");
            }
        }
        return ops.toString();
    }

    private String key() {
        return b64(KEYS[random.nextInt(KEYS.length)]);
    }

    private long lease() {
        return leases.isEmpty() || random.nextInt(4) == 0 ? random.nextInt(100) : leases.get(random.nextInt(leases.size()));
    }

    private String flag(String name) {
        return random.nextInt(4) == 0 ? ",\"" + name + "\":true" : "";
    }

    private String opt(String name, String b64) {
        return random.nextBoolean() ? ",\"" + name + "\":\"" + b64 + "\"" : "";
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String abbreviated(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "... (" + s.length() + " chars)";
    }
}
