package minietcd.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import minietcd.kit.conformance.Recordings;
import minietcd.kit.replica.MemberIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * etcd 3.4.23's recorded exchanges replayed over HTTP against fresh replicated clusters of real
 * members (files, H2, peers over loopback) over the reference solutions: the one-member recording
 * against a 1-member and a 3-member cluster (each exchange sent to the next member in turn, so writes
 * are forwarded and reads confirmed through the leader), and the cluster recording, quorum loss
 * included, against a 3-member cluster. Our ids and terms are mapped to the recording's as text;
 * what differs for want of etcd's internals is listed in {@link GatewayReplayTest#KNOWN} and here.
 */
class ClusterReplayTest {
    private static final String SINGLE_MEMBER = "15261843957902045116", SINGLE_CLUSTER = "4865707205399774916";
    private static final String CLUSTER = "4329051600856346869";
    private static final String[] CLUSTER_MEMBERS = {null, "5255681448626999804", "2253061047073330011", "9193701935252368842"};

    @TempDir Path dir;

    @Test
    void theOneMemberRecordingOnAOneMemberCluster() throws Exception {
        try (LocalCluster c = new LocalCluster(dir.resolve("one"), 1)) {
            GatewayReplayTest.replaySingle(target(c)).check(133);
        }
    }

    @Test
    void theOneMemberRecordingOnAThreeMemberClusterAnsweredByEveryMember() throws Exception {
        try (LocalCluster c = new LocalCluster(dir.resolve("three"), 3)) {
            GatewayReplayTest.replaySingle(target(c)).check(133);
        }
    }

    @Test
    void theClusterRecordingIncludingQuorumLoss() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (LocalCluster c = new LocalCluster(dir.resolve("cluster"), 3)) {
            List<String> differ = new ArrayList<>();
            java.util.Map<String, String> ids = new java.util.HashMap<>(); // lease ids etcd chose -> ours
            int matched = 0;
            for (Recordings.Vector v : Recordings.load()) {
                if (!v.target().startsWith("cluster:m") || !v.name().startsWith("cluster_")) continue;
                int member = v.target().charAt("cluster:m".length()) - '0';
                if (v.path().endsWith("maintenance/status") || v.path().endsWith("member/list")) continue; // etcd's internals: checked below
                if (v.body().contains("serializable")) c.awaitApplied();
                HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(c.url(member) + v.path()))
                        .POST(HttpRequest.BodyPublishers.ofString(minietcd.kit.testing.RecordedReplay.mapIds(v.body(), ids))).build(), HttpResponse.BodyHandlers.ofString());
                if (v.rpc().equals("lease/grant"))
                    ids.put(v.responseRaw().replaceAll(".*\"ID\":\"(\\d+)\".*", "$1"), res.body().replaceAll(".*\"ID\":\"(\\d+)\".*", "$1"));
                String ours = asRecorded(res.body(), c), expected = minietcd.kit.testing.RecordedReplay.mapIds(v.responseRaw(), ids);
                if (res.statusCode() == v.status() && ours.equals(expected)) matched++;
                else differ.add(v.seq() + " " + v.name() + "\n   etcd: " + expected + "\n   ours: " + ours);
            }
            assertThat(differ).as("cluster exchanges that differ").isEmpty();
            assertThat(matched).isGreaterThanOrEqualTo(6);
            JsonNode members = c.post(1, "cluster/member/list", "{}").path("members");
            assertThat(members).hasSize(3);

            int leader = c.awaitLeader();
            c.post(leader, "kv/put", "{\"key\":\"cQ==\",\"value\":\"MQ==\"}"); // quorum_put_ok_before (its revision was etcd's 85482)
            c.awaitApplied();
            HttpResponse<String> healthy = http.send(HttpRequest.newBuilder(URI.create(c.url(leader) + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(healthy.statusCode() + " " + healthy.body()).as("/health with a leader").isEqualTo("200 {\"health\":\"true\"}");
            for (int n = 1; n <= 3; n++) if (n != leader) c.stop(n);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (c.post(leader, "maintenance/status", "{}").has("leader")) { // CheckQuorum: a leader without a quorum steps down
                assertThat(System.nanoTime()).as("the lone leader stepped down within 10 s").isLessThan(deadline);
                Thread.sleep(50);
            }
            HttpResponse<String> alone = http.send(HttpRequest.newBuilder(URI.create(c.url(leader) + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(alone.statusCode() + " " + alone.body()).as("/health without a leader, as etcd 3.4 answers it").isEqualTo("503 {\"health\":\"false\"}\n");
            assertThat(alone.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
            for (Recordings.Vector v : Recordings.load()) {
                if (!v.target().endsWith("(alone)")) continue;
                CompletableFuture<HttpResponse<String>> answer = http.sendAsync(HttpRequest.newBuilder(URI.create(c.url(leader) + v.path()))
                        .POST(HttpRequest.BodyPublishers.ofString(v.body())).build(), HttpResponse.BodyHandlers.ofString());
                Thread.sleep(50); // the request reaches the member before its clock jumps
                c.offset.addAndGet(8_000); // etcd answered after about 7 s; here the clock moves on instead
                HttpResponse<String> res = answer.get(20, TimeUnit.SECONDS);
                if (v.path().endsWith("maintenance/status")) {
                    JsonNode s = new com.fasterxml.jackson.databind.ObjectMapper().readTree(res.body());
                    assertThat(s.has("leader")).as("a lone member knows no leader: " + res.body()).isFalse();
                    assertThat(s.path("errors").toString()).isEqualTo("[\"etcdserver: no leader\"]");
                } else if (v.status() == 200) {
                    assertThat(res.statusCode()).as(v.name()).isEqualTo(200);
                    assertThat(res.body()).as(v.name()).contains("\"kvs\"");
                } else {
                    assertThat(res.statusCode() + " " + res.body()).as(v.name()).isEqualTo(v.status() + " " + v.responseRaw());
                }
            }
        }
    }

    /** Our cluster's ids as the cluster recording's: member n as m{n}, our term as 2. */
    private static String asRecorded(String body, LocalCluster c) {
        String out = body.replace("\"cluster_id\":\"" + Long.toUnsignedString(MemberIds.CLUSTER) + "\"", "\"cluster_id\":\"" + CLUSTER + "\"");
        for (int n = 1; n <= 3; n++) out = out.replace(Long.toUnsignedString(MemberIds.member(n)), CLUSTER_MEMBERS[n]);
        return out.replaceAll("\"raft_term\":\"\\d+\"", "\"raft_term\":\"2\"");
    }

    /** Sends each exchange to the next member in turn; ids and terms mapped to the one-member recording's. */
    /** Whether etcd serves the exchange's request from a member's own store (an empty txn is one: it has no range that is not serializable). */
    private static boolean serializable(Recordings.Vector v) {
        if (v.rpc() == null || v.body() == null) return false;
        try {
            return minietcd.kit.etcd.GatewayRpc.decode(v.rpc(), v.body(), minietcd.kit.etcd.GatewayRpc.MAX_REQUEST_BYTES).isSerializable();
        } catch (RuntimeException refused) {
            return false;
        }
    }

    private static GatewayReplayTest.Target target(LocalCluster c) {
        int[] next = {0};
        return new GatewayReplayTest.Target() {
            @Override
            public String url(Recordings.Vector v) throws Exception {
                if (v.path().equals("/v3/watch")) return c.url(1);
                if (serializable(v)) {
                    c.awaitApplied(); // a serializable read is answered from the member's own store: let it catch up first
                    return c.url(1);
                }
                return c.url(1 + next[0]++ % c.spec.size());
            }

            @Override
            public String asEtcd(String body) {
                String out = body.replace("\"cluster_id\":\"" + Long.toUnsignedString(MemberIds.CLUSTER) + "\"", "\"cluster_id\":\"" + SINGLE_CLUSTER + "\"");
                for (int n = 1; n <= c.spec.size(); n++) out = out.replace(Long.toUnsignedString(MemberIds.member(n)), SINGLE_MEMBER);
                return out.replaceAll("\"raft_term\":\"\\d+\"", "\"raft_term\":\"2\"").replaceAll("\"raftTerm\":\"\\d+\"", "\"raftTerm\":\"2\"");
            }

            @Override
            public void pass(long millis, boolean expiry) throws Exception {
                c.offset.addAndGet(millis);
                if (!expiry) return;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (c.post(1, "lease/timetolive", "{\"ID\":\"4242\"}").path("TTL").asLong() != -1) { // the leader revokes it on its next tick
                    if (System.nanoTime() > deadline) throw new AssertionError("the expired lease was not revoked within 10 s");
                    Thread.sleep(20);
                }
                c.awaitApplied();
            }

            @Override
            public AtomicLong clock() {
                return c.offset; // what a watch replay adds moves the members' clocks on
            }
        };
    }
}
