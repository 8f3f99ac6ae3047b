package minietcd.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import minietcd.kit.check.History;
import minietcd.kit.check.Linearizability;
import minietcd.kit.cluster.ClusterSpec;
import minietcd.kit.harness.KvCalls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jepsen's kind of test on real processes: three members (the reference solutions, with their file
 * logs and H2 stores) on loopback, clients doing put, get, delete and compare-and-set over HTTP,
 * while members are killed with SIGKILL and started again, a bounded number of times. Then nothing
 * acknowledged may be lost (the history, closed by a final read of every key, must be linearizable)
 * and every member must hold the same data at every revision.
 */
class RealClusterFaultTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> KEYS = List.of("x", "y", "z");
    private static final int CLIENTS = 4, KILLS = 4;

    @TempDir Path dir;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(1)).build();

    @Test
    void membersKilledWithSigkillAndRestartedLoseNothingAcknowledgedAndEndIdentical() throws Exception {
        ClusterSpec spec = new ClusterSpec(3, LocalCluster.freeBasePort(3), dir);
        Process[] members = new Process[4];
        try {
            for (int n : spec.members()) members[n] = start(spec, n);
            for (int n : spec.members()) awaitHealthy(spec, n);
            History history = new History();
            AtomicBoolean running = new AtomicBoolean(true);
            List<Thread> clients = new ArrayList<>();
            for (int c = 1; c <= CLIENTS; c++) {
                int client = c;
                Thread t = new Thread(() -> clientLoop(spec, history, client, running), "client-" + c);
                t.start();
                clients.add(t);
            }
            Random random = new Random(42);
            for (int k = 0; k < KILLS; k++) {
                Thread.sleep(1_500);
                int victim = 1 + random.nextInt(3);
                members[victim].destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL
                Thread.sleep(1_000);
                members[victim] = start(spec, victim);
                awaitHealthy(spec, victim);
            }
            Thread.sleep(1_500);
            running.set(false);
            for (Thread t : clients) t.join(30_000);

            for (String key : KEYS) { // the last word: what every acknowledged write must add up to
                History.Call call = History.Call.get(0, key);
                long id = history.invoke(call, System.nanoTime());
                history.complete(id, call(spec, 1, call, 10), System.nanoTime());
            }
            long ok = history.ops().stream().filter(o -> o.result() instanceof History.Result.Ok).count();
            assertThat(ok).as("calls answered while members were killed").isGreaterThan(100);
            Linearizability.Verdict verdict = Linearizability.check(history.ops());
            assertThat(verdict.ok()).as(verdict.describe()).isTrue();
            assertSameDataEverywhere(spec);
        } finally {
            for (Process p : members) if (p != null) p.destroyForcibly();
        }
    }

    private void clientLoop(ClusterSpec spec, History history, int client, AtomicBoolean running) {
        Random random = new Random(client);
        long seq = 0;
        String lastRead = null;
        while (running.get()) {
            String key = KEYS.get(random.nextInt(KEYS.size()));
            String value = "c" + client + "-" + (++seq);
            int dice = random.nextInt(100);
            History.Call call = dice < 35 ? History.Call.put(client, key, value)
                    : dice < 70 ? History.Call.get(client, key)
                    : dice < 80 ? History.Call.delete(client, key)
                    : History.Call.cas(client, key, lastRead, value);
            long id = history.invoke(call, System.nanoTime());
            History.Result r = call(spec, 1 + random.nextInt(3), call, 1);
            history.complete(id, r, System.nanoTime());
            if (call.kind() == History.Kind.GET && r instanceof History.Result.Ok o) lastRead = o.value();
        }
    }

    /** One call to member n, retried on another member only for reads that never reached anyone. */
    private History.Result call(ClusterSpec spec, int n, History.Call call, int attempts) {
        KvCalls.Request request = KvCalls.request(call);
        String why = "";
        for (int a = 0; a < attempts; a++) {
            int member = 1 + (n - 1 + a) % spec.size();
            try {
                HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(spec.clientUrl(member) + "/v3/" + request.rpc()))
                        .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(request.body())).build(), HttpResponse.BodyHandlers.ofString());
                if (res.statusCode() == 200) return KvCalls.answered(call, res.body());
                why = res.statusCode() + " " + res.body();
            } catch (IOException e) {
                why = "member " + member + ": " + e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return KvCalls.refused(call, "interrupted");
            }
        }
        return KvCalls.refused(call, why);
    }

    private void assertSameDataEverywhere(ClusterSpec spec) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<JsonNode> status;
        while (true) {
            status = new ArrayList<>();
            for (int n : spec.members()) status.add(post(spec, n, "maintenance/status", "{}"));
            boolean same = status.stream().map(s -> s.path("raftAppliedIndex").asText() + "/" + s.path("header").path("revision").asText()).distinct().count() == 1;
            if (same) break;
            if (System.nanoTime() > deadline) throw new AssertionError("members did not converge: " + status);
            Thread.sleep(200);
        }
        long revision = status.get(0).path("header").path("revision").asLong();
        assertThat(revision).isGreaterThan(50);
        for (long rev = 1; rev <= revision; rev++) {
            String body = "{\"key\":\"AA==\",\"range_end\":\"AA==\",\"serializable\":true,\"revision\":\"" + rev + "\"}";
            JsonNode first = post(spec, 1, "kv/range", body).path("kvs");
            for (int n = 2; n <= spec.size(); n++)
                assertThat(post(spec, n, "kv/range", body).path("kvs")).as("member %d's data at revision %d", n, rev).isEqualTo(first);
        }
    }

    private JsonNode post(ClusterSpec spec, int n, String rpc, String body) throws Exception {
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(spec.clientUrl(n) + "/v3/" + rpc))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).as("%s on member %d: %s", rpc, n, res.body()).isEqualTo(200);
        return JSON.readTree(res.body());
    }

    private static Process start(ClusterSpec spec, int n) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), "minietcd.kit.cluster.MemberMain"));
        cmd.addAll(spec.memberArgs(n));
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(spec.dataDir().resolve("member-" + n + ".log").toFile())).start();
    }

    private void awaitHealthy(ClusterSpec spec, int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(spec.clientUrl(n) + "/health")).timeout(Duration.ofSeconds(1)).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) return;
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(100);
        }
        Path log = spec.dataDir().resolve("member-" + n + ".log");
        List<String> lines = java.nio.file.Files.exists(log) ? java.nio.file.Files.readAllLines(log) : List.of();
        throw new AssertionError("member " + n + " did not answer /health with 200 within 30 s; the last lines of its log:\n  "
                + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
    }
}
