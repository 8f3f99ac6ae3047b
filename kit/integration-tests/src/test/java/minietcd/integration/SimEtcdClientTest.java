package minietcd.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import minietcd.kit.client.SimEtcdClient;
import minietcd.kit.client.WatchListener;
import minietcd.kit.harness.StoreCluster;
import minietcd.kit.mvcc.Bytes;
import minietcd.kit.mvcc.EtcdException;
import minietcd.kit.mvcc.Event;
import minietcd.kit.mvcc.KvResponse;
import minietcd.kit.replica.StoreNode;
import minietcd.kit.sim.Faults;
import minietcd.kit.sim.Simulator;
import minietcd.kit.sim.Trace;
import minietcd.kit.watch.WatchRequest;
import minietcd.kit.watch.WatchResponse;
import org.junit.jupiter.api.Test;

/**
 * The typed client as a node of the simulator: its requests and watch streams cross the simulated
 * network to the replicated store, so a member's crash or a lost message reaches it as it reaches a
 * real client (a failed call, a broken stream), never as a silent gap or a lost acknowledged write.
 */
class SimEtcdClientTest {
    private static SimEtcdClient client(Simulator sim, List<Integer> endpoints) {
        SimEtcdClient[] made = new SimEtcdClient[1];
        sim.addClient(ctx -> made[0] = new SimEtcdClient(ctx, endpoints, 2_000));
        return made[0];
    }

    private static <T> T await(Simulator sim, CompletableFuture<T> f) {
        assertThat(sim.runUntil(f::isDone, 30_000)).as("the call ended").isTrue();
        return f.join();
    }

    /** What one watch stream heard. */
    private static final class Heard implements WatchListener {
        final List<WatchResponse> responses = new ArrayList<>();
        String broken;

        @Override public void onResponse(WatchResponse r) { responses.add(r); }
        @Override public void broken(String why) { broken = why; }

        List<Event> events() {
            List<Event> all = new ArrayList<>();
            for (WatchResponse r : responses) all.addAll(r.events());
            return all;
        }

        long lastRevision() {
            List<Event> e = events();
            return e.isEmpty() ? 0 : e.get(e.size() - 1).kv().modRevision();
        }
    }

    @Test
    void putsAndReadsCrossTheNetworkAndSurviveTheLeadersCrash() {
        StoreCluster c = new StoreCluster(3, 3, StoreNode.Config.DEFAULT, Faults.RELIABLE, Trace.off());
        int leader = c.awaitLeader(10_000);
        SimEtcdClient client = client(c.sim(), List.of(leader, leader % 3 + 1));
        KvResponse.Put first = await(c.sim(), client.put("a", "1"));
        assertThat(first.revision()).isEqualTo(2);
        c.sim().crash(leader);
        CompletableFuture<KvResponse.Put> lost = client.put("b", "2");
        assertThat(c.sim().runUntil(lost::isDone, 10_000)).isTrue();
        assertThat(lost).as("a call to a crashed member fails with the client's deadline").isCompletedExceptionally();
        Throwable failure = lost.handle((r, e) -> e instanceof java.util.concurrent.CompletionException ? e.getCause() : e).join();
        assertThat(failure).isInstanceOfSatisfying(EtcdException.class, e -> {
            assertThat(e.code()).isEqualTo(EtcdException.DEADLINE_EXCEEDED);
            assertThat(e.getMessage()).isEqualTo("context deadline exceeded");
        });
        assertThat(client.endpoint()).as("the client moved on to the next member").isNotEqualTo(leader);
        KvResponse.Put second = await(c.sim(), client.put("b", "3"));
        KvResponse.Range read = await(c.sim(), client.get("a"));
        assertThat(read.kvs()).singleElement().satisfies(kv -> assertThat(kv.value()).isEqualTo(Bytes.of("1")));
        assertThat(read.revision()).isGreaterThanOrEqualTo(second.revision());
        c.sim().restart(leader);
        c.checkConverged(20_000);
    }

    @Test
    void aWatchSeesEveryEventInOrderAndAMembersCrashBreaksItOpenlySoItResumesWithoutAGap() {
        StoreCluster c = new StoreCluster(5, 3, StoreNode.Config.DEFAULT, Faults.RELIABLE, Trace.off());
        int leader = c.awaitLeader(10_000), follower = leader % 3 + 1, other = follower % 3 + 1;
        SimEtcdClient writer = client(c.sim(), List.of(leader, other));
        SimEtcdClient watcher = client(c.sim(), List.of(follower, other));
        Heard first = new Heard();
        watcher.watch(WatchRequest.prefix(Bytes.of("k")).from(1).withPrevKv(), first);
        for (int i = 0; i < 10; i++) await(c.sim(), writer.put("k" + (i % 3), "v" + i));
        c.sim().runFor(500);
        assertThat(first.events()).hasSize(10);
        c.sim().crash(follower);
        assertThat(c.sim().runUntil(() -> first.broken != null, 10_000)).as("the stream of the crashed member ends openly").isTrue();
        for (int i = 10; i < 15; i++) await(c.sim(), writer.put("k" + (i % 3), "v" + i));
        Heard resumed = new Heard();
        CompletableFuture<KvResponse.Range> moved = watcher.get("k0"); // times out on the crashed member: the client moves on
        c.sim().runUntil(moved::isDone, 10_000);
        assertThat(watcher.endpoint()).isEqualTo(other);
        watcher.watch(WatchRequest.prefix(Bytes.of("k")).from(first.lastRevision() + 1).withPrevKv(), resumed);
        c.sim().runFor(1_000);
        List<Event> all = new ArrayList<>(first.events());
        all.addAll(resumed.events());
        assertThat(all).hasSize(15);
        for (int i = 0; i < all.size(); i++) {
            assertThat(all.get(i).kv().value()).isEqualTo(Bytes.of("v" + i));
            assertThat(all.get(i).kv().modRevision()).isEqualTo(i + 2);
        }
        assertThat(resumed.broken).isNull();
    }

    @Test
    void aLostWatchMessageBreaksTheStreamInsteadOfLeavingAGap() {
        StoreCluster c = new StoreCluster(7, 3, StoreNode.Config.DEFAULT, Faults.RELIABLE, Trace.off());
        int leader = c.awaitLeader(10_000), follower = leader % 3 + 1;
        SimEtcdClient writer = client(c.sim(), List.of(leader));
        int[] watcherId = new int[1];
        SimEtcdClient[] made = new SimEtcdClient[1];
        watcherId[0] = c.sim().addClient(ctx -> made[0] = new SimEtcdClient(ctx, List.of(follower), 2_000));
        Heard heard = new Heard();
        made[0].watch(WatchRequest.of(Bytes.of("x")), heard);
        c.sim().runFor(200);
        await(c.sim(), writer.put("x", "1"));
        c.sim().runFor(200);
        c.sim().blockOneWay(follower, watcherId[0]); // the member's next message to the watcher is lost
        await(c.sim(), writer.put("x", "2"));
        c.sim().runFor(200);
        c.sim().heal();
        await(c.sim(), writer.put("x", "3"));
        assertThat(c.sim().runUntil(() -> heard.broken != null, 5_000)).as("the stream ends openly").isTrue();
        assertThat(heard.events()).extracting(e -> e.kv().value()).containsExactly(Bytes.of("1"));
        assertThat(heard.broken).contains("lost");
    }
}
