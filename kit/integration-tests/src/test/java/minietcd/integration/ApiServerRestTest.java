package minietcd.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import minietcd.kit.apiserver.ApiServer;
import minietcd.kit.client.HttpEtcdClient;
import minietcd.kit.controlplane.ObjectJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API server's REST semantics over real HTTP, on a member of the kit's store with lab 5's
 * reference storage layer: Kubernetes' status codes, reasons and messages for bad input, paging,
 * the three patch formats, preconditions, binding, scale, and a watch from a compacted version.
 */
class ApiServerRestTest {
    @TempDir Path dir;
    private LocalCluster cluster;
    private HttpEtcdClient etcd;
    private ApiServer api;
    private String base;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        cluster = new LocalCluster(dir, 1);
        etcd = new HttpEtcdClient(List.of(cluster.url(1)), Duration.ofSeconds(10));
        api = new ApiServer(etcd, true).start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + api.port();
    }

    @AfterEach
    void stop() {
        api.close();
        etcd.close();
        cluster.close();
    }

    private record Reply(int code, JsonNode body, String text) {}

    private Reply send(String method, String path, String contentType, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (contentType != null) b.header("Content-Type", contentType);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = null;
        try {
            json = ObjectJson.MAPPER.readTree(r.body());
        } catch (Exception e) {
            // not JSON: the text says what it is
        }
        return new Reply(r.statusCode(), json, r.body());
    }

    private Reply json(String method, String path, String body) throws Exception {
        return send(method, path, "application/json", body);
    }

    private static void assertStatus(Reply r, String what, int code, String reason, String message) {
        assertThat(r.code).as(what + ": the HTTP code (body " + r.text + ")").isEqualTo(code);
        assertThat(r.body.path("kind").asText()).as(what + ": a Status object").isEqualTo("Status");
        assertThat(r.body.path("reason").asText()).as(what + ": the reason").isEqualTo(reason);
        assertThat(r.body.path("code").asInt()).as(what + ": the Status's code").isEqualTo(code);
        if (message != null) assertThat(r.body.path("message").asText()).as(what + ": the message").isEqualTo(message);
    }

    private static String pod(String name) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{\"containers\":[{\"name\":\"a\",\"image\":\"x:1\"}]}}";
    }

    @Test
    void badRequestsGetKubernetesStatusErrors() throws Exception {
        assertThat(send("GET", "/healthz", null, null).text).as("/healthz").isEqualTo("ok");
        assertThat(send("GET", "/version", null, null).body.path("major").asText()).as("/version's major").isEqualTo("1");
        assertStatus(send("GET", "/api/v1/deployments", null, null), "an unknown resource", 404, "NotFound", null);
        assertStatus(json("POST", "/api/v1/namespaces/default/pods", "{\"metadata\":{}}"), "a pod without a name", 422, "Invalid",
                "Pod \"\" is invalid: metadata.name: Required value: name or generateName is required");
        assertStatus(json("POST", "/api/v1/namespaces/default/pods", pod("Bad_Name")), "a pod with a bad name", 422, "Invalid", null);
        assertStatus(json("POST", "/api/v1/namespaces/nope/pods", pod("a")), "a pod in a namespace that does not exist", 404, "NotFound",
                "namespaces \"nope\" not found");
        assertStatus(json("POST", "/api/v1/namespaces/default/pods", pod("a").replace("\"metadata\":{", "\"metadata\":{\"namespace\":\"other\",")),
                "a pod whose namespace is not the URL's", 400, "BadRequest", "the namespace of the provided object does not match the namespace sent on the request");
        assertStatus(json("POST", "/api/v1/namespaces/default/pods", pod("a").replace("\"kind\":\"Pod\"", "\"kind\":\"Node\"")), "a Node posted as a pod", 400, "BadRequest", null);
        assertStatus(json("POST", "/api/v1/namespaces/default/pods", "{not json"), "a body that is not JSON", 400, "BadRequest", null);
        assertStatus(json("DELETE", "/api/v1/namespaces/default/pods", null), "a delete of the collection", 405, "MethodNotAllowed", null);
        assertStatus(send("GET", "/api/v1/namespaces/default/pods?limit=-1", null, null), "a negative limit", 400, "BadRequest", null);
        assertStatus(send("GET", "/api/v1/pods?labelSelector=a%20in%20b", null, null), "a label selector that cannot be read", 400, "BadRequest", null);
        assertStatus(send("GET", "/api/v1/nodes?fieldSelector=spec.nodeName%3Dx", null, null), "a field nodes cannot be selected by", 400, "BadRequest",
                "field label not supported: spec.nodeName");
        JsonNode created = json("POST", "/api/v1/namespaces/default/pods", pod("web")).body;
        assertThat(created.path("metadata").path("uid").asText()).as("the created pod's uid").isNotEmpty();
        assertThat(created.path("status").path("phase").asText()).as("a new pod's phase").isEqualTo("Pending");
        assertStatus(json("POST", "/api/v1/namespaces/default/pods", pod("web")), "the same pod again", 409, "AlreadyExists", "pods \"web\" already exists");
        assertStatus(json("DELETE", "/api/v1/namespaces/default/pods/web", "{\"preconditions\":{\"uid\":\"someone-else\"}}"), "a delete with another uid", 409, "Conflict", null);
        Reply deleted = json("DELETE", "/api/v1/namespaces/default/pods/web", "{\"preconditions\":{\"uid\":\"" + created.path("metadata").path("uid").asText() + "\"}}");
        assertThat(deleted.code).as("a delete with the right uid").isEqualTo(200);
        assertStatus(send("GET", "/api/v1/namespaces/default/pods/web", null, null), "the deleted pod", 404, "NotFound", "pods \"web\" not found");
    }

    @Test
    void pagesPatchesBindingsAndScale() throws Exception {
        for (int i = 0; i < 5; i++) assertThat(json("POST", "/api/v1/namespaces/default/pods", pod("p" + i)).code).as("create p" + i).isEqualTo(201);
        Reply first = send("GET", "/api/v1/namespaces/default/pods?limit=2", null, null);
        assertThat(first.body.path("kind").asText()).isEqualTo("PodList");
        assertThat(first.body.path("items")).as("the first page").hasSize(2);
        String token = first.body.path("metadata").path("continue").asText();
        Reply second = send("GET", "/api/v1/namespaces/default/pods?limit=2&continue=" + token, null, null);
        assertThat(second.body.path("items").get(0).path("metadata").path("name").asText()).as("the second page's first pod").isEqualTo("p2");
        assertThat(second.body.path("metadata").path("resourceVersion").asText()).as("the second page's resourceVersion").isEqualTo(first.body.path("metadata").path("resourceVersion").asText());

        Reply merged = send("PATCH", "/api/v1/namespaces/default/pods/p0", "application/merge-patch+json", "{\"metadata\":{\"labels\":{\"tier\":\"front\"}}}");
        assertThat(merged.body.path("metadata").path("labels").path("tier").asText()).as("a merge patch's label").isEqualTo("front");
        Reply jsonPatched = send("PATCH", "/api/v1/namespaces/default/pods/p0", "application/json-patch+json", "[{\"op\":\"add\",\"path\":\"/metadata/labels/env\",\"value\":\"dev\"}]");
        assertThat(jsonPatched.body.path("metadata").path("labels").size()).as("labels after a JSON patch").isEqualTo(2);
        Reply strategic = send("PATCH", "/api/v1/namespaces/default/pods/p0", "application/strategic-merge-patch+json",
                "{\"spec\":{\"containers\":[{\"name\":\"b\",\"image\":\"y:1\"}]}}");
        assertThat(strategic.body.path("spec").path("containers")).as("containers after a strategic patch adding one by name").hasSize(2);
        assertThat(Long.parseLong(strategic.body.path("metadata").path("generation").asText())).as("the generation after a change of spec").isEqualTo(2);
        assertStatus(send("PATCH", "/api/v1/namespaces/default/pods/p0", "application/apply-patch+yaml", "{}"), "a server-side apply", 415, "UnsupportedMediaType", null);
        Reply status = json("PUT", "/api/v1/namespaces/default/pods/p0/status", "{\"metadata\":{\"name\":\"p0\"},\"status\":{\"phase\":\"Running\"},\"spec\":{\"containers\":[]}}");
        assertThat(status.body.path("status").path("phase").asText()).as("the phase after a PUT of the status").isEqualTo("Running");
        assertThat(status.body.path("spec").path("containers")).as("the spec after a PUT of the status: unchanged").hasSize(2);

        String binding = "{\"apiVersion\":\"v1\",\"kind\":\"Binding\",\"metadata\":{\"name\":\"p1\"},\"target\":{\"kind\":\"Node\",\"name\":\"node-a\"}}";
        assertThat(json("POST", "/api/v1/namespaces/default/pods/p1/binding", binding).code).as("a binding").isEqualTo(201);
        assertThat(send("GET", "/api/v1/namespaces/default/pods/p1", null, null).body.path("spec").path("nodeName").asText()).as("the bound pod's node").isEqualTo("node-a");
        assertStatus(json("POST", "/api/v1/namespaces/default/pods/p1/binding", binding.replace("node-a", "node-b")), "a second binding", 409, "Conflict",
                "Operation cannot be fulfilled on pods \"p1\": pod p1 is already assigned to node \"node-a\"");
        assertThat(send("GET", "/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-a", null, null).body.path("items")).as("pods on node-a, across namespaces").hasSize(1);

        String rs = "{\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\",\"metadata\":{\"name\":\"web\"},\"spec\":{\"replicas\":2,\"selector\":{\"matchLabels\":{\"app\":\"web\"}},"
                + "\"template\":{\"metadata\":{\"labels\":{\"app\":\"web\"}},\"spec\":{\"containers\":[{\"name\":\"a\",\"image\":\"x:1\"}]}}}}";
        assertThat(json("POST", "/apis/apps/v1/namespaces/default/replicasets", rs).code).as("create a ReplicaSet").isEqualTo(201);
        Reply scale = send("GET", "/apis/apps/v1/namespaces/default/replicasets/web/scale", null, null);
        assertThat(scale.body.path("kind").asText()).isEqualTo("Scale");
        assertThat(scale.body.path("status").path("selector").asText()).as("the scale's selector").isEqualTo("app=web");
        assertThat(send("PATCH", "/apis/apps/v1/namespaces/default/replicasets/web/scale", "application/merge-patch+json", "{\"spec\":{\"replicas\":4}}")
                .body.path("spec").path("replicas").asInt()).as("replicas after a patch of the scale").isEqualTo(4);
        assertStatus(send("PATCH", "/apis/apps/v1/namespaces/default/replicasets/web/scale", "application/merge-patch+json", "{\"spec\":{\"replicas\":-1}}"),
                "a scale to -1", 422, "Invalid", null);
    }

    @Test
    void aWatchFromACompactedVersionSaysExpired() throws Exception {
        JsonNode a = json("POST", "/api/v1/namespaces/default/pods", pod("a")).body;
        json("POST", "/api/v1/namespaces/default/pods", pod("b"));
        JsonNode c = json("POST", "/api/v1/namespaces/default/pods", pod("c")).body;
        etcd.compact(Long.parseLong(c.path("metadata").path("resourceVersion").asText())).get();
        HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/namespaces/default/pods?watch=true&resourceVersion="
                + a.path("metadata").path("resourceVersion").asText())).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).as("a watch answers 200 and says the rest in its events").isEqualTo(200);
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            String line = lines.readLine();
            while (line != null && line.isBlank()) line = lines.readLine();
            JsonNode event = ObjectJson.MAPPER.readTree(line);
            assertThat(event.path("type").asText()).as("the first event of a watch from a compacted version").isEqualTo("ERROR");
            assertThat(event.path("object").path("code").asInt()).isEqualTo(410);
            assertThat(event.path("object").path("reason").asText()).isEqualTo("Expired");
            assertThat(lines.readLine()).as("what follows the ERROR: the stream's end").isNull();
        }
        assertStatus(send("GET", "/api/v1/namespaces/default/pods?resourceVersion=" + a.path("metadata").path("resourceVersion").asText(), null, null),
                "a list at a compacted version", 410, "Expired", "The resourceVersion for the provided list is too old.");
    }
}
