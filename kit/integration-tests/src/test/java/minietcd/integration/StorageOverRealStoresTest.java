package minietcd.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import minietcd.kit.bench.EtcdCluster;
import minietcd.kit.bench.EtcdInstall;
import minietcd.kit.client.HttpEtcdClient;
import minietcd.kit.controlplane.Components;
import minietcd.kit.controlplane.ListOptions;
import minietcd.kit.controlplane.ObjectJson;
import minietcd.kit.controlplane.ObjectList;
import minietcd.kit.controlplane.ObjectStore;
import minietcd.kit.controlplane.Preconditions;
import minietcd.kit.controlplane.Resource;
import minietcd.kit.controlplane.StatusException;
import minietcd.kit.controlplane.WatchEvent;
import minietcd.kit.controlplane.WatchOptions;
import minietcd.kit.harness.KubeObjects;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Lab 5's storage layer (the reference's) over real stores, the kit's cluster and a real etcd 3.4.23
 * alike, through the HTTP client: create and AlreadyExists, compare-and-swap updates from two API
 * servers at once, a stale resourceVersion's Conflict, pages at one revision, a watch's ADDED,
 * MODIFIED and DELETED in order with the delete's revision, and 410 Expired after a compaction.
 * The etcd run is skipped where etcd is not installed; CI installs it.
 */
class StorageOverRealStoresTest {
    @TempDir Path dir;

    private static <T> T done(CompletableFuture<T> f) throws Exception {
        try {
            return f.get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) throw cause;
            throw e;
        }
    }

    private static int status(CompletableFuture<?> f) throws Exception {
        try {
            done(f);
            return 200;
        } catch (StatusException e) {
            return e.code();
        }
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"the kit's store", "etcd 3.4.23"})
    void theStorageLayerKeepsKubernetesSemantics(String store) throws Exception {
        boolean etcd = store.startsWith("etcd");
        if (etcd) assumeTrue(EtcdInstall.onPath("etcd").isPresent(), "etcd is not installed");
        LocalCluster ours = etcd ? null : new LocalCluster(dir.resolve("ours"), 3);
        EtcdCluster theirs = etcd ? EtcdCluster.start(EtcdInstall.onPath("etcd").get(), 3, dir, Duration.ofSeconds(60)) : null;
        List<String> urls = etcd ? theirs.clientUrls().stream().map(URI::toString).toList() : List.of(ours.url(1), ours.url(2), ours.url(3));
        try (HttpEtcdClient one = new HttpEtcdClient(urls, Duration.ofSeconds(10));
             HttpEtcdClient two = new HttpEtcdClient(List.of(urls.get(1), urls.get(2), urls.get(0)), Duration.ofSeconds(10))) {
            ObjectStore pods = Components.objectStore(one, Resource.PODS), otherPods = Components.objectStore(two, Resource.PODS);

            ObjectNode web = done(pods.create(KubeObjects.pod("default", "web", "app", "web")));
            long created = Long.parseLong(ObjectJson.resourceVersion(web));
            assertThat(created).as("a created pod's resourceVersion").isPositive();
            assertThat(status(pods.create(KubeObjects.pod("default", "web")))).as("a second create of web").isEqualTo(409);

            List<ObjectStore.Watch> watches = new ArrayList<>();
            LinkedBlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
            watches.add(pods.watch("default", WatchOptions.from(created), new ObjectStore.Listener() {
                @Override public void onEvent(WatchEvent e) { events.add(e); }
                @Override public void ended(String why) { }
            }));

            List<CompletableFuture<ObjectNode>> increments = new ArrayList<>();
            for (int i = 0; i < 10; i++)
                for (ObjectStore s : List.of(pods, otherPods))
                    increments.add(s.update("default", "web", Preconditions.NONE, p -> {
                        String count = ObjectJson.text(p, "metadata", "annotations", "count");
                        ObjectJson.metadata(p).putObject("annotations").put("count", Integer.toString((count.isEmpty() ? 0 : Integer.parseInt(count)) + 1));
                        return p;
                    }));
            for (CompletableFuture<ObjectNode> f : increments) done(f);
            ObjectNode counted = done(pods.get("default", "web", ""));
            assertThat(ObjectJson.text(counted, "metadata", "annotations", "count")).as("20 increments from two API servers at once, none lost").isEqualTo("20");
            assertThat(status(pods.update("default", "web", new Preconditions("", Long.toString(created)), p -> p))).as("an update under a stale resourceVersion").isEqualTo(409);

            for (int i = 1; i <= 5; i++) done(pods.create(KubeObjects.pod("default", "p" + i)));
            ObjectList first = done(pods.list("default", ListOptions.LATEST.withLimit(2)));
            assertThat(first.items()).as("the first page of 2").hasSize(2);
            List<String> names = new ArrayList<>();
            first.items().forEach(p -> names.add(ObjectJson.name(p)));
            done(pods.create(KubeObjects.pod("default", "p0"))); // after the first page: not in the pages that follow
            for (ObjectList page = first; !page.continueToken().isEmpty(); ) {
                page = done(pods.list("default", ListOptions.LATEST.withLimit(2).withContinue(page.continueToken())));
                assertThat(page.resourceVersion()).as("every page at the first page's revision").isEqualTo(first.resourceVersion());
                page.items().forEach(p -> names.add(ObjectJson.name(p)));
            }
            assertThat(names).as("the pages, in key order, at one revision").containsExactly("p1", "p2", "p3", "p4", "p5", "web");

            ObjectNode deleted = done(pods.delete("default", "p1", Preconditions.NONE));
            WatchEvent e;
            List<WatchEvent.Type> seen = new ArrayList<>();
            long deleteRevision = 0;
            while ((e = events.poll(10, TimeUnit.SECONDS)) != null) {
                if (e.type() == WatchEvent.Type.BOOKMARK) continue;
                seen.add(e.type());
                if (e.type() == WatchEvent.Type.DELETED) {
                    deleteRevision = Long.parseLong(ObjectJson.resourceVersion(e.object()));
                    break;
                }
            }
            assertThat(seen).as("the watch from web's creation: 20 updates, 6 creates, then the delete")
                    .hasSize(27).startsWith(WatchEvent.Type.MODIFIED).endsWith(WatchEvent.Type.DELETED);
            assertThat(deleteRevision).as("the deleted object's resourceVersion: the delete's revision").isEqualTo(Long.parseLong(ObjectJson.resourceVersion(deleted)));

            done(one.compact(deleteRevision));
            assertThat(status(pods.list("default", ListOptions.LATEST.at(Long.toString(created))))).as("a list at a compacted revision").isEqualTo(410);
            LinkedBlockingQueue<WatchEvent> late = new LinkedBlockingQueue<>();
            watches.add(pods.watch("default", WatchOptions.from(created), new ObjectStore.Listener() {
                @Override public void onEvent(WatchEvent ev) { late.add(ev); }
                @Override public void ended(String why) { }
            }));
            WatchEvent error = late.poll(10, TimeUnit.SECONDS);
            assertThat(error).as("a watch from a compacted revision").isNotNull();
            assertThat(error.type()).isEqualTo(WatchEvent.Type.ERROR);
            assertThat(error.object().path("code").asInt()).as("its Status's code").isEqualTo(410);
            watches.forEach(ObjectStore.Watch::stop);
        } finally {
            if (ours != null) ours.close();
            if (theirs != null) theirs.close();
        }
    }
}
