package minietcd.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import minietcd.kit.apiserver.ApiServer;
import minietcd.kit.bench.EtcdCluster;
import minietcd.kit.bench.EtcdInstall;
import minietcd.kit.client.HttpEtcdClient;
import minietcd.kit.controlplane.ObjectJson;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The machine's real kubectl against the kit's API server (lab 5's reference storage layer), over the
 * kit's own store and over a real etcd 3.4.23 alike: discovery, namespaces, apply (created, unchanged,
 * configured), scale, run, label and selectors, NotFound, a stale update's 409, a watch stream, delete.
 * Skipped where kubectl (or, for the etcd run, etcd) is not installed; CI installs both.
 */
class KubectlTest {
    @TempDir Path dir;

    private Kubectl kubectl;

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"the kit's store", "etcd 3.4.23"})
    void kubectlWorksAgainstTheApiServer(String store) throws Exception {
        assumeTrue(EtcdInstall.onPath("kubectl").isPresent(), "kubectl is not installed");
        boolean etcd = store.startsWith("etcd");
        if (etcd) assumeTrue(EtcdInstall.onPath("etcd").isPresent(), "etcd is not installed");
        LocalCluster ours = etcd ? null : new LocalCluster(dir.resolve("ours"), 1);
        EtcdCluster theirs = etcd ? EtcdCluster.start(EtcdInstall.onPath("etcd").get(), 1, dir, Duration.ofSeconds(60)) : null;
        List<String> urls = etcd ? theirs.clientUrls().stream().map(URI::toString).toList() : List.of(ours.url(1));
        try (HttpEtcdClient client = new HttpEtcdClient(urls, Duration.ofSeconds(10));
             ApiServer api = new ApiServer(client, true).start("127.0.0.1", 0)) {
            String server = "http://127.0.0.1:" + api.port();
            kubectl = new Kubectl(dir, server);
            Path rs = dir.resolve("rs.yaml");
            Files.writeString(rs, Kubectl.frontendReplicaSet(""));

            assertThat(ok("get", "namespaces")).as("kubectl get namespaces").contains("default").contains("kube-system").contains("kube-node-lease");
            assertThat(ok("version")).as("kubectl version").contains("Server Version: v1.32");
            assertThat(ok("create", "namespace", "team-a")).as("kubectl create namespace (a protobuf body)").contains("namespace/team-a created");
            assertThat(ok("apply", "-f", rs.toString())).as("kubectl apply, first").contains("replicaset.apps/frontend created");
            assertThat(ok("apply", "-f", rs.toString())).as("kubectl apply, again").contains("replicaset.apps/frontend unchanged");
            Files.writeString(rs, Files.readString(rs).replace("replicas: 3", "replicas: 4"));
            assertThat(ok("apply", "-f", rs.toString())).as("kubectl apply, changed").contains("replicaset.apps/frontend configured");
            assertThat(ok("scale", "rs", "frontend", "--replicas=5")).as("kubectl scale").contains("replicaset.apps/frontend scaled");
            assertThat(ok("get", "rs", "frontend", "-o", "jsonpath={.spec.replicas} {.metadata.generation}")).as("replicas and generation after apply, apply, scale")
                    .isEqualTo("5 3");
            assertThat(ok("get", "rs")).as("kubectl get rs").containsPattern("frontend\\s+5\\s+0\\s+0");

            assertThat(ok("run", "web", "--image=nginx", "--labels=app=web")).as("kubectl run").contains("pod/web created");
            assertThat(ok("run", "db", "--image=redis", "-n", "team-a")).as("kubectl run in team-a").contains("pod/db created");
            assertThat(ok("get", "pods", "-l", "app=web", "-o", "name")).as("pods with app=web").isEqualTo("pod/web");
            assertThat(ok("get", "pods", "-A", "-o", "name")).as("pods in every namespace").contains("pod/web").contains("pod/db");
            assertThat(ok("get", "pods", "--field-selector", "metadata.namespace=team-a", "-A", "-o", "name")).as("pods by field").isEqualTo("pod/db");
            assertThat(ok("get", "pods", "-o", "wide")).as("kubectl get pods -o wide").containsPattern("web\\s+0/1\\s+Pending\\s+0\\s+\\S+\\s+<none>\\s+<none>");
            Kubectl.Run missing = kubectl("get", "pod", "nope");
            assertThat(missing.code()).as("kubectl get of a missing pod exits 1").isEqualTo(1);
            assertThat(missing.out()).as("its message").contains("Error from server (NotFound): pods \"nope\" not found");

            HttpClient http = HttpClient.newHttpClient();
            JsonNode before = ObjectJson.MAPPER.readTree(get(http, server + "/api/v1/namespaces/default/pods/web"));
            String rv = before.path("metadata").path("resourceVersion").asText();
            HttpRequest watch = HttpRequest.newBuilder(URI.create(server + "/api/v1/namespaces/default/pods?watch=true&resourceVersion=" + rv)).build();
            HttpResponse<InputStream> stream = http.send(watch, HttpResponse.BodyHandlers.ofInputStream());
            assertThat(ok("label", "pod", "web", "tier=front")).as("kubectl label").contains("pod/web labeled");
            ObjectNode stale = (ObjectNode) before.deepCopy();
            ((ObjectNode) stale.get("metadata")).putObject("annotations").put("note", "late");
            HttpResponse<String> conflict = http.send(HttpRequest.newBuilder(URI.create(server + "/api/v1/namespaces/default/pods/web"))
                    .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(stale.toString())).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(conflict.statusCode()).as("a PUT with the resourceVersion from before the label: " + conflict.body()).isEqualTo(409);
            assertThat(ObjectJson.MAPPER.readTree(conflict.body()).path("message").asText()).isEqualTo("Operation cannot be fulfilled on pods \"web\": "
                    + "the object has been modified; please apply your changes to the latest version and try again");
            assertThat(ok("delete", "pod", "web")).as("kubectl delete").contains("pod \"web\" deleted");
            assertThat(kubectl("get", "pod", "web").code()).as("kubectl get after the delete").isEqualTo(1);
            List<String> events = new ArrayList<>();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                while (events.size() < 2) {
                    String line = lines.readLine();
                    assertThat(line).as("the watch stream ended after " + events).isNotNull();
                    if (line.isBlank()) continue;
                    JsonNode e = ObjectJson.MAPPER.readTree(line);
                    events.add(e.path("type").asText() + " " + e.path("object").path("metadata").path("labels").path("tier").asText("-"));
                }
            }
            assertThat(events).as("the watch from resourceVersion " + rv).containsExactly("MODIFIED front", "DELETED front");
        } finally {
            if (ours != null) ours.close();
            if (theirs != null) theirs.close();
        }
    }

    private static String get(HttpClient http, String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET " + url + ": " + r.body()).isEqualTo(200);
        return r.body();
    }

    private String ok(String... args) throws Exception {
        return kubectl.ok(args);
    }

    private Kubectl.Run kubectl(String... args) throws Exception {
        return kubectl.run(args);
    }
}
