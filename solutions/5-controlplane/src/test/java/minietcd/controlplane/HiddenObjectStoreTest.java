package minietcd.controlplane;

import static minietcd.kit.harness.KubeObjects.pod;
import static minietcd.kit.harness.KubeObjects.rv;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import minietcd.kit.client.EtcdClient;
import minietcd.kit.client.WatchListener;
import minietcd.kit.controlplane.LabelSelector;
import minietcd.kit.controlplane.FieldSelector;
import minietcd.kit.controlplane.ListOptions;
import minietcd.kit.controlplane.ObjectJson;
import minietcd.kit.controlplane.ObjectList;
import minietcd.kit.controlplane.ObjectStore;
import minietcd.kit.controlplane.Preconditions;
import minietcd.kit.controlplane.Resource;
import minietcd.kit.controlplane.Selection;
import minietcd.kit.controlplane.StatusException;
import minietcd.kit.controlplane.WatchEvent;
import minietcd.kit.controlplane.WatchOptions;
import minietcd.kit.etcd.EtcdReply;
import minietcd.kit.etcd.EtcdRequest;
import minietcd.kit.harness.ApiStorage;
import minietcd.kit.mvcc.KvRequest;
import minietcd.kit.sim.Faults;
import minietcd.kit.testing.Graded;
import minietcd.kit.testing.Seeds;
import minietcd.kit.watch.WatchRequest;

/** Lab 5 part A, the instructor's tests: races, faults, pages, resourceVersion rules and watches at their edges. */
class HiddenObjectStoreTest {
    /** An etcd client that counts the reads and txns going through it. */
    static final class Counting implements EtcdClient {
        final EtcdClient inner;
        int ranges, txns, watches, cancels;

        Counting(EtcdClient inner) {
            this.inner = inner;
        }

        @Override
        public CompletableFuture<EtcdReply> call(EtcdRequest request) {
            if (request instanceof EtcdRequest.Kv kv && kv.op() instanceof KvRequest.Range) ranges++;
            if (request instanceof EtcdRequest.Kv kv && kv.op() instanceof KvRequest.Txn) txns++;
            return inner.call(request);
        }

        @Override
        public Watch watch(WatchRequest request, WatchListener listener) {
            watches++;
            Watch w = inner.watch(request, listener);
            return () -> {
                cancels++;
                w.cancel();
            };
        }
    }

    /** What one watch heard. */
    static final class Heard implements ObjectStore.Listener {
        final List<WatchEvent> events = new ArrayList<>();
        String ended;

        @Override public void onEvent(WatchEvent e) { events.add(e); }
        @Override public void ended(String why) { ended = why; }

        List<String> lines() {
            return events.stream().map(e -> e.type() + " " + ObjectJson.name(e.object()) + "@" + ObjectJson.resourceVersion(e.object())).toList();
        }
    }

    static ObjectNode increment(ObjectNode o) {
        ObjectNode meta = ObjectJson.metadata(o);
        int n = meta.path("annotations").path("count").asInt(0);
        meta.putObject("annotations").put("count", Integer.toString(n + 1));
        return o;
    }

    @Graded(lab = 5, part = "A", points = 4, value = "an update that loses a race goes round again from the value its failed txn read, with no extra get")
    void aLostRaceRetriesFromTheFailedTxn(Seeds seeds) {
        seeds.run(20, run -> {
            ApiStorage s = new ApiStorage(run.seed(), Faults.RELIABLE, run.trace());
            List<Counting> counters = new ArrayList<>();
            List<ObjectStore> servers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ApiStorage.Client c = s.client();
                Counting counting = new Counting(c.etcd());
                counters.add(counting);
                servers.add(c.through(counting).store(Resource.PODS));
            }
            s.await(servers.get(0).create(pod("default", "counter")));
            counters.forEach(c -> c.ranges = c.txns = 0);
            List<CompletableFuture<ObjectNode>> updates = new ArrayList<>();
            for (int round = 0; round < 3; round++)
                for (ObjectStore server : servers) updates.add(server.update("default", "counter", Preconditions.NONE, HiddenObjectStoreTest::increment));
            for (CompletableFuture<ObjectNode> u : updates) s.await(u);
            int ranges = counters.stream().mapToInt(c -> c.ranges).sum(), txns = counters.stream().mapToInt(c -> c.txns).sum();
            assertThat(ObjectJson.text(s.await(servers.get(0).get("default", "counter", "")), "metadata", "annotations", "count")).isEqualTo("9");
            assertThat(txns).as("txns sent for 9 updates started at once (some lost their race)").isGreaterThan(9);
            assertThat(ranges).as("reads sent for 9 updates: one each; a retry starts from the failed txn's own read (%d txns were sent)", txns).isEqualTo(9);
        });
    }

    @Graded(lab = 5, part = "A", points = 4, value = "updates through message loss and a leader crash lose no acknowledged increment and apply none twice")
    void updatesUnderFaults(Seeds seeds) {
        seeds.run(20, run -> {
            ApiStorage s = new ApiStorage(run.seed(), Faults.UNRELIABLE, run.trace());
            List<ObjectStore> servers = List.of(s.client().store(Resource.PODS), s.client().store(Resource.PODS));
            for (int tries = 0; ; tries++) {
                try {
                    s.await(servers.get(0).create(pod("default", "counter")));
                    break;
                } catch (StatusException e) {
                    if (e.code() == 409) break; // an earlier try that timed out was applied
                    if (tries == 100) throw e; // each try may be lost on a lossy network: 100 make that as good as impossible
                }
            }
            int acknowledged = 0, failed = 0;
            for (int round = 0; round < 6; round++) {
                if (round == 3) s.sim().crash(s.cluster().leader());
                List<CompletableFuture<ObjectNode>> updates = new ArrayList<>();
                for (ObjectStore server : servers) updates.add(server.update("default", "counter", Preconditions.NONE, HiddenObjectStoreTest::increment));
                for (CompletableFuture<ObjectNode> u : updates) {
                    try {
                        s.await(u);
                        acknowledged++;
                    } catch (StatusException e) {
                        failed++; // a timeout: it may or may not have been applied
                    }
                }
            }
            ObjectNode end = null;
            for (int tries = 0; end == null && tries < 100; tries++) { // a lossy network may lose a try, or many
                try {
                    end = s.await(servers.get(0).get("default", "counter", ""));
                } catch (StatusException e) {
                    // the store is still choosing a leader
                }
            }
            assertThat(end).as("the counter could be read after the faults").isNotNull();
            int count = Integer.parseInt(ObjectJson.text(end, "metadata", "annotations", "count"));
            assertThat(count).as("increments (%d acknowledged, %d failed)", acknowledged, failed).isBetween(acknowledged, acknowledged + failed);
        });
    }

    @Graded(lab = 5, part = "A", points = 4, value = "with a selector and a limit, a page holds `limit` matching objects while the store has more, reading on past non-matching ones")
    void selectedPagesAreFull(Seeds seeds) {
        seeds.run(5, run -> {
            ApiStorage s = new ApiStorage(run.seed(), Faults.RELIABLE, run.trace());
            ObjectStore pods = s.client().store(Resource.PODS);
            List<String> db = new ArrayList<>();
            for (int i = 0; i < 13; i++) {
                String name = String.format("p%02d", i);
                boolean isDb = i % 4 == 0;
                s.await(pods.create(pod("default", name, "tier", isDb ? "db" : "web")));
                if (isDb) db.add(name);
            }
            ListOptions options = new ListOptions("", 2, "", new Selection(LabelSelector.parse("tier=db"), FieldSelector.EVERYTHING));
            List<String> seen = new ArrayList<>();
            List<Integer> sizes = new ArrayList<>();
            ObjectList page = s.await(pods.list("default", options));
            while (true) {
                seen.addAll(page.items().stream().map(ObjectJson::name).toList());
                sizes.add(page.items().size());
                if (page.continueToken().isEmpty()) break;
                assertThat(page.items()).as("a page with a continue token after it (pages so far: %s)", sizes).hasSize(2);
                page = s.await(pods.list("default", options.withContinue(page.continueToken())));
            }
            assertThat(seen).as("every pod with tier=db, once, in order").containsExactlyElementsOf(db);
            ListOptions three = new ListOptions("", 3, "", new Selection(LabelSelector.parse("tier in (db, cache)"), FieldSelector.EVERYTHING));
            for (int i = 0; i < 13; i++) if (i % 4 == 1) s.await(pods.update("default", String.format("p%02d", i), Preconditions.NONE, o -> {
                ObjectJson.metadata(o).putObject("labels").put("tier", "cache");
                return o;
            }));
            List<String> dbOrCache = new ArrayList<>();
            page = s.await(pods.list("default", three));
            while (true) {
                assertThat(page.items().size()).as("a page of a list with limit 3").isLessThanOrEqualTo(3);
                dbOrCache.addAll(page.items().stream().map(ObjectJson::name).toList());
                if (page.continueToken().isEmpty()) break;
                assertThat(page.items()).as("a page with a continue token after it").hasSize(3);
                page = s.await(pods.list("default", three.withContinue(page.continueToken())));
            }
            assertThat(dbOrCache).as("every pod with tier db or cache").containsExactly("p00", "p01", "p04", "p05", "p08", "p09", "p12");
            ObjectList exact = s.await(pods.list("default", ListOptions.LATEST.withLimit(13)));
            assertThat(exact.items()).as("a list whose limit is the number of pods").hasSize(13);
            ListOptions byField = new ListOptions("", 0, "", Selection.parse(null, "metadata.name!=p01,metadata.namespace=default", Resource.PODS));
            assertThat(s.await(pods.list("", byField)).items()).as("pods selected by field").hasSize(12);
        });
    }

    @Graded(lab = 5, part = "A", points = 4, value = "a list at resourceVersion N shows the state at N; compacted N or continue token is 410 Expired; a bad resourceVersion is 400")
    void listResourceVersions(Seeds seeds) {
        seeds.run(5, run -> {
            ApiStorage s = new ApiStorage(run.seed(), Faults.RELIABLE, run.trace());
            ApiStorage.Client c = s.client();
            ObjectStore pods = c.store(Resource.PODS);
            for (int i = 0; i < 4; i++) s.await(pods.create(pod("default", "p" + i)));
            ObjectList then = s.await(pods.list("default", ListOptions.LATEST.withLimit(2)));
            s.await(pods.delete("default", "p0", Preconditions.NONE));
            ObjectNode added = s.await(pods.create(pod("default", "p9")));
            ObjectList atThen = s.await(pods.list("default", ListOptions.LATEST.at(Long.toString(then.resourceVersion()))));
            assertThat(atThen.items()).extracting(ObjectJson::name).as("the list at resourceVersion " + then.resourceVersion()).containsExactly("p0", "p1", "p2", "p3");
            assertThat(atThen.resourceVersion()).isEqualTo(then.resourceVersion());
            StatusException both = s.failure(pods.list("default", ListOptions.LATEST.withContinue(then.continueToken()).at("3")));
            assertThat(both.code()).as("a continue token with a resourceVersion").isEqualTo(400);
            assertThat(s.failure(pods.list("default", ListOptions.LATEST.at("yesterday"))).code()).as("resourceVersion=yesterday").isEqualTo(400);
            s.await(c.etcd().compact(rv(added)));
            StatusException old = s.failure(pods.list("default", ListOptions.LATEST.at(Long.toString(then.resourceVersion()))));
            assertThat(old.code()).isEqualTo(410);
            assertThat(old.reason()).isEqualTo("Expired");
            assertThat(old.getMessage()).isEqualTo(StatusException.LIST_EXPIRED);
            StatusException token = s.failure(pods.list("default", ListOptions.LATEST.withLimit(2).withContinue(then.continueToken())));
            assertThat(token.code()).isEqualTo(410);
            assertThat(token.getMessage()).isEqualTo(StatusException.CONTINUE_EXPIRED);
            assertThat(s.await(pods.list("default", ListOptions.LATEST)).items()).extracting(ObjectJson::name).containsExactly("p1", "p2", "p3", "p9");
        });
    }

    @Graded(lab = 5, part = "A", points = 4, value = "resourceVersion \"\" reads the latest state (a linearizable read): a member cut off from the others never answers it with an old state")
    void emptyResourceVersionIsLinearizable(Seeds seeds) {
        seeds.run(10, run -> {
            ApiStorage s = new ApiStorage(run.seed(), Faults.RELIABLE, run.trace());
            int leader = s.cluster().leader(), follower = leader % 3 + 1, other = follower % 3 + 1;
            ApiStorage.Client writer = s.client(List.of(leader), 3_000);
            ApiStorage.Client cutOff = s.client(List.of(follower), 3_000);
            ObjectStore pods = writer.store(Resource.PODS), stale = cutOff.store(Resource.PODS);
            s.await(pods.create(pod("default", "before")));
            s.sim().runFor(500);
            s.sim().partition(List.of(List.of(leader, other), List.of(follower)));
            s.await(pods.create(pod("default", "after")));
            CompletableFuture<ObjectList> list = stale.list("default", ListOptions.LATEST);
            CompletableFuture<ObjectNode> get = stale.get("default", "after", "");
            s.sim().runUntil(() -> list.isDone() && get.isDone(), 20_000);
            if (list.isDone() && !list.isCompletedExceptionally())
                assertThat(list.join().items()).extracting(ObjectJson::name).as("a list with resourceVersion \"\" from a member cut off from the leader").contains("after");
            if (get.isDone() && get.isCompletedExceptionally())
                assertThat(s.failure(get).code()).as("a get with resourceVersion \"\" from a member cut off from the leader fails with a timeout, not a 404").isNotEqualTo(404);
            ObjectList any = s.await(stale.list("default", ListOptions.LATEST.at("0")));
            assertThat(any.items()).extracting(ObjectJson::name).as("resourceVersion \"0\" may be served by the member alone").contains("before");
            Heard fromNow = new Heard(), fromAny = new Heard();
            stale.watch("default", new WatchOptions("", Selection.EVERYTHING, false), fromNow);
            stale.watch("default", new WatchOptions("0", Selection.EVERYTHING, false), fromAny);
            s.sim().runUntil(() -> fromNow.ended != null || fromNow.events.size() >= 2, 20_000);
            assertThat(fromNow.ended != null || fromNow.lines().stream().anyMatch(l -> l.startsWith("ADDED after@")))
                    .as("a watch from \"\" on a member cut off from the leader lists the latest state or fails, never an old one: %s", fromNow.lines()).isTrue();
            if (fromNow.ended != null)
                assertThat(fromNow.events).as("a watch whose first list failed says why").last().satisfies(e -> assertThat(e.type()).isEqualTo(WatchEvent.Type.ERROR));
            assertThat(fromAny.lines()).as("a watch from \"0\" may list what the member alone has").anyMatch(l -> l.startsWith("ADDED before@"));
        });
    }

    @Graded(lab = 5, part = "A", points = 4, value = "a watch with a selector reports an object that starts matching as ADDED and one that stops as DELETED")
    void watchSelectionTransitions(Seeds seeds) {
        seeds.run(5, run -> {
            ApiStorage s = new ApiStorage(run.seed(), Faults.RELIABLE, run.trace());
            ObjectStore pods = s.client().store(Resource.PODS);
            ObjectNode start = s.await(pods.create(pod("default", "seed")));
            Heard web = new Heard();
            pods.watch("", new WatchOptions(ObjectJson.resourceVersion(start), new Selection(LabelSelector.parse("app=web"), FieldSelector.EVERYTHING), false), web);
            ObjectNode a = s.await(pods.create(pod("default", "a", "app", "web")));
            s.await(pods.create(pod("default", "b", "app", "db")));
            ObjectNode a2 = s.await(pods.update("default", "a", Preconditions.NONE, o -> {
                ObjectJson.metadata(o).putObject("labels").put("app", "db");
                return o;
            }));
            ObjectNode a3 = s.await(pods.update("default", "a", Preconditions.NONE, o -> {
                ObjectJson.metadata(o).putObject("labels").put("app", "web");
                return o;
            }));
            ObjectNode gone = s.await(pods.delete("default", "a", Preconditions.NONE));
            s.await(pods.delete("default", "b", Preconditions.NONE));
            s.sim().runFor(1_000);
            assertThat(web.lines()).as("a watch of app=web").containsExactly("ADDED a@" + rv(a), "DELETED a@" + rv(a2), "ADDED a@" + rv(a3), "DELETED a@" + rv(gone));
            assertThat(ObjectJson.labels(web.events.get(1).object())).as("the object of the DELETED event when a stopped matching: as it was").containsEntry("app", "web");
        });
    }

    @Graded(lab = 5, part = "A", points = 4, value = "a watch from \"\" sends what exists as ADDED, then every later change once, with no gap, though writes race with its start")
    void watchFromNow(Seeds seeds) {
        seeds.run(10, run -> {
            ApiStorage s = new ApiStorage(run.seed(), Faults.RELIABLE, run.trace());
            ObjectStore writer = s.client().store(Resource.PODS), watcher = s.client().store(Resource.PODS);
            for (int i = 0; i < 3; i++) s.await(writer.create(pod("default", "old" + i)));
            Heard heard = new Heard();
            List<CompletableFuture<ObjectNode>> writes = new ArrayList<>();
            for (int i = 0; i < 3; i++) writes.add(writer.create(pod("default", "new" + i)));
            watcher.watch("default", new WatchOptions("", Selection.EVERYTHING, false), heard);
            writes.add(writer.update("default", "old0", Preconditions.NONE, HiddenObjectStoreTest::increment));
            writes.add(writer.delete("default", "old1", Preconditions.NONE));
            for (CompletableFuture<ObjectNode> w : writes) s.await(w);
            s.sim().runFor(1_000);
            Map<String, ObjectNode> state = new HashMap<>();
            Map<String, Long> lastVersion = new HashMap<>();
            for (WatchEvent e : heard.events) {
                String name = ObjectJson.name(e.object());
                long v = rv(e.object());
                assertThat(v).as("each change once: resourceVersions of %s only grow (events: %s)", name, heard.lines()).isGreaterThan(lastVersion.getOrDefault(name, 0L));
                lastVersion.put(name, v);
                switch (e.type()) {
                    case ADDED -> assertThat(state.put(name, e.object())).as("each change once: ADDED %s while it existed (events: %s)", name, heard.lines()).isNull();
                    case MODIFIED -> assertThat(state.put(name, e.object())).as("each change once: MODIFIED %s unseen (events: %s)", name, heard.lines()).isNotNull();
                    case DELETED -> assertThat(state.remove(name)).as("each change once: DELETED %s unseen (events: %s)", name, heard.lines()).isNotNull();
                    default -> throw new AssertionError("unexpected " + e);
                }
            }
            ObjectList now = s.await(writer.list("default", ListOptions.LATEST));
            Map<String, ObjectNode> expected = new HashMap<>();
            for (ObjectNode o : now.items()) expected.put(ObjectJson.name(o), o);
            assertThat(state).as("the objects the watch's events add up to, against a list now").isEqualTo(expected);
        });
    }

    @Graded(lab = 5, part = "A", points = 3, value = "a watch from a compacted resourceVersion ends with an ERROR event: 410 Expired")
    void compactedWatch(Seeds seeds) {
        seeds.run(5, run -> {
            ApiStorage s = new ApiStorage(run.seed(), Faults.RELIABLE, run.trace());
            ApiStorage.Client c = s.client();
            ObjectStore pods = c.store(Resource.PODS);
            ObjectNode first = s.await(pods.create(pod("default", "a")));
            s.await(pods.update("default", "a", Preconditions.NONE, HiddenObjectStoreTest::increment));
            ObjectNode later = s.await(pods.update("default", "a", Preconditions.NONE, HiddenObjectStoreTest::increment));
            s.await(c.etcd().compact(rv(later))); // a watch from rv(first) starts at rv(first) + 1, before the compaction
            Heard heard = new Heard();
            pods.watch("default", WatchOptions.from(rv(first)), heard);
            s.sim().runUntil(() -> heard.ended != null, 10_000);
            assertThat(heard.events).as("a watch from compacted resourceVersion " + rv(first)).singleElement().satisfies(e -> {
                assertThat(e.type()).isEqualTo(WatchEvent.Type.ERROR);
                assertThat(e.object().path("code").asInt()).isEqualTo(410);
                assertThat(e.object().path("reason").asText()).isEqualTo("Expired");
            });
            assertThat(heard.ended).as("the watch ended").isNotNull();
            Heard now = new Heard();
            pods.watch("default", new WatchOptions("", Selection.EVERYTHING, false), now);
            s.sim().runFor(1_000);
            assertThat(now.lines()).as("a watch from \"\" after the compaction lists what there is now").containsExactly("ADDED a@" + rv(later));
            assertThat(now.ended).isNull();
        });
    }

    @Graded(lab = 5, part = "A", points = 3, value = "a watch whose etcd stream breaks (its member crashed) ends openly; a stopped watch hears nothing more")
    void brokenAndStoppedWatches(Seeds seeds) {
        seeds.run(5, run -> {
            ApiStorage s = new ApiStorage(run.seed(), Faults.RELIABLE, run.trace());
            int leader = s.cluster().leader(), follower = leader % 3 + 1;
            ObjectStore writer = s.client(List.of(leader), 3_000).store(Resource.PODS);
            ObjectStore onFollower = s.client(List.of(follower), 3_000).store(Resource.PODS);
            ObjectNode start = s.await(writer.create(pod("default", "a")));
            Heard broken = new Heard(), stopped = new Heard();
            onFollower.watch("default", WatchOptions.from(rv(start)), broken);
            ObjectStore.Watch w = writer.watch("default", WatchOptions.from(rv(start)), stopped);
            s.await(writer.update("default", "a", Preconditions.NONE, HiddenObjectStoreTest::increment));
            s.sim().runUntil(() -> stopped.events.size() == 1 && broken.events.size() == 1, 5_000);
            w.stop();
            s.await(writer.update("default", "a", Preconditions.NONE, HiddenObjectStoreTest::increment));
            s.sim().crash(follower);
            s.sim().runUntil(() -> broken.ended != null, 10_000);
            assertThat(broken.ended).as("the watch on the crashed member ended").isNotNull();
            assertThat(stopped.events).as("events of a watch stopped after its first").hasSize(1);
            assertThat(stopped.ended).as("a stopped watch is not told it ended").isNull();
        });
    }

    @Graded(lab = 5, part = "A", points = 3, value = "get at resourceVersion \"0\" or N: N not reached yet is 504; the store names its resource")
    void getResourceVersions(Seeds seeds) {
        seeds.run(5, run -> {
            ApiStorage s = new ApiStorage(run.seed(), Faults.RELIABLE, run.trace());
            ObjectStore pods = s.client().store(Resource.PODS);
            assertThat(pods.resource()).as("the store's resource").isEqualTo(Resource.PODS);
            ObjectNode a = s.await(pods.create(pod("default", "a")));
            assertThat(s.await(pods.get("default", "a", "0"))).as("a get at resourceVersion 0").isEqualTo(a);
            assertThat(s.await(pods.get("default", "a", ObjectJson.resourceVersion(a)))).as("a get at the store's own revision").isEqualTo(a);
            StatusException future = s.failure(pods.get("default", "a", Long.toString(rv(a) + 1)));
            assertThat(future.code()).as("a get at a revision the store has not reached: " + future).isEqualTo(504);
            assertThat(future.getMessage()).isEqualTo("Too large resource version: " + (rv(a) + 1) + ", current: " + rv(a));
            assertThat(s.failure(pods.get("default", "a", "-1")).code()).as("a get at resourceVersion -1").isEqualTo(400);
        });
    }

    @Graded(lab = 5, part = "A", points = 3, value = "a stopped or failed watch closes its etcd stream; a bad resourceVersion or a value that is not an object ends it with an ERROR event")
    void watchesCleanUpAndReportErrors(Seeds seeds) {
        seeds.run(5, run -> {
            ApiStorage s = new ApiStorage(run.seed(), Faults.RELIABLE, run.trace());
            ApiStorage.Client c = s.client();
            Counting counting = new Counting(c.etcd());
            ObjectStore pods = c.through(counting).store(Resource.PODS);
            ObjectNode a = s.await(pods.create(pod("default", "a")));
            Heard stopped = new Heard();
            ObjectStore.Watch w = pods.watch("default", WatchOptions.from(rv(a)), stopped);
            s.sim().runFor(500);
            w.stop();
            assertThat(counting.cancels).as("etcd streams closed after stop()").isEqualTo(counting.watches).isEqualTo(1);
            Heard bad = new Heard();
            pods.watch("default", new WatchOptions("soon", Selection.EVERYTHING, false), bad);
            s.sim().runUntil(() -> bad.ended != null, 5_000);
            assertThat(bad.events).as("a watch from resourceVersion=soon").singleElement()
                    .satisfies(e -> assertThat(e.object().path("code").asInt()).isEqualTo(400));
            assertThat(bad.ended).as("it ended").isNotNull();
            Heard garbage = new Heard();
            pods.watch("default", WatchOptions.from(rv(a)), garbage);
            s.await(c.etcd().put("/registry/pods/default/broken", "not json"));
            s.sim().runUntil(() -> garbage.ended != null, 5_000);
            assertThat(garbage.events).as("a watch that meets a stored value that is not an object").last()
                    .satisfies(e -> assertThat(e.object().path("code").asInt()).isEqualTo(500));
            assertThat(garbage.ended).as("it ended").isNotNull();
            assertThat(counting.cancels).as("every etcd stream of a watch that ended is closed").isEqualTo(counting.watches);
            Heard listing = new Heard();
            pods.watch("default", new WatchOptions("", Selection.EVERYTHING, false), listing);
            s.sim().runUntil(() -> listing.ended != null, 5_000);
            assertThat(listing.events).as("a watch from \"\" whose first list meets a value that is not an object").last()
                    .satisfies(e -> assertThat(e.object().path("code").asInt()).isEqualTo(500));
            assertThat(s.failure(pods.list("default", ListOptions.LATEST)).code()).as("a list over a value that is not an object").isEqualTo(500);
        });
    }

    @Graded(lab = 5, part = "A", points = 3, value = "a watch that allows bookmarks gets BOOKMARK events while nothing changes; one that does not, none")
    void bookmarks(Seeds seeds) {
        seeds.run(5, run -> {
            ApiStorage s = new ApiStorage(run.seed(), Faults.RELIABLE, run.trace());
            ObjectStore pods = s.client().store(Resource.PODS);
            ObjectNode a = s.await(pods.create(pod("default", "a")));
            Heard with = new Heard(), without = new Heard();
            pods.watch("default", new WatchOptions(ObjectJson.resourceVersion(a), Selection.EVERYTHING, true), with);
            pods.watch("default", new WatchOptions(ObjectJson.resourceVersion(a), Selection.EVERYTHING, false), without);
            s.sim().runFor(30_000);
            assertThat(with.events).as("events of a watch allowing bookmarks, 30 s without a write").isNotEmpty().allSatisfy(e -> {
                assertThat(e.type()).isEqualTo(WatchEvent.Type.BOOKMARK);
                assertThat(rv(e.object())).as("a bookmark's resourceVersion").isEqualTo(rv(a));
                assertThat(e.object().path("kind").asText()).isEqualTo("Pod");
            });
            assertThat(without.events).as("events of a watch not allowing bookmarks").isEmpty();
        });
    }
}
