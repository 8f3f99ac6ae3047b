package minietcd.kit.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import minietcd.kit.mvcc.Bytes;
import minietcd.kit.mvcc.EtcdException;
import minietcd.kit.mvcc.KeyValue;
import org.junit.jupiter.api.Test;

/** Kubernetes' object model as the kit gives it to lab 5: selectors, tokens, errors and the storage form. */
class ObjectModelTest {
    private static ObjectNode pod(String name, String node, String... labels) {
        ObjectNode o = ObjectJson.MAPPER.createObjectNode().put("kind", "Pod");
        ObjectNode meta = o.putObject("metadata").put("name", name).put("namespace", "default");
        ObjectNode l = meta.putObject("labels");
        for (int i = 0; i < labels.length; i += 2) l.put(labels[i], labels[i + 1]);
        o.putObject("spec").put("nodeName", node);
        return o;
    }

    @Test
    void labelSelectorsFollowKubernetesRules() {
        Map<String, String> labels = Map.of("app", "web", "tier", "front");
        assertThat(LabelSelector.parse("app=web,tier in (front, back)").matches(labels)).isTrue();
        assertThat(LabelSelector.parse("app==web").matches(labels)).isTrue();
        assertThat(LabelSelector.parse("app!=db").matches(labels)).isTrue();
        assertThat(LabelSelector.parse("env!=prod").matches(labels)).as("!= holds when the label is absent").isTrue();
        assertThat(LabelSelector.parse("env notin (prod)").matches(labels)).as("notin holds when the label is absent").isTrue();
        assertThat(LabelSelector.parse("env in (prod)").matches(labels)).isFalse();
        assertThat(LabelSelector.parse("app").matches(labels)).isTrue();
        assertThat(LabelSelector.parse("!app").matches(labels)).isFalse();
        assertThat(LabelSelector.parse("").matches(labels)).isTrue();
        assertThatThrownBy(() -> LabelSelector.parse("app=web=x")).isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.code()).isEqualTo(400));
        assertThatThrownBy(() -> LabelSelector.parse("app in web")).isInstanceOf(StatusException.class);
    }

    @Test
    void fieldSelectorsKnowEachResourcesFields() {
        ObjectNode p = pod("web-1", "node-2");
        assertThat(FieldSelector.parse("spec.nodeName=node-2", Resource.PODS).matches(p)).isTrue();
        assertThat(FieldSelector.parse("spec.nodeName=", Resource.PODS).matches(pod("x", ""))).as("an unscheduled pod").isTrue();
        assertThat(FieldSelector.parse("metadata.name!=web-1", Resource.PODS).matches(p)).isFalse();
        assertThatThrownBy(() -> FieldSelector.parse("spec.nodeName=a", Resource.NODES))
                .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.getMessage()).isEqualTo("field label not supported: spec.nodeName"));
    }

    @Test
    void continueTokensRoundTripAndRefuseForeignOnes() {
        ContinueToken t = ContinueToken.after("/registry/pods/default/web-1", "/registry/pods/default/", 42);
        ContinueToken back = ContinueToken.decode(t.encode());
        assertThat(back).isEqualTo(t);
        assertThat(back.startKey("/registry/pods/default/")).isEqualTo("/registry/pods/default/web-1\0");
        assertThat(t.encode()).doesNotContain("=").doesNotContain("+").doesNotContain("/");
        for (String bad : new String[] {"!!", "e30", ContinueToken.decode(t.encode()).encode().substring(3)})
            assertThatThrownBy(() -> ContinueToken.decode(bad)).isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.code()).isEqualTo(400));
        assertThatThrownBy(() -> ContinueToken.decode(new ContinueToken(1, "../secrets/x").encode())).isInstanceOf(StatusException.class);
    }

    @Test
    void objectsAreStoredWithoutTheirResourceVersion() {
        ObjectNode p = ObjectJson.withResourceVersion(pod("a", "n"), 7);
        Bytes stored = ObjectJson.forStorage(p);
        assertThat(stored.utf8()).doesNotContain("resourceVersion");
        assertThat(ObjectJson.resourceVersion(p)).as("the object handed in is left alone").isEqualTo("7");
        ObjectNode back = ObjectJson.fromStorage(new KeyValue(Bytes.of("/registry/pods/default/a"), 3, 9, 2, stored, 0), 9);
        assertThat(ObjectJson.resourceVersion(back)).isEqualTo("9");
        assertThat(back).isEqualTo(ObjectJson.withResourceVersion(p.deepCopy(), 9));
        assertThatThrownBy(() -> ObjectJson.fromStorage(new KeyValue(Bytes.of("k"), 1, 1, 1, Bytes.of("[1]"), 0), 1))
                .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.code()).isEqualTo(500));
    }

    @Test
    void statusErrorsAreKubernetesOwn() {
        ObjectNode s = StatusException.notFound(Resource.REPLICASETS, "web").status();
        assertThat(s.toString()).isEqualTo("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                + "\"message\":\"replicasets.apps \\\"web\\\" not found\",\"reason\":\"NotFound\",\"details\":{\"name\":\"web\",\"group\":\"apps\",\"kind\":\"replicasets\"},\"code\":404}");
        assertThat(StatusException.staleUpdate(Resource.PODS, "p").getMessage())
                .isEqualTo("Operation cannot be fulfilled on pods \"p\": the object has been modified; please apply your changes to the latest version and try again");
        StatusException compacted = StatusException.fromStore(new java.util.concurrent.CompletionException(EtcdException.compacted()), StatusException.LIST_EXPIRED);
        assertThat(compacted.code()).isEqualTo(410);
        assertThat(compacted.reason()).isEqualTo("Expired");
        assertThat(StatusException.fromStore(new EtcdException(EtcdException.DEADLINE_EXCEEDED, "context deadline exceeded"), "").code()).isEqualTo(504);
    }

    @Test
    void preconditionsNameWhatFailed() {
        ObjectNode p = ObjectJson.withResourceVersion(pod("a", "n"), 5);
        ObjectJson.metadata(p).put("uid", "u1");
        new Preconditions("u1", "5").check(Resource.PODS, p);
        assertThatThrownBy(() -> new Preconditions("u2", "").check(Resource.PODS, p)).hasMessage(
                "Operation cannot be fulfilled on pods \"a\": Precondition failed: UID in precondition: u2, UID in object meta: u1");
        assertThatThrownBy(() -> new Preconditions("", "4").check(Resource.PODS, p)).hasMessageContaining("ResourceVersion in precondition: 4");
    }
}
