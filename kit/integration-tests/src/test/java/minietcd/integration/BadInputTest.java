package minietcd.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import minietcd.kit.cluster.ClusterSpec;
import minietcd.kit.cluster.MemberMain;
import minietcd.kit.etcd.GatewayJson;
import minietcd.kit.raft.WalStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 3-member cluster fed garbage: request bodies mutated at random (cut, bytes changed, fields of the
 * wrong type, bad base64, huge limits), bodies over 1.5 MiB, unknown paths and methods. Every answer
 * must be etcd's: a 200 with JSON, an error body {@code {"error","message","code"}} with the HTTP status
 * etcd gives that code, or etcd's 404 and 405 pages; the cluster must keep serving, and every write
 * acknowledged before and during the barrage must still be there. A member whose log has a flipped
 * byte in the middle refuses to start, naming the file and the offset.
 */
class BadInputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> VALID = List.of(
            "{\"key\":\"Zm9v\",\"value\":\"YmFy\"}", "{\"key\":\"Zm9v\",\"range_end\":\"Zm9w\",\"limit\":\"10\",\"sort_order\":\"DESCEND\"}",
            "{\"key\":\"Zm9v\",\"prev_kv\":true}", "{\"compare\":[{\"key\":\"Zm9v\",\"target\":\"VALUE\",\"result\":\"EQUAL\",\"value\":\"YmFy\"}],"
                    + "\"success\":[{\"request_put\":{\"key\":\"Zm9v\",\"value\":\"YmF6\"}}],\"failure\":[{\"request_range\":{\"key\":\"Zm9v\"}}]}",
            "{\"TTL\":\"30\"}", "{\"ID\":\"7587862039397736833\",\"keys\":true}", "{\"revision\":\"1\"}");
    private static final List<String> RPCS = List.of("kv/put", "kv/range", "kv/deleterange", "kv/txn", "lease/grant", "lease/timetolive",
            "lease/revoke", "kv/compaction", "lease/leases", "maintenance/status");

    @TempDir Path dir;

    @Test
    void garbageGetsEtcdsErrorShapesAndTheClusterKeepsServingWithNothingAcknowledgedLost() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Random random = new Random(7);
        try (LocalCluster c = new LocalCluster(dir, 3)) {
            List<String> acknowledged = new ArrayList<>();
            int errors = 0;
            for (int i = 0; i < 600; i++) {
                int member = 1 + random.nextInt(3);
                if (i % 10 == 0) { // an honest write among the garbage
                    String key = "k" + i;
                    JsonNode put = c.post(member, "kv/put", "{\"key\":\"" + b64(key) + "\",\"value\":\"" + b64("v" + i) + "\"}");
                    if (put.has("header")) acknowledged.add(key);
                    continue;
                }
                String rpc = RPCS.get(random.nextInt(RPCS.size()));
                String path = random.nextInt(20) == 0 ? List.of("/v3/kv/nosuch", "/v3alpha/kv/range", "/v2/keys/foo", "/v3/kv", "/").get(random.nextInt(5)) : "/v3/" + rpc;
                String method = random.nextInt(25) == 0 ? List.of("GET", "PUT", "DELETE", "PATCH").get(random.nextInt(4)) : "POST";
                String body = mutate(VALID.get(random.nextInt(VALID.size())), random);
                HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(c.url(member) + path))
                        .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                if (res.statusCode() != 200) errors++;
                assertEtcdShape(res, path + " " + body);
            }
            String huge = "{\"key\":\"Ymln\",\"value\":\"" + "A".repeat(2_200_000) + "\"}";
            HttpResponse<String> big = http.send(HttpRequest.newBuilder(URI.create(c.url(2) + "/v3/kv/put"))
                    .POST(HttpRequest.BodyPublishers.ofString(huge)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(big.statusCode() + " " + big.body()).isEqualTo("400 " + GatewayJson.error(3, "etcdserver: request is too large"));
            HttpResponse<String> limit = http.send(HttpRequest.newBuilder(URI.create(c.url(3) + "/v3/kv/range"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"AA==\",\"range_end\":\"AA==\",\"limit\":\"9223372036854775807\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(limit.statusCode()).isEqualTo(200);

            assertThat(errors).as("the barrage was mostly refused, not mostly accepted").isGreaterThan(200);
            assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(55);
            for (String key : acknowledged)
                for (int m = 1; m <= 3; m++)
                    assertThat(c.post(m, "kv/range", "{\"key\":\"" + b64(key) + "\"}").path("count").asLong()).as("%s on member %d", key, m).isEqualTo(1);
        }
    }

    @Test
    void aMemberWhoseLogHasAFlippedByteInTheMiddleRefusesToStartNamingFileAndOffset() throws Exception {
        ClusterSpec spec;
        try (LocalCluster c = new LocalCluster(dir, 1)) {
            for (int i = 0; i < 20; i++) c.post(1, "kv/put", "{\"key\":\"" + b64("k" + i) + "\",\"value\":\"" + b64("v") + "\"}");
            spec = c.spec;
        }
        try (RandomAccessFile f = new RandomAccessFile(spec.memberDir(1).resolve("raft").resolve(WalStorage.FILE).toFile(), "rw")) {
            f.seek(100);
            int b = f.read();
            f.seek(100);
            f.write(b ^ 0x40);
        }
        assertThatThrownBy(() -> new MemberMain(spec, 1, System::currentTimeMillis).start())
                .hasMessageContaining("corrupt write-ahead log").hasMessageContaining(WalStorage.FILE).hasMessageContaining("offset");
    }

    static void assertEtcdShape(HttpResponse<String> res, String what) throws Exception {
        int status = res.statusCode();
        String body = res.body();
        if (status == 404 && !body.startsWith("{")) { // a path etcd does not serve (an unknown lease is a 404 with an error body)
            assertThat(body).as(what).isIn("Not Found\n", "404 page not found\n");
            return;
        }
        if (status == 405) {
            assertThat(body).as(what).isEqualTo("Method Not Allowed\n");
            return;
        }
        JsonNode n = JSON.readTree(body);
        if (status == 200) {
            assertThat(n.isObject()).as(what).isTrue();
            return;
        }
        assertThat(n.has("error") && n.has("message") && n.has("code")).as("an etcd error body for %s: %s", what, body).isTrue();
        assertThat(n.get("error").asText()).isEqualTo(n.get("message").asText());
        assertThat(status).as("the HTTP status etcd gives code %d (%s)", n.get("code").asInt(), what).isEqualTo(GatewayJson.httpStatus(n.get("code").asInt()));
    }

    /** A valid body spoiled one way or another, or left whole. */
    private static String mutate(String body, Random random) {
        StringBuilder s = new StringBuilder(body);
        switch (random.nextInt(7)) {
            case 0 -> s.setLength(random.nextInt(s.length() + 1)); // cut short
            case 1 -> { for (int i = 0; i < 3; i++) s.setCharAt(random.nextInt(s.length()), (char) (32 + random.nextInt(95))); }
            case 2 -> { return body.replace("\"Zm9v\"", random.nextBoolean() ? "\"Zm9\"" : "42"); } // bad base64, a number for bytes
            case 3 -> { return body.replace("\"10\"", "\"99999999999999999999\"").replace("true", "\"yes\""); } // overflow, a string for a bool
            case 4 -> { return body.replaceFirst("\\{", "["); }
            case 5 -> { return body + "}"; }
            default -> { }
        }
        return s.toString();
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
