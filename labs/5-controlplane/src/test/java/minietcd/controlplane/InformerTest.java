package minietcd.controlplane;

import static minietcd.kit.harness.KubeObjects.pod;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import minietcd.kit.controlplane.Components;
import minietcd.kit.controlplane.Informer;
import minietcd.kit.controlplane.ListOptions;
import minietcd.kit.controlplane.ListerWatcher;
import minietcd.kit.controlplane.ObjectJson;
import minietcd.kit.controlplane.ObjectList;
import minietcd.kit.controlplane.ObjectStore;
import minietcd.kit.controlplane.Preconditions;
import minietcd.kit.controlplane.Resource;
import minietcd.kit.controlplane.WatchOptions;
import minietcd.kit.harness.ApiStorage;
import minietcd.kit.harness.HandlerModel;
import minietcd.kit.harness.SimTimers;
import minietcd.kit.sim.Faults;
import minietcd.kit.testing.Graded;
import minietcd.kit.testing.Seeds;

/** Lab 5 part B: the informer over the simulated store, through your part A storage layer (so part A comes first). */
class InformerTest {
    /** A source that counts lists and watches, and remembers the resourceVersion each watch started from. */
    static final class Counting implements ListerWatcher {
        final ListerWatcher inner;
        int lists;
        final List<String> watchedFrom = new ArrayList<>();

        Counting(ListerWatcher inner) {
            this.inner = inner;
        }

        @Override
        public CompletableFuture<ObjectList> list(ListOptions options) {
            lists++;
            return inner.list(options);
        }

        @Override
        public ObjectStore.Watch watch(WatchOptions options, ObjectStore.Listener listener) {
            watchedFrom.add(options.resourceVersion());
            return inner.watch(options, listener);
        }
    }

    static Map<String, ObjectNode> byKey(List<ObjectNode> objects) {
        Map<String, ObjectNode> m = new TreeMap<>();
        for (ObjectNode o : objects) m.put(Informer.keyOf(o), o);
        return m;
    }

    static ObjectNode labeled(ObjectNode o, String value) {
        ObjectJson.metadata(o).putObject("labels").put("v", value);
        return o;
    }

    @Graded(lab = 5, part = "B", points = 5, value = "an informer lists, then watches: its cache and what its handlers heard equal the store, and the cache has each change before the handlers")
    void listThenWatch(Seeds seeds) {
        seeds.run(5, run -> {
            ApiStorage s = new ApiStorage(run.seed(), Faults.RELIABLE, run.trace());
            ObjectStore writer = s.client().store(Resource.PODS), reader = s.client().store(Resource.PODS);
            for (int i = 0; i < 3; i++) s.await(writer.create(pod("default", "before" + i)));
            Informer informer = Components.informer(ListerWatcher.of(reader, ""), Resource.PODS, new SimTimers(s.sim(), "informer"), 0);
            HandlerModel model = new HandlerModel(informer);
            informer.addEventHandler(model);
            assertThat(informer.hasSynced()).as("hasSynced before start").isFalse();
            informer.start();
            s.sim().runUntil(informer::hasSynced, 10_000);
            assertThat(informer.hasSynced()).as("hasSynced after the first list").isTrue();
            assertThat(model.objects.keySet()).as("what the handlers heard from the first list").containsExactly("default/before0", "default/before1", "default/before2");
            s.await(writer.create(pod("kube-system", "dns")));
            s.await(writer.update("default", "before1", Preconditions.NONE, o -> labeled(o, "x")));
            s.await(writer.delete("default", "before2", Preconditions.NONE));
            ObjectNode last = s.await(writer.create(pod("default", "after")));
            s.sim().runUntil(() -> informer.get("default/after").isPresent(), 10_000);
            Map<String, ObjectNode> store = byKey(s.await(writer.list("", ListOptions.LATEST)).items());
            assertThat(byKey(informer.list())).as("the informer's cache against the store").isEqualTo(store);
            assertThat(model.objects).as("what the handlers heard against the store").isEqualTo(store);
            assertThat(model.log).as("the handlers' calls").containsExactly("add default/before0", "add default/before1", "add default/before2",
                    "add kube-system/dns", "update default/before1", "delete default/before2", "add default/after");
            assertThat(informer.lastSyncResourceVersion()).as("lastSyncResourceVersion after the last event").isEqualTo(ObjectJson.resourceVersion(last));
        });
    }

    @Graded(lab = 5, part = "B", points = 5, value = "when its watch breaks, an informer watches again from the last resourceVersion it saw, without listing, and misses nothing")
    void resumesWithoutListing(Seeds seeds) {
        seeds.run(5, run -> {
            ApiStorage s = new ApiStorage(run.seed(), Faults.RELIABLE, run.trace());
            int leader = s.cluster().leader(), follower = leader % 3 + 1, other = follower % 3 + 1;
            ObjectStore writer = s.client(List.of(leader, other), 3_000).store(Resource.PODS);
            Counting source = new Counting(ListerWatcher.of(s.client(List.of(follower, other), 3_000).store(Resource.PODS), "default"));
            Informer informer = Components.informer(source, Resource.PODS, new SimTimers(s.sim(), "informer"), 0);
            HandlerModel model = new HandlerModel(informer);
            informer.addEventHandler(model);
            informer.start();
            s.sim().runUntil(informer::hasSynced, 10_000);
            ObjectNode seen = s.await(writer.create(pod("default", "a")));
            s.sim().runUntil(() -> informer.get("default/a").isPresent(), 10_000);
            s.sim().crash(follower);
            for (int i = 0; i < 4; i++) s.await(writer.create(pod("default", "during" + i)));
            s.sim().runUntil(() -> informer.list().size() == 5, 30_000);
            assertThat(model.objects.keySet()).as("what the handlers heard after the informer's member crashed")
                    .containsExactly("default/a", "default/during0", "default/during1", "default/during2", "default/during3");
            assertThat(source.lists).as("lists (the first only: a broken watch resumes, it does not relist)").isEqualTo(1);
            assertThat(source.watchedFrom.size()).as("watches started").isGreaterThanOrEqualTo(2);
            assertThat(source.watchedFrom.get(1)).as("the resourceVersion the second watch started from").isEqualTo(ObjectJson.resourceVersion(seen));
        });
    }

    @Graded(lab = 5, part = "B", points = 5, value = "on 410 an informer lists again and tells its handlers the difference: deletes it missed come as tombstones")
    void relistsOnExpired(Seeds seeds) {
        seeds.run(5, run -> {
            ApiStorage s = new ApiStorage(run.seed(), Faults.RELIABLE, run.trace());
            int leader = s.cluster().leader(), follower = leader % 3 + 1, other = follower % 3 + 1;
            ApiStorage.Client w = s.client(List.of(leader, other), 3_000);
            ObjectStore writer = w.store(Resource.PODS);
            for (String n : List.of("keep", "change", "gone")) s.await(writer.create(pod("default", n)));
            Counting source = new Counting(ListerWatcher.of(s.client(List.of(follower), 3_000).store(Resource.PODS), "default"));
            Informer informer = Components.informer(source, Resource.PODS, new SimTimers(s.sim(), "informer"), 0);
            HandlerModel model = new HandlerModel(informer);
            informer.addEventHandler(model);
            informer.start();
            s.sim().runUntil(informer::hasSynced, 10_000);
            s.sim().crash(follower);
            s.await(writer.delete("default", "gone", Preconditions.NONE));
            s.await(writer.update("default", "change", Preconditions.NONE, o -> labeled(o, "new")));
            s.await(writer.create(pod("default", "new")));
            ObjectNode last = s.await(writer.update("default", "keep", Preconditions.NONE, o -> labeled(o, "touched")));
            s.await(w.etcd().compact(Long.parseLong(ObjectJson.resourceVersion(last))));
            s.sim().restart(follower);
            s.sim().runUntil(() -> source.lists >= 2 && informer.get("default/new").isPresent(), 60_000);
            Map<String, ObjectNode> store = byKey(s.await(writer.list("default", ListOptions.LATEST)).items());
            assertThat(byKey(informer.list())).as("the cache after a relist").isEqualTo(store);
            assertThat(model.objects).as("what the handlers heard, after a relist").isEqualTo(store);
            assertThat(source.lists).as("lists: the first, and one after the 410").isEqualTo(2);
            assertThat(model.tombstones).as("tombstones (the delete of gone, missed while compacted away)").isEqualTo(1);
            assertThat(model.log).as("the handlers' calls").contains("tombstone default/gone");
        });
    }

    @Graded(lab = 5, part = "B", points = 3, value = "an informer's index finds objects by value, and a resync hands each cached object to onUpdate(o, o)")
    void indexAndResync(Seeds seeds) {
        seeds.run(5, run -> {
            ApiStorage s = new ApiStorage(run.seed(), Faults.RELIABLE, run.trace());
            ObjectStore writer = s.client().store(Resource.PODS);
            for (int i = 0; i < 4; i++) {
                ObjectNode p = pod("default", "p" + i);
                ((ObjectNode) p.get("spec")).put("nodeName", i % 2 == 0 ? "node-a" : "node-b");
                s.await(writer.create(p));
            }
            Informer informer = Components.informer(ListerWatcher.of(s.client().store(Resource.PODS), ""), Resource.PODS, new SimTimers(s.sim(), "informer"), 10_000);
            informer.addIndexer("nodeName", o -> List.of(ObjectJson.text(o, "spec", "nodeName")));
            HandlerModel model = new HandlerModel(informer);
            informer.addEventHandler(model);
            informer.start();
            s.sim().runUntil(informer::hasSynced, 10_000);
            assertThat(informer.byIndex("nodeName", "node-a")).extracting(ObjectJson::name).as("pods on node-a").containsExactly("p0", "p2");
            s.await(writer.update("default", "p0", Preconditions.NONE, o -> {
                ((ObjectNode) o.get("spec")).put("nodeName", "node-b");
                return o;
            }));
            s.sim().runFor(1_000);
            assertThat(informer.byIndex("nodeName", "node-a")).extracting(ObjectJson::name).as("pods on node-a after p0 moved").containsExactly("p2");
            assertThat(informer.byIndex("nodeName", "node-b")).extracting(ObjectJson::name).as("pods on node-b after p0 moved").containsExactly("p0", "p1", "p3");
            informer.addIndexer("phase", o -> List.of(ObjectJson.text(o, "status", "phase")));
            assertThat(informer.byIndex("phase", "")).as("pods by phase, an index added after the first list").hasSize(4);
            s.await(writer.delete("default", "p2", Preconditions.NONE));
            s.sim().runFor(1_000);
            assertThat(informer.byIndex("nodeName", "node-a")).as("pods on node-a after p2 was deleted").isEmpty();
            assertThat(informer.byIndex("phase", "")).as("pods by phase after p2 was deleted").hasSize(3);
            s.sim().runFor(25_000);
            assertThat(model.resyncs).as("onUpdate(o, o) calls of the 3 pods left, over two resync periods").isEqualTo(6);
        });
    }
}
