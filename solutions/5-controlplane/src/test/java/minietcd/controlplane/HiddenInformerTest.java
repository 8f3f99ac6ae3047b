package minietcd.controlplane;

import static minietcd.kit.harness.KubeObjects.node;
import static minietcd.kit.harness.KubeObjects.pod;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
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
import minietcd.kit.controlplane.StatusException;
import minietcd.kit.controlplane.WatchEvent;
import minietcd.kit.controlplane.WatchOptions;
import minietcd.kit.controlplane.WorkQueue;
import minietcd.kit.harness.ApiStorage;
import minietcd.kit.harness.HandlerModel;
import minietcd.kit.harness.ManualTimers;
import minietcd.kit.harness.SimTimers;
import minietcd.kit.sim.Faults;
import minietcd.kit.testing.Graded;
import minietcd.kit.testing.Seeds;

/** Lab 5 part B, the instructor's tests: the informer under faults and failures, the work queue under random use. */
class HiddenInformerTest {
    /** A source that counts, can fail its first lists, and can end its first watch with an error. */
    static final class Source implements ListerWatcher {
        final ListerWatcher inner;
        final ApiStorage s;
        final List<Long> listedAt = new ArrayList<>();
        final List<String> watchedFrom = new ArrayList<>();
        int failLists, failWatches, stops;
        /** Whether a stopped watch still delivers what was on its way (a stream's buffered events). */
        boolean leaky;

        Source(ApiStorage s, ListerWatcher inner) {
            this.s = s;
            this.inner = inner;
        }

        @Override
        public CompletableFuture<ObjectList> list(ListOptions options) {
            listedAt.add(s.sim().now());
            if (failLists > 0) {
                failLists--;
                return CompletableFuture.failedFuture(new StatusException(504, "Timeout", "the store did not answer", null, null));
            }
            return inner.list(options);
        }

        @Override
        public ObjectStore.Watch watch(WatchOptions options, ObjectStore.Listener listener) {
            watchedFrom.add(options.resourceVersion());
            if (failWatches > 0) {
                failWatches--;
                s.sim().schedule(10, "a failing watch", () -> {
                    listener.onEvent(WatchEvent.error(StatusException.internal("the watch failed")));
                    listener.ended("the watch failed");
                });
                return () -> stops++;
            }
            ObjectStore.Watch w = inner.watch(options, listener);
            return () -> {
                stops++;
                if (!leaky) w.stop();
            };
        }
    }

    static Map<String, ObjectNode> byKey(List<ObjectNode> objects) {
        Map<String, ObjectNode> m = new TreeMap<>();
        for (ObjectNode o : objects) m.put(Informer.keyOf(o), o);
        return m;
    }

    @Graded(lab = 5, part = "B", points = 5, value = "through message loss, crashes and compactions, an informer's cache and handlers end equal to the store")
    void randomWritesUnderFaults(Seeds seeds) {
        seeds.run(20, run -> {
            ApiStorage s = new ApiStorage(run.seed(), Faults.UNRELIABLE, run.trace());
            SplittableRandom random = new SplittableRandom(run.seed());
            int leader = s.cluster().leader(), follower = leader % 3 + 1, other = follower % 3 + 1;
            ApiStorage.Client w = s.client(List.of(leader, other, follower), 3_000);
            ObjectStore writer = w.store(Resource.PODS);
            Informer informer = Components.informer(ListerWatcher.of(s.client(List.of(follower, other), 3_000).store(Resource.PODS), ""), Resource.PODS,
                    new SimTimers(s.sim(), "informer"), 0);
            HandlerModel heard = new HandlerModel(informer);
            informer.addEventHandler(heard);
            informer.start();
            for (int step = 0; step < 40; step++) {
                String name = "p" + random.nextInt(6);
                int dice = random.nextInt(100);
                CompletableFuture<?> op = dice < 40 ? writer.create(pod(random.nextBoolean() ? "a" : "b", name))
                        : dice < 75 ? writer.update(random.nextBoolean() ? "a" : "b", name, Preconditions.NONE, o -> {
                            ObjectJson.metadata(o).putObject("labels").put("step", Integer.toString(random.nextInt(1000)));
                            return o;
                        })
                        : writer.delete(random.nextBoolean() ? "a" : "b", name, Preconditions.NONE);
                try {
                    s.await(op);
                } catch (StatusException e) {
                    // 404, 409 or a timeout: the store decides, the informer must follow it
                }
                if (step == 10) s.sim().crash(follower);
                if (step == 20) {
                    try {
                        // at a revision of a key no informer watches: etcd's one quirk, a DELETE at exactly the
                        // compaction revision missing from a watch that starts there, cannot hide a pod's delete
                        long rev = s.await(w.etcd().put("/marker", "compact here")).revision();
                        s.await(w.etcd().compact(rev));
                    } catch (RuntimeException e) {
                        // a lost compaction: the informer may resume instead of relisting
                    }
                }
                if (step == 25) s.sim().restart(follower);
            }
            Map<String, ObjectNode>[] store = new Map[1];
            boolean converged = s.sim().runUntil(() -> {
                if (store[0] == null || !byKey(informer.list()).equals(store[0])) {
                    CompletableFuture<ObjectList> l = writer.list("", ListOptions.LATEST);
                    s.sim().runUntil(l::isDone, 5_000);
                    if (l.isDone() && !l.isCompletedExceptionally()) store[0] = byKey(l.join().items());
                }
                return store[0] != null && byKey(informer.list()).equals(store[0]);
            }, 120_000);
            assertThat(converged).as("the cache reached the store's state within 120 s of the last write (cache %s, store %s; the informer at %s; the handlers heard, last: %s)",
                    byKey(informer.list()).keySet(), store[0] == null ? "unread" : store[0].keySet(), informer.lastSyncResourceVersion(),
                    heard.log.subList(Math.max(0, heard.log.size() - 12), heard.log.size())).isTrue();
            assertThat(heard.objects).as("what the handlers heard, against the store").isEqualTo(store[0]);
        });
    }

    @Graded(lab = 5, part = "B", points = 3, value = "bookmarks move an informer's resourceVersion on while nothing it watches changes")
    void bookmarksMoveTheResourceVersion(Seeds seeds) {
        seeds.run(5, run -> {
            ApiStorage s = new ApiStorage(run.seed(), Faults.RELIABLE, run.trace());
            ApiStorage.Client c = s.client();
            s.await(c.store(Resource.PODS).create(pod("default", "a")));
            Informer informer = Components.informer(ListerWatcher.of(c.store(Resource.PODS), ""), Resource.PODS, new SimTimers(s.sim(), "informer"), 0);
            informer.start();
            s.sim().runUntil(informer::hasSynced, 10_000);
            ObjectNode last = null;
            for (int i = 0; i < 3; i++) last = s.await(c.store(Resource.NODES).create(node("n" + i)));
            s.sim().runFor(30_000);
            assertThat(informer.lastSyncResourceVersion()).as("the pods informer's resourceVersion after 30 quiet seconds, nodes written meanwhile")
                    .isEqualTo(ObjectJson.resourceVersion(last));
        });
    }

    @Graded(lab = 5, part = "B", points = 3, value = "a failed list is tried again after 100 ms, then 200, then 400; a failed watch is watched again from where it was, without a list")
    void retries(Seeds seeds) {
        seeds.run(5, run -> {
            ApiStorage s = new ApiStorage(run.seed(), Faults.RELIABLE, run.trace());
            ObjectStore pods = s.client().store(Resource.PODS);
            ObjectNode a = s.await(pods.create(pod("default", "a")));
            Source source = new Source(s, ListerWatcher.of(pods, ""));
            source.failLists = 3;
            source.failWatches = 1;
            Informer informer = Components.informer(source, Resource.PODS, new SimTimers(s.sim(), "informer"), 0);
            informer.start();
            s.sim().runUntil(() -> informer.hasSynced() && source.watchedFrom.size() >= 2, 10_000);
            List<Long> gaps = new ArrayList<>();
            for (int i = 1; i < source.listedAt.size(); i++) gaps.add(source.listedAt.get(i) - source.listedAt.get(i - 1));
            assertThat(gaps).as("the time between list attempts, three failing").containsExactly(100L, 200L, 400L);
            assertThat(informer.hasSynced()).as("synced after the fourth list").isTrue();
            assertThat(source.watchedFrom).as("watches: a failing one, then one from the same resourceVersion").hasSize(2).containsOnly(ObjectJson.resourceVersion(a));
            assertThat(source.listedAt).as("lists (a failed watch does not relist)").hasSize(4);
        });
    }

    @Graded(lab = 5, part = "B", points = 2, value = "a handler added after the first list hears of every cached object; stop ends the watch and every retry")
    void lateHandlersAndStop(Seeds seeds) {
        seeds.run(5, run -> {
            ApiStorage s = new ApiStorage(run.seed(), Faults.RELIABLE, run.trace());
            ObjectStore pods = s.client().store(Resource.PODS);
            for (int i = 0; i < 3; i++) s.await(pods.create(pod("default", "p" + i)));
            Source source = new Source(s, ListerWatcher.of(pods, ""));
            Informer informer = Components.informer(source, Resource.PODS, new SimTimers(s.sim(), "informer"), 0);
            informer.start();
            s.sim().runUntil(informer::hasSynced, 10_000);
            HandlerModel late = new HandlerModel(informer);
            informer.addEventHandler(late);
            assertThat(late.objects.keySet()).as("what a handler added after the first list heard").containsExactly("default/p0", "default/p1", "default/p2");
            source.leaky = true; // what the stream still delivers after stop() must change nothing
            informer.stop();
            assertThat(source.stops).as("watches stopped by stop()").isEqualTo(1);
            s.await(pods.create(pod("default", "after")));
            s.sim().runFor(30_000);
            assertThat(late.log).as("what the handler heard after stop(), its watch still delivering").hasSize(3);
            assertThat(informer.get("default/after")).as("the cache after stop(), its watch still delivering").isEmpty();
            assertThat(source.listedAt.size() + source.watchedFrom.size()).as("lists and watches, after stop and 30 s").isEqualTo(2);
            Source failing = new Source(s, ListerWatcher.of(pods, ""));
            failing.failLists = 1_000;
            Informer retrying = Components.informer(failing, Resource.PODS, new SimTimers(s.sim(), "retrying"), 0);
            retrying.start();
            s.sim().runFor(150);
            retrying.stop();
            int tried = failing.listedAt.size();
            s.sim().runFor(30_000);
            assertThat(failing.listedAt).as("lists of an informer stopped while it waited to list again").hasSize(tried);
            Informer resyncing = Components.informer(ListerWatcher.of(pods, ""), Resource.PODS, new SimTimers(s.sim(), "resyncing"), 1_000);
            HandlerModel after = new HandlerModel(resyncing);
            resyncing.addEventHandler(after);
            resyncing.start();
            s.sim().runUntil(resyncing::hasSynced, 10_000);
            resyncing.stop();
            int heard = after.log.size();
            s.sim().runFor(30_000);
            assertThat(after.log).as("what the handler of an informer that resyncs every second heard in the 30 s after stop()").hasSize(heard);
        });
    }

    @Graded(lab = 5, part = "B", points = 4, value = "three workers taking random keys never hold one key at once, and every key added is processed after it was added")
    void workersUnderRandomUse(Seeds seeds) {
        seeds.run(200, run -> {
            SplittableRandom random = new SplittableRandom(run.seed());
            ManualTimers clock = new ManualTimers();
            WorkQueue q = Components.workQueue(clock);
            Map<Integer, String> held = new HashMap<>();
            Map<String, Long> addedAt = new HashMap<>(), processedAt = new HashMap<>();
            for (int step = 0; step < 300; step++) {
                int dice = random.nextInt(100);
                String key = "k" + random.nextInt(5);
                int worker = random.nextInt(3);
                if (dice < 35) {
                    q.add(key);
                    addedAt.put(key, (long) step);
                } else if (dice < 45) {
                    q.addRateLimited(key);
                    addedAt.put(key, (long) step);
                } else if (dice < 75 && !held.containsKey(worker)) {
                    Optional<String> k = q.get();
                    if (k.isPresent()) {
                        assertThat(held).as("step %d: worker %d got %s, which another worker holds", step, worker, k.get()).doesNotContainValue(k.get());
                        held.put(worker, k.get());
                        processedAt.put(k.get(), (long) step);
                    }
                } else if (held.containsKey(worker)) {
                    q.done(held.remove(worker));
                }
                clock.advance(random.nextInt(4));
            }
            for (String k : held.values()) q.done(k);
            held.clear();
            clock.advance(10_000_000);
            for (Optional<String> k = q.get(); k.isPresent(); k = q.get()) {
                processedAt.put(k.get(), 1_000L);
                q.done(k.get());
                clock.advance(10_000_000);
            }
            Set<String> lost = new HashSet<>();
            for (Map.Entry<String, Long> e : addedAt.entrySet())
                if (processedAt.getOrDefault(e.getKey(), -1L) < e.getValue()) lost.add(e.getKey());
            assertThat(lost).as("keys added and never processed after their last add").isEmpty();
        });
    }

    @Graded(lab = 5, part = "B", points = 2, value = "each key has its own backoff, and the backoff stops growing at 1000 s")
    void backoffPerKeyAndCapped() {
        ManualTimers clock = new ManualTimers();
        WorkQueue q = Components.workQueue(clock);
        for (int i = 0; i < 3; i++) q.addRateLimited("slow");
        clock.advance(100);
        assertThat(q.get()).as("the key after three rate-limited adds").contains("slow");
        q.done("slow");
        q.addRateLimited("slow");
        q.addRateLimited("fast");
        clock.advance(5);
        assertThat(q.get()).as("5 ms after rate-limited adds of a key that failed three times and of one that never failed").contains("fast");
        q.done("fast");
        ManualTimers fresh = new ManualTimers();
        WorkQueue capped = Components.workQueue(fresh);
        for (int i = 0; i < 45; i++) capped.addRateLimited("k"); // waits of 5 ms, 10, ..., then 1000 s for the 19th on
        fresh.advance(1_000_000 - 1);
        assertThat(fresh.pending()).as("rate-limited adds still waiting 1 ms before 1000 s").isPositive();
        fresh.advance(1);
        assertThat(fresh.pending()).as("rate-limited adds still waiting at 1000 s (the backoff stops growing there)").isZero();
        assertThat(capped.numRequeues("k")).as("numRequeues").isEqualTo(45);
    }
}
