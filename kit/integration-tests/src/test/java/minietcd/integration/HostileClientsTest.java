package minietcd.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import minietcd.kit.etcd.GatewayJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests that once destroyed a real 3-member cluster for good (the entry stayed in the log, so every
 * member died again at every restart), each sent as an attacker on the machine would send it: now each
 * is refused with etcd's error or answered, and every member stays up, serving, with the same data.
 */
class HostileClientsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir Path dir;

    private HttpResponse<String> post(String url, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static void allServingAndTheSame(LocalCluster c) throws Exception {
        assertThat(c.post(2, "kv/put", "{\"key\":\"" + b64("after") + "\",\"value\":\"" + b64("ok") + "\"}").has("header"))
                .as("a write after the abuse is acknowledged").isTrue();
        c.assertMembersHoldTheSame("after the abuse");
    }

    @Test
    void aTxnNestedPastEtcdsOpBudgetIsRefusedAtTheEdgeAndOneWithinItIsApplied() throws Exception {
        try (LocalCluster c = new LocalCluster(dir, 3)) {
            HttpResponse<String> deep = post(c.url(1) + "/v3/kv/txn", ImplausiblePeerMessagesTest.nested(333));
            assertThat(deep.statusCode() + " " + deep.body()).isEqualTo("400 " + GatewayJson.error(3, "etcdserver: too many operations in txn request"));
            HttpResponse<String> edge = post(c.url(2) + "/v3/kv/txn", ImplausiblePeerMessagesTest.nested(128));
            assertThat(edge.statusCode()).as("128 levels: etcd refuses it too").isEqualTo(400);
            HttpResponse<String> within = post(c.url(3) + "/v3/kv/txn", ImplausiblePeerMessagesTest.nested(127));
            assertThat(within.statusCode()).as("127 levels: etcd applies it").isEqualTo(200);
            HttpResponse<String> noKey = post(c.url(1) + "/v3/kv/txn", "{\"compare\":[{\"target\":\"VERSION\",\"result\":\"EQUAL\"}]}");
            assertThat(noKey.statusCode() + " " + noKey.body()).isEqualTo("400 " + GatewayJson.error(3, "etcdserver: key is not provided"));
            allServingAndTheSame(c);
        }
    }

    @Test
    void anAnswerTooLargeToHoldIsRefusedWithGrpcsErrorAndReadOnlyTxnsStayOutOfTheLog() throws Exception {
        try (LocalCluster c = new LocalCluster(dir, 3)) {
            String mb = Base64.getEncoder().encodeToString(new byte[1_000_000]);
            for (int i = 0; i < 12; i++) assertThat(post(c.url(1) + "/v3/kv/put", "{\"key\":\"" + b64("big" + i) + "\",\"value\":\"" + mb + "\"}").statusCode()).isEqualTo(200);
            c.awaitApplied();
            long applied = c.post(1, "maintenance/status", "{}").path("raftAppliedIndex").asLong();
            StringBuilder ranges = new StringBuilder();
            for (int i = 0; i < 127; i++) ranges.append(i == 0 ? "" : ",").append("{\"request_range\":{\"key\":\"").append(b64("big")).append("\",\"range_end\":\"").append(b64("bih")).append("\"}}");
            HttpResponse<String> readOnly = post(c.url(2) + "/v3/kv/txn", "{\"success\":[" + ranges + "]}");
            assertThat(readOnly.statusCode()).as("about 1.5 GB of answer: %s", readOnly.body()).isEqualTo(429);
            assertThat(JSON.readTree(readOnly.body()).path("error").asText()).startsWith("grpc: trying to send message larger than max (");
            assertThat(c.post(1, "maintenance/status", "{}").path("raftAppliedIndex").asLong()).as("a read-only txn is served without the log").isEqualTo(applied);
            HttpResponse<String> small = post(c.url(3) + "/v3/kv/txn", "{\"success\":[{\"request_range\":{\"key\":\"" + b64("big1") + "\",\"keys_only\":true}}]}");
            assertThat(small.statusCode()).isEqualTo(200);
            assertThat(small.body()).contains(b64("big1"));
            HttpResponse<String> writing = post(c.url(3) + "/v3/kv/txn", "{\"success\":[" + ranges + ",{\"request_put\":{\"key\":\"" + b64("w") + "\",\"value\":\"" + b64("1") + "\"}}]}");
            assertThat(writing.statusCode()).as("a write txn with the same answer goes through the log and fails alike on every member").isEqualTo(429);
            allServingAndTheSame(c);
        }
    }

    @Test
    void aHundredMebibytePutIsRefusedBeforeItIsReadWholeAndCostsNoElection() throws Exception {
        try (LocalCluster c = new LocalCluster(dir, 3)) {
            int leader = c.awaitLeader();
            String term = c.post(leader, "maintenance/status", "{}").path("raftTerm").asText();
            int size = 100 << 20;
            String head = "{\"key\":\"YQ==\",\"value\":\"", tail = "\"}";
            String answer;
            try (Socket s = new Socket("127.0.0.1", c.spec.clientPort(leader))) {
                OutputStream out = s.getOutputStream();
                out.write(("POST /v3/kv/put HTTP/1.1\r\nHost: x\r\nContent-Length: " + (head.length() + size + tail.length()) + "\r\n\r\n" + head).getBytes(StandardCharsets.US_ASCII));
                Thread sender = new Thread(() -> {
                    try {
                        byte[] chunk = "AAAA".repeat(16 * 1024).getBytes(StandardCharsets.US_ASCII);
                        for (int sent = 0; sent < size; sent += chunk.length) out.write(chunk);
                        out.write(tail.getBytes(StandardCharsets.US_ASCII));
                    } catch (java.io.IOException closed) {
                        // the server may close once it has answered
                    }
                });
                sender.setDaemon(true);
                sender.start();
                InputStream in = s.getInputStream();
                answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1); // the server closes after its answer
            }
            assertThat(answer).startsWith("HTTP/1.1 429").contains("grpc: received message larger than max");
            assertThat(c.post(leader, "maintenance/status", "{}").path("raftTerm").asText()).as("no election").isEqualTo(term);
            allServingAndTheSame(c);
        }
    }

    @Test
    void thePeerPortRefusesAnyoneWithoutTheClusterSecretAndTheLeaderKeepsLeading() throws Exception {
        try (LocalCluster c = new LocalCluster(dir, 3)) {
            int leader = c.awaitLeader(), follower = leader == 1 ? 2 : 1;
            String term = c.post(leader, "maintenance/status", "{}").path("raftTerm").asText();
            Path secret = dir.toAbsolutePath().resolve("peer-secret");
            assertThat(Files.getPosixFilePermissions(secret)).as("owner-only").hasSize(2);
            String forged = "[\"AppendEntries\",{\"term\":999,\"leader\":" + follower + ",\"prevIndex\":0,\"prevTerm\":0,\"entries\":[],\"leaderCommit\":0,\"readContext\":0}]\n";
            String forward = "[\"Forward\",{\"command\":\"garbage\"}]\n";
            for (String body : new String[] {forged, forward}) {
                HttpResponse<String> res = post("http://127.0.0.1:" + c.spec.peerPort(leader) + "/peer/" + follower, body);
                assertThat(res.statusCode()).as("a peer request without the secret").isEqualTo(401);
            }
            HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + c.spec.peerPort(leader) + "/peer/" + follower))
                    .header("Authorization", "Bearer " + "0".repeat(64)).POST(HttpRequest.BodyPublishers.ofString(forged)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(wrong.statusCode()).as("a wrong secret").isEqualTo(401);
            HttpResponse<String> garbage = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + c.spec.peerPort(leader) + "/peer/" + follower))
                    .header("Authorization", "Bearer " + Files.readString(secret).strip()).POST(HttpRequest.BodyPublishers.ofString(forward)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(garbage.statusCode()).as("with the secret a malformed forward is taken in, then dropped by the leader").isEqualTo(204);
            assertThat(c.post(leader, "maintenance/status", "{}").path("raftTerm").asText()).as("the leader did not step down").isEqualTo(term);
            allServingAndTheSame(c);
        }
    }

    @Test
    void aMemberWhoseDataDirectoryWasDeletedRefusesToStartInsteadOfServingAnEmptyStore() throws Exception {
        try (LocalCluster c = new LocalCluster(dir, 3)) {
            for (int i = 0; i < 5; i++) c.post(1, "kv/put", "{\"key\":\"" + b64("k" + i) + "\",\"value\":\"" + b64("v") + "\"}");
            c.awaitApplied();
            c.stop(2);
            try (var files = Files.walk(c.spec.memberDir(2))) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
            }
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> c.start(2)).hasMessageContaining("member 2 has run in this cluster before")
                    .hasMessageContaining("lost its data").hasMessageContaining("--fresh");
            assertThat(c.post(1, "kv/range", "{\"key\":\"" + b64("k4") + "\"}").path("count").asLong()).as("the others serve on").isEqualTo(1);
        }
    }
}
