package minietcd.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import minietcd.kit.apiserver.ApiServer;
import minietcd.kit.bench.EtcdInstall;
import minietcd.kit.client.HttpEtcdClient;
import minietcd.kit.components.ComponentMain;
import minietcd.kit.controlplane.ObjectJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control plane at work under the machine's real kubectl: the kit's store, the API server, two
 * kubelets, two schedulers and two controller managers (lab 5's reference classes, leader-elected),
 * on 127.0.0.1. A ReplicaSet applied with kubectl gets its pods scheduled within the nodes' room and
 * Running; the leading scheduler and controller manager stop, their standbys take over the Leases,
 * and a scale-up is carried out by them; a kubelet dies, and its node's pods are made again on a
 * new node. kubectl's own {@code wait}, or a list and a watch, does the waiting.
 */
class ComponentsKubectlTest {
    @TempDir Path dir;
    private Kubectl kubectl;

    @Test
    void replicaSetsRunUnderStandbysToo() throws Exception {
        assumeTrue(EtcdInstall.onPath("kubectl").isPresent(), "kubectl is not installed");
        Map<String, Runnable> running = new LinkedHashMap<>();
        try (LocalCluster store = new LocalCluster(dir.resolve("store"), 1);
             HttpEtcdClient client = new HttpEtcdClient(List.of(store.url(1)), Duration.ofSeconds(10));
             ApiServer api = new ApiServer(client, true).start("127.0.0.1", 0)) {
            URI server = URI.create("http://127.0.0.1:" + api.port());
            kubectl = new Kubectl(dir, server.toString());
            for (String node : List.of("node-1", "node-2")) running.put(node, ComponentMain.start("kubelet", server, node, "1", "1Gi"));
            for (String role : List.of("scheduler", "controller-manager"))
                for (int i = 1; i <= 2; i++) running.put(role + "-" + i, ComponentMain.start(role, server, role + "-" + i, "", ""));
            Path rs = dir.resolve("rs.yaml");
            Files.writeString(rs, Kubectl.frontendReplicaSet("300m"));
            assertThat(ok("apply", "-f", rs.toString())).as("kubectl apply").contains("replicaset.apps/frontend created");
            ok("wait", "--for=jsonpath={.status.replicas}=3", "rs/frontend", "--timeout=60s");
            ok("wait", "--for=jsonpath={.status.phase}=Running", "pod", "-l", "tier=frontend", "--timeout=60s");
            assertThat(podsPerNode()).as("pods per node, three of 300m").containsOnlyKeys("node-1", "node-2").allSatisfy((n, count) -> assertThat(count).isLessThanOrEqualTo(3));
            assertThat(ok("get", "nodes")).as("kubectl get nodes").containsPattern("node-1\\s+Ready").containsPattern("node-2\\s+Ready");

            String scheduler = ok("get", "lease", "kube-scheduler", "-n", "kube-system", "-o", "jsonpath={.spec.holderIdentity}");
            String manager = ok("get", "lease", "kube-controller-manager", "-n", "kube-system", "-o", "jsonpath={.spec.holderIdentity}");
            assertThat(scheduler).as("the scheduler Lease's holder").isIn("scheduler-1", "scheduler-2");
            assertThat(manager).as("the controller manager Lease's holder").isIn("controller-manager-1", "controller-manager-2");
            running.remove(scheduler).run(); // a clean stop: it releases the Lease
            running.remove(manager).run();
            assertThat(ok("scale", "rs", "frontend", "--replicas=6")).as("kubectl scale").contains("scaled");
            ok("wait", "--for=jsonpath={.status.replicas}=6", "rs/frontend", "--timeout=60s");
            ok("wait", "--for=jsonpath={.status.phase}=Running", "pod", "-l", "tier=frontend", "--timeout=60s");
            assertThat(podsPerNode()).as("pods per node after the scale to 6, under the standbys").containsEntry("node-1", 3).containsEntry("node-2", 3);
            assertThat(ok("get", "lease", "kube-scheduler", "-n", "kube-system", "-o", "jsonpath={.spec.holderIdentity} {.spec.leaseTransitions}"))
                    .as("the scheduler Lease after its leader stopped").isEqualTo((scheduler.endsWith("1") ? "scheduler-2" : "scheduler-1") + " 1");
            assertThat(ok("get", "lease", "kube-controller-manager", "-n", "kube-system", "-o", "jsonpath={.spec.holderIdentity}"))
                    .as("the controller manager Lease after its leader stopped").isNotEqualTo(manager);

            // node-2's kubelet dies and node-3's starts: 40 s after node-2's last heartbeat its pods are deleted and made again on node-3
            running.remove("node-2").run();
            running.put("node-3", ComponentMain.start("kubelet", server, "node-3", "1", "1Gi"));
            boolean moved = awaitPods(server, pods -> pods.size() == 6 && pods.stream().allMatch(p -> p.path("status").path("phase").asText().equals("Running"))
                    && pods.stream().noneMatch(p -> p.path("spec").path("nodeName").asText().equals("node-2")), Duration.ofSeconds(120));
            assertThat(moved).as("six pods Running, none on node-2, within 120 s of its kubelet's death (pods per node: %s)", podsPerNode()).isTrue();
            assertThat(podsPerNode()).as("pods per node once node-2's were replaced").containsEntry("node-1", 3).containsEntry("node-3", 3);
            assertThat(ok("get", "node", "node-2", "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}")).as("node-2's Ready condition").isEqualTo("Unknown");
        } finally {
            running.values().forEach(Runnable::run);
        }
    }

    /**
     * Whether the ReplicaSet's pods come to satisfy {@code done} within {@code limit}: a list, then a
     * watch the server ends after 2 s (no event is missed: it starts at the list's version), again.
     */
    private static boolean awaitPods(URI server, java.util.function.Predicate<List<JsonNode>> done, Duration limit) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String pods = server + "/api/v1/namespaces/default/pods?labelSelector=tier%3Dfrontend";
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode list = ObjectJson.MAPPER.readTree(http.send(HttpRequest.newBuilder(URI.create(pods)).build(), HttpResponse.BodyHandlers.ofString()).body());
            List<JsonNode> items = new ArrayList<>();
            list.path("items").forEach(items::add);
            if (done.test(items)) return true;
            http.send(HttpRequest.newBuilder(URI.create(pods + "&watch=true&timeoutSeconds=2&resourceVersion=" + list.path("metadata").path("resourceVersion").asText()))
                    .build(), HttpResponse.BodyHandlers.ofString()); // returns once the server ends the watch
        }
        return false;
    }

    private Map<String, Integer> podsPerNode() throws Exception {
        Map<String, Integer> count = new TreeMap<>();
        for (String node : ok("get", "pods", "-l", "tier=frontend", "-o", "jsonpath={range .items[*]}{.spec.nodeName}{\"\\n\"}{end}").split("\n"))
            if (!node.isBlank()) count.merge(node.strip(), 1, Integer::sum);
        return count;
    }

    private String ok(String... args) throws Exception {
        return kubectl.ok(args);
    }
}
