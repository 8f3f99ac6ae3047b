package minietcd.controlplane;

import static minietcd.kit.harness.KubeObjects.node;
import static minietcd.kit.harness.KubeObjects.pod;
import static minietcd.kit.harness.KubeObjects.rv;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import minietcd.kit.controlplane.ContinueToken;
import minietcd.kit.controlplane.ListOptions;
import minietcd.kit.controlplane.ObjectJson;
import minietcd.kit.controlplane.ObjectList;
import minietcd.kit.controlplane.ObjectStore;
import minietcd.kit.controlplane.Preconditions;
import minietcd.kit.controlplane.Resource;
import minietcd.kit.controlplane.StatusException;
import minietcd.kit.controlplane.WatchEvent;
import minietcd.kit.controlplane.WatchOptions;
import minietcd.kit.harness.ApiStorage;
import minietcd.kit.mvcc.KeyValue;
import minietcd.kit.mvcc.KvResponse;
import minietcd.kit.sim.Faults;
import minietcd.kit.testing.Graded;
import minietcd.kit.testing.Seeds;

/**
 * Lab 5 part A: the API server's storage layer, on a simulated 3-member store, with the client of
 * each API server a node of the simulator.
 */
class ObjectStoreTest {
    /** The etcd key-value of {@code key}, read straight from the store. */
    static KeyValue raw(ApiStorage s, ApiStorage.Client c, String key) {
        KvResponse.Range r = s.await(c.etcd().get(key));
        assertThat(r.kvs()).as("the etcd key " + key).hasSize(1);
        return r.kvs().get(0);
    }

    /** A Status error's code, reason and message, each described. */
    static void assertStatus(StatusException e, String what, int code, String reason, String message) {
        assertThat(e.code()).as(what + ": the code of " + e).isEqualTo(code);
        assertThat(e.reason()).as(what + ": the reason").isEqualTo(reason);
        assertThat(e.getMessage()).as(what + ": Kubernetes' message").isEqualTo(message);
    }

    @Graded(lab = 5, part = "A", points = 4, value = "objects live under /registry/<resource>/<namespace>/<name> (nodes under minions), stored without their resourceVersion, which is the key's mod_revision")
    void keysAndResourceVersions(Seeds seeds) {
        seeds.run(5, run -> {
            ApiStorage s = new ApiStorage(run.seed(), Faults.RELIABLE, run.trace());
            ApiStorage.Client c = s.client();
            ObjectNode created = s.await(c.store(Resource.PODS).create(pod("default", "web")));
            KeyValue kv = raw(s, c, "/registry/pods/default/web");
            assertThat(rv(created)).as("the created pod's resourceVersion").isEqualTo(kv.modRevision());
            ObjectNode stored = ObjectJson.MAPPER.readValue(kv.value().toByteArray(), ObjectNode.class);
            assertThat(stored.path("metadata").has("resourceVersion")).as("the stored JSON has no resourceVersion: " + stored).isFalse();
            assertThat(ObjectJson.name(stored)).as("the stored object's name").isEqualTo("web");
            ObjectNode n = s.await(c.store(Resource.NODES).create(node("node-1")));
            assertThat(rv(n)).as("a node lives under /registry/minions/node-1").isEqualTo(raw(s, c, "/registry/minions/node-1").modRevision());
            ObjectNode got = s.await(c.store(Resource.PODS).get("default", "web", ""));
            assertThat(got).as("a get returns the object with its resourceVersion").isEqualTo(created);
        });
    }

    @Graded(lab = 5, part = "A", points = 4, value = "create succeeds only if the name is free (409 AlreadyExists) and refuses a resourceVersion (400); a missing object is 404")
    void createAndGet(Seeds seeds) {
        seeds.run(5, run -> {
            ApiStorage s = new ApiStorage(run.seed(), Faults.RELIABLE, run.trace());
            ObjectStore pods = s.client().store(Resource.PODS);
            ObjectNode first = s.await(pods.create(pod("default", "web", "app", "one")));
            StatusException again = s.failure(pods.create(pod("default", "web", "app", "two")));
            assertStatus(again, "creating pod web a second time", 409, "AlreadyExists", "pods \"web\" already exists");
            assertThat(s.await(pods.get("default", "web", ""))).as("the first create's object is kept").isEqualTo(first);
            ObjectNode withRv = pod("default", "other");
            ObjectJson.withResourceVersion(withRv, 5);
            assertThat(s.failure(pods.create(withRv)).code()).as("a create carrying a resourceVersion").isEqualTo(400);
            assertStatus(s.failure(pods.get("default", "nope", "")), "getting a pod that does not exist", 404, "NotFound", "pods \"nope\" not found");
            assertThat(s.await(pods.create(pod("other", "web")))).as("the same name in another namespace is another object").isNotNull();
        });
    }

    @Graded(lab = 5, part = "A", points = 5, value = "updates from several API servers at once lose nothing: each writes only over the version it read")
    void concurrentUpdates(Seeds seeds) {
        seeds.run(5, run -> {
            ApiStorage s = new ApiStorage(run.seed(), Faults.RELIABLE, run.trace());
            List<ObjectStore> servers = List.of(s.client().store(Resource.PODS), s.client().store(Resource.PODS), s.client().store(Resource.PODS));
            s.await(servers.get(0).create(pod("default", "counter")));
            List<CompletableFuture<ObjectNode>> updates = new ArrayList<>();
            for (int round = 0; round < 4; round++)
                for (ObjectStore server : servers)
                    updates.add(server.update("default", "counter", Preconditions.NONE, o -> {
                        ObjectNode meta = ObjectJson.metadata(o);
                        int n = meta.path("annotations").path("count").asInt(0);
                        meta.putObject("annotations").put("count", Integer.toString(n + 1));
                        return o;
                    }));
            List<Long> versions = new ArrayList<>();
            for (CompletableFuture<ObjectNode> u : updates) versions.add(rv(s.await(u)));
            ObjectNode end = s.await(servers.get(1).get("default", "counter", ""));
            assertThat(ObjectJson.text(end, "metadata", "annotations", "count")).as("12 increments from 3 API servers").isEqualTo("12");
            assertThat(versions).as("each update's resourceVersion").doesNotHaveDuplicates();
            assertThat(rv(end)).as("the counter's resourceVersion is its last update's").isEqualTo(versions.stream().mapToLong(Long::longValue).max().orElseThrow());
        });
    }

    @Graded(lab = 5, part = "A", points = 4, value = "an update whose precondition or resourceVersion is stale is a 409 Conflict; one that changes nothing writes nothing")
    void conflictsAndNoOps(Seeds seeds) {
        seeds.run(5, run -> {
            ApiStorage s = new ApiStorage(run.seed(), Faults.RELIABLE, run.trace());
            ApiStorage.Client c = s.client();
            ObjectStore pods = c.store(Resource.PODS);
            ObjectNode v1 = s.await(pods.create(pod("default", "web")));
            ObjectNode v2 = s.await(pods.update("default", "web", Preconditions.NONE, o -> {
                ObjectJson.metadata(o).putObject("labels").put("tier", "front");
                return o;
            }));
            assertThat(rv(v2)).as("the resourceVersion after an update").isGreaterThan(rv(v1));
            StatusException stale = s.failure(pods.update("default", "web", new Preconditions("", ObjectJson.resourceVersion(v1)), o -> o.put("x", 1)));
            assertThat(stale.code()).as("an update whose resourceVersion precondition is stale: " + stale).isEqualTo(409);
            assertThat(stale.reason()).as("its reason").isEqualTo("Conflict");
            assertThat(stale.getMessage()).as("its message").startsWith("Operation cannot be fulfilled on pods \"web\": Precondition failed: ResourceVersion in precondition: " + rv(v1));
            long before = s.await(c.etcd().get("/registry/pods/default/web")).revision();
            ObjectNode same = s.await(pods.update("default", "web", Preconditions.NONE, o -> o));
            assertThat(same).as("an update that changes nothing returns the object as it is").isEqualTo(v2);
            assertThat(s.await(c.etcd().get("/registry/pods/default/web")).revision()).as("the store's revision after a no-op update").isEqualTo(before);
            assertStatus(s.failure(pods.update("default", "ghost", Preconditions.NONE, o -> o)), "updating a pod that does not exist", 404, "NotFound", "pods \"ghost\" not found");
        });
    }

    @Graded(lab = 5, part = "A", points = 4, value = "delete checks its preconditions and returns the object as it was, its resourceVersion the delete's revision")
    void deletes(Seeds seeds) {
        seeds.run(5, run -> {
            ApiStorage s = new ApiStorage(run.seed(), Faults.RELIABLE, run.trace());
            ApiStorage.Client c = s.client();
            ObjectStore pods = c.store(Resource.PODS);
            ObjectNode created = s.await(pods.create(pod("default", "web")));
            StatusException wrongUid = s.failure(pods.delete("default", "web", new Preconditions("someone-else", "")));
            assertStatus(wrongUid, "deleting with another uid as precondition", 409, "Conflict", "Operation cannot be fulfilled on pods \"web\": Precondition failed: UID in precondition: someone-else, UID in object meta: uid-web");
            ObjectNode deleted = s.await(pods.delete("default", "web", new Preconditions("uid-web", "")));
            long revision = s.await(c.etcd().get("/registry/pods/default/web")).revision();
            assertThat(rv(deleted)).as("the deleted object's resourceVersion is the delete's revision").isEqualTo(revision).isGreaterThan(rv(created));
            assertThat(ObjectJson.name(deleted)).as("the deleted object's name").isEqualTo("web");
            assertThat(s.failure(pods.get("default", "web", "")).code()).as("getting the deleted pod").isEqualTo(404);
            assertThat(s.failure(pods.delete("default", "web", Preconditions.NONE)).code()).as("deleting it again").isEqualTo(404);
        });
    }

    @Graded(lab = 5, part = "A", points = 5, value = "a list in pages sees one revision: writes between pages do not show, and the continue token names the first page's revision")
    void pagedList(Seeds seeds) {
        seeds.run(5, run -> {
            ApiStorage s = new ApiStorage(run.seed(), Faults.RELIABLE, run.trace());
            ObjectStore pods = s.client().store(Resource.PODS);
            for (int i = 0; i < 7; i++) s.await(pods.create(pod("default", "p" + i)));
            s.await(pods.create(pod("kube-system", "dns")));
            ObjectList first = s.await(pods.list("default", ListOptions.LATEST.withLimit(3)));
            assertThat(first.items()).extracting(ObjectJson::name).as("the first page of 3").containsExactly("p0", "p1", "p2");
            assertThat(first.continueToken()).as("the first page's continue token").isNotEmpty();
            assertThat(ContinueToken.decode(first.continueToken()).resourceVersion()).as("the revision in the continue token").isEqualTo(first.resourceVersion());
            s.await(pods.delete("default", "p4", Preconditions.NONE));
            s.await(pods.create(pod("default", "p5a")));
            List<String> names = new ArrayList<>(first.items().stream().map(ObjectJson::name).toList());
            ObjectList page = first;
            while (!page.continueToken().isEmpty()) {
                page = s.await(pods.list("default", ListOptions.LATEST.withLimit(3).withContinue(page.continueToken())));
                assertThat(page.resourceVersion()).as("every page's resourceVersion").isEqualTo(first.resourceVersion());
                names.addAll(page.items().stream().map(ObjectJson::name).toList());
            }
            assertThat(names).as("all pages: the namespace as it was at the first page").containsExactly("p0", "p1", "p2", "p3", "p4", "p5", "p6");
            ObjectList all = s.await(pods.list("", ListOptions.LATEST));
            assertThat(all.items()).extracting(ObjectJson::name).as("every namespace, now").containsExactly("p0", "p1", "p2", "p3", "p5", "p5a", "p6", "dns");
            assertThat(all.continueToken()).as("the continue token of a list without a limit").isEmpty();
        });
    }

    @Graded(lab = 5, part = "A", points = 5, value = "a watch from a resourceVersion sends ADDED, MODIFIED and DELETED after it, in order, each with its resourceVersion")
    void watchFromAVersion(Seeds seeds) {
        seeds.run(5, run -> {
            ApiStorage s = new ApiStorage(run.seed(), Faults.RELIABLE, run.trace());
            ObjectStore pods = s.client().store(Resource.PODS);
            ObjectNode before = s.await(pods.create(pod("default", "old")));
            List<WatchEvent> events = new ArrayList<>();
            String[] ended = new String[1];
            pods.watch("default", WatchOptions.from(rv(before)), new ObjectStore.Listener() {
                @Override public void onEvent(WatchEvent e) { events.add(e); }
                @Override public void ended(String why) { ended[0] = why; }
            });
            ObjectNode a = s.await(pods.create(pod("default", "a")));
            ObjectNode a2 = s.await(pods.update("default", "a", Preconditions.NONE, o -> o.put("spec", "changed")));
            s.await(pods.create(pod("elsewhere", "b")));
            ObjectNode gone = s.await(pods.delete("default", "old", Preconditions.NONE));
            s.sim().runUntil(() -> events.size() >= 3, 10_000);
            assertThat(events).extracting(e -> e.type() + " " + ObjectJson.name(e.object()) + "@" + ObjectJson.resourceVersion(e.object()))
                    .as("the events of the namespace after resourceVersion " + rv(before))
                    .containsExactly("ADDED a@" + rv(a), "MODIFIED a@" + rv(a2), "DELETED old@" + rv(gone));
            assertThat(events.get(1).object().path("spec").asText()).as("the MODIFIED event's object is the new one").isEqualTo("changed");
            assertThat(ended[0]).as("the watch is still open").isNull();
        });
    }
}
