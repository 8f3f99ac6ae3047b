package minietcd.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import minietcd.kit.cluster.ClusterSpec;
import minietcd.kit.cluster.MemberMain;

/**
 * A cluster of real members (files, H2, peers over HTTP on loopback) in this JVM, over the reference
 * solutions, whose clock a test can move on: each member's time is the wall clock plus {@link #offset}.
 */
final class LocalCluster implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    final ClusterSpec spec;
    final AtomicLong offset = new AtomicLong();
    private final MemberMain[] members;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final minietcd.kit.replica.StoreNode.Config config;

    LocalCluster(Path dir, int size) throws Exception {
        this(dir, size, minietcd.kit.replica.StoreNode.Config.DEFAULT);
    }

    LocalCluster(Path dir, int size, minietcd.kit.replica.StoreNode.Config config) throws Exception {
        this.config = config;
        spec = new ClusterSpec(size, freeBasePort(size), dir);
        members = new MemberMain[size + 1];
        for (int n : spec.members()) start(n);
        awaitLeader();
    }

    /** Starts member n (again) from its files. */
    void start(int n) {
        members[n] = new MemberMain(spec, n, () -> System.currentTimeMillis() + offset.get(), config).start();
    }

    /** Member n, or null while it is stopped. */
    MemberMain member(int n) {
        return members[n];
    }

    String url(int n) {
        return spec.clientUrl(n);
    }

    /** Stops member n cleanly. */
    void stop(int n) {
        members[n].close();
        members[n] = null;
    }

    JsonNode post(int n, String rpc, String body) throws Exception {
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(url(n) + "/v3/" + rpc)).timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(res.body());
    }

    /** The member that every running member names as leader, once they agree. */
    int awaitLeader() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            String leader = null;
            boolean agree = true;
            for (int n : spec.members()) {
                if (members[n] == null) continue;
                String l = post(n, "maintenance/status", "{}").path("leader").asText("");
                if (l.isEmpty() || (leader != null && !leader.equals(l))) agree = false;
                leader = l;
            }
            if (agree && leader != null) {
                for (int n : spec.members()) if (Long.toUnsignedString(minietcd.kit.replica.MemberIds.member(n)).equals(leader)) return n;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no leader that every member knows within 30 s");
    }

    /** Waits until every running member has applied the same entries. */
    void awaitApplied() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            String applied = null;
            boolean same = true;
            for (int n : spec.members()) {
                if (members[n] == null) continue;
                String a = post(n, "maintenance/status", "{}").path("raftAppliedIndex").asText();
                if (applied != null && !applied.equals(a)) same = false;
                applied = a;
            }
            if (same) return;
            Thread.sleep(20);
        }
        throw new AssertionError("the members did not apply the same entries within 30 s");
    }

    /** Once every running member has applied the same entries: fails unless each holds the same keys and values at the same revision. */
    void assertMembersHoldTheSame(String what) throws Exception {
        awaitApplied();
        String first = null;
        for (int n : spec.members()) {
            if (members[n] == null) continue;
            JsonNode all = post(n, "kv/range", "{\"key\":\"AA==\",\"range_end\":\"AA==\",\"serializable\":true}");
            String seen = all.path("header").path("revision").asText() + " " + all.path("kvs");
            if (first == null) first = seen;
            org.assertj.core.api.Assertions.assertThat(seen).as("%s: member %d holds the same keys and values at the same revision as the first", what, n).isEqualTo(first);
        }
    }

    @Override
    public void close() {
        for (int n = 1; n < members.length; n++) if (members[n] != null) members[n].close();
    }

    /** A base port whose client and peer ports are all free now. */
    static int freeBasePort(int size) throws IOException {
        Random random = new Random();
        for (int attempt = 0; attempt < 100; attempt++) {
            int base = 20_000 + random.nextInt(5_000);
            boolean free = true;
            for (int n = 0; n < size && free; n++) free = free(base + n * 10_000) && free(base + n * 10_000 + 1);
            if (free) return base;
        }
        throw new IOException("no free ports");
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
