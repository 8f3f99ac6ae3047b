package minietcd.kit.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import minietcd.kit.controlplane.ObjectJson;
import minietcd.kit.controlplane.Resource;
import minietcd.kit.controlplane.StatusException;
import org.junit.jupiter.api.Test;

/** The API server's parts that need no store: paths, patches, the protobuf namespace, tables, discovery. */
class ApiServerPartsTest {
    private static JsonNode json(String s) throws Exception {
        return ObjectJson.MAPPER.readTree(s);
    }

    @Test
    void pathsNameResourceNamespaceNameAndSubresource() {
        assertThat(ApiPath.parse("/api/v1/namespaces/default/pods/web/status")).contains(new ApiPath(Resource.PODS, "default", "web", "status"));
        assertThat(ApiPath.parse("/api/v1/pods")).contains(new ApiPath(Resource.PODS, "", "", ""));
        assertThat(ApiPath.parse("/api/v1/namespaces/kube-system")).contains(new ApiPath(Resource.NAMESPACES, "", "kube-system", ""));
        assertThat(ApiPath.parse("/api/v1/namespaces")).contains(new ApiPath(Resource.NAMESPACES, "", "", ""));
        assertThat(ApiPath.parse("/api/v1/nodes/n1")).contains(new ApiPath(Resource.NODES, "", "n1", ""));
        assertThat(ApiPath.parse("/apis/apps/v1/namespaces/a/replicasets/rs/scale")).contains(new ApiPath(Resource.REPLICASETS, "a", "rs", "scale"));
        assertThat(ApiPath.parse("/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases")).contains(new ApiPath(Resource.LEASES, "kube-node-lease", "", ""));
        assertThat(ApiPath.parse("/healthz")).isEmpty();
        for (String bad : new String[] {"/api/v1/deployments", "/apis/apps/v1/pods", "/api/v1/pods/web", "/api/v1/namespaces/a/nodes/n", "/api/v1/namespaces/a/pods/w/exec"})
            assertThatThrownBy(() -> ApiPath.parse(bad)).as(bad).isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.code()).isEqualTo(404));
    }

    @Test
    void compactionIntervalsReadAsKubernetesDurations() {
        assertThat(ApiServerMain.interval("5m")).isEqualTo(300_000);
        assertThat(ApiServerMain.interval("1m30s")).isEqualTo(90_000);
        assertThat(ApiServerMain.interval("0")).isZero();
        assertThatThrownBy(() -> ApiServerMain.interval("five")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5m, 90s or 1m30s");
    }

    @Test
    void mergePatchesFollowRfc7386() throws Exception {
        ObjectNode target = (ObjectNode) json("{\"a\":{\"b\":1,\"c\":2},\"l\":[1,2]}");
        assertThat(Patches.apply(Patches.MERGE, target, json("{\"a\":{\"b\":null,\"d\":3},\"l\":[3]}"))).isEqualTo(json("{\"a\":{\"c\":2,\"d\":3},\"l\":[3]}"));
        assertThat(target).as("the target is left alone").isEqualTo(json("{\"a\":{\"b\":1,\"c\":2},\"l\":[1,2]}"));
    }

    @Test
    void jsonPatchesFollowRfc6902() throws Exception {
        ObjectNode target = (ObjectNode) json("{\"spec\":{\"replicas\":1},\"l\":[\"x\",\"y\"]}");
        String ops = "[{\"op\":\"test\",\"path\":\"/spec/replicas\",\"value\":1},{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":3},"
                + "{\"op\":\"add\",\"path\":\"/l/1\",\"value\":\"z\"},{\"op\":\"remove\",\"path\":\"/l/0\"},{\"op\":\"add\",\"path\":\"/m\",\"value\":{}},"
                + "{\"op\":\"copy\",\"from\":\"/spec\",\"path\":\"/m/s\"}]";
        assertThat(Patches.apply(Patches.JSON, target, json(ops))).isEqualTo(json("{\"spec\":{\"replicas\":3},\"l\":[\"z\",\"y\"],\"m\":{\"s\":{\"replicas\":3}}}"));
        assertThatThrownBy(() -> Patches.apply(Patches.JSON, target, json("[{\"op\":\"test\",\"path\":\"/spec/replicas\",\"value\":2}]")))
                .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.code()).isEqualTo(422));
        assertThatThrownBy(() -> Patches.apply("text/plain", target, json("{}"))).isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.code()).isEqualTo(415));
    }

    @Test
    void strategicMergePatchesMergeContainersByName() throws Exception {
        ObjectNode pod = (ObjectNode) json("{\"spec\":{\"containers\":[{\"name\":\"a\",\"image\":\"x:1\"},{\"name\":\"b\",\"image\":\"y:1\"}]}}");
        JsonNode patch = json("{\"$setElementOrder/containers\":[{\"name\":\"a\"},{\"name\":\"b\"}],"
                + "\"spec\":{\"containers\":[{\"name\":\"b\",\"image\":\"y:2\"},{\"name\":\"c\",\"image\":\"z:1\"},{\"name\":\"a\",\"$patch\":\"delete\"}]}}");
        assertThat(Patches.apply(Patches.STRATEGIC + "; charset=utf-8", pod, patch))
                .isEqualTo(json("{\"spec\":{\"containers\":[{\"name\":\"b\",\"image\":\"y:2\"},{\"name\":\"c\",\"image\":\"z:1\"}]}}"));
    }

    @Test
    void aProtobufNamespaceIsReadAndOtherProtobufIsA415() {
        byte[] body = envelope("v1", "Namespace", message(1, concat(field(1, "team-a"), message(11, concat(field(1, "env"), field(2, "dev"))))));
        ObjectNode ns = Protobuf.decode(body);
        assertThat(ObjectJson.name(ns)).isEqualTo("team-a");
        assertThat(ObjectJson.labels(ns)).containsEntry("env", "dev");
        assertThatThrownBy(() -> Protobuf.decode(envelope("v1", "Pod", message(1, field(1, "p")))))
                .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.getMessage()).contains("kubectl apply -f"));
        assertThatThrownBy(() -> Protobuf.decode(new byte[] {'k', '8', 's', 0, 10, 100})).isInstanceOf(StatusException.class);
    }

    @Test
    void ageIsKubectlsShortForm() {
        Instant now = Instant.parse("2026-01-02T00:00:00Z");
        assertThat(Tables.age("2026-01-01T23:59:18Z", now)).isEqualTo("42s");
        assertThat(Tables.age("2026-01-01T23:54:57Z", now)).isEqualTo("5m3s");
        assertThat(Tables.age("2026-01-01T20:48:00Z", now)).isEqualTo("3h12m");
        assertThat(Tables.age("2025-12-20T00:00:00Z", now)).isEqualTo("13d");
        assertThat(Tables.age("", now)).isEqualTo("<unknown>");
    }

    @Test
    void discoveryListsEveryResourceWithItsSubresources() {
        JsonNode core = Discovery.resources("v1").orElseThrow();
        assertThat(core.path("resources").findValuesAsText("name")).contains("pods", "pods/binding", "pods/status", "nodes", "namespaces", "events");
        assertThat(Discovery.resources("apps/v1").orElseThrow().path("resources").findValuesAsText("name")).containsExactly("replicasets", "replicasets/scale", "replicasets/status");
        assertThat(Discovery.resources("batch/v1")).isEmpty();
        assertThat(Discovery.groups().path("groups").findValuesAsText("name")).containsExactly("apps", "coordination.k8s.io");
        assertThat(OpenApi.document("apis/apps/v1").orElseThrow().toString()).contains("fieldValidation").contains("\"kind\":\"ReplicaSet\"");
    }

    private static byte[] envelope(String apiVersion, String kind, byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {'k', '8', 's', 0});
        out.writeBytes(message(1, concat(field(1, apiVersion), field(2, kind))));
        out.writeBytes(message(2, raw));
        return out.toByteArray();
    }

    private static byte[] field(int n, String s) {
        return message(n, s.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] message(int n, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(n << 3 | 2);
        out.write(body.length); // the tests' messages are all shorter than 128 bytes
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }
}
