package minietcd.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import minietcd.kit.harness.StoreCluster;
import minietcd.kit.replica.Outcome;
import minietcd.kit.replica.StoreNode;
import minietcd.kit.sim.Faults;
import minietcd.kit.sim.Trace;
import org.junit.jupiter.api.Test;

/**
 * The replicated store's client-visible rules, one scenario each, in the simulator over the
 * reference solutions: where a request may be sent, what it sees, and how it ends without a quorum.
 */
class StoreNodeTest {
    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Submits and runs the simulation until the reply comes (or fails the test after maxMillis). */
    private static Outcome call(StoreCluster c, int member, String rpc, String body, long maxMillis) {
        List<Outcome> got = new ArrayList<>();
        assertThat(c.submit(member, rpc, body, got::add)).as("member %d is up", member).isTrue();
        c.sim().runUntil(() -> !got.isEmpty(), maxMillis);
        assertThat(got).as("a reply to %s %s from member %d within %d ms", rpc, body, member, maxMillis).hasSize(1);
        return got.get(0);
    }

    private static String ok(Outcome o) {
        assertThat(o).isInstanceOf(Outcome.Answer.class);
        return ((Outcome.Answer) o).json();
    }

    private static StoreCluster cluster(long seed) {
        StoreCluster c = new StoreCluster(seed, 3, StoreNode.Config.DEFAULT, Faults.RELIABLE, Trace.off());
        c.awaitLeader(10_000);
        return c;
    }

    private static int follower(StoreCluster c) {
        int leader = c.leader();
        return leader == 1 ? 2 : 1;
    }

    @Test
    void aWriteSentToAFollowerIsForwardedAndAnsweredByThatFollower() {
        StoreCluster c = cluster(1);
        int f = follower(c);
        String put = ok(call(c, f, "kv/put", "{\"key\":\"" + b64("foo") + "\",\"value\":\"" + b64("bar") + "\"}", 2_000));
        assertThat(put).contains("\"member_id\":\"" + Long.toUnsignedString(minietcd.kit.replica.MemberIds.member(f)) + "\"").contains("\"revision\":\"2\"");
        for (int m = 1; m <= 3; m++) {
            String got = ok(call(c, m, "kv/range", "{\"key\":\"" + b64("foo") + "\"}", 2_000));
            assertThat(got).as("a linearizable read on member %d", m).contains("\"value\":\"" + b64("bar") + "\"");
        }
        c.checkConverged(5_000);
    }

    @Test
    void aCompactedLogRefersToTheBackendAndAMemberFarBehindInstallsTheLeadersWholeStore() {
        StoreNode.Config every50 = new StoreNode.Config(StoreNode.Config.DEFAULT.raft().withSnapshots(50), StoreNode.Config.DEFAULT.requestTimeoutMillis());
        StoreCluster c = new StoreCluster(3, 3, every50, Faults.RELIABLE, Trace.off());
        c.awaitLeader(10_000);
        int f = follower(c);
        c.sim().crash(f);
        for (int i = 0; i < 120; i++) ok(call(c, c.leader(), "kv/put", "{\"key\":\"" + b64("k" + (i % 7)) + "\",\"value\":\"" + b64("v" + i) + "\"}", 2_000));
        minietcd.kit.raft.Snapshot own = c.node(c.leader()).raft().log().snapshot();
        assertThat(own.index()).as("the leader compacted its log").isGreaterThan(50);
        assertThat(own.data()).as("its snapshot refers to its backend instead of copying the store").isEqualTo("in-backend " + own.index());
        c.sim().restart(f);
        c.checkConverged(20_000);
        assertThat(c.snapshotsInstalled()).as("the restarted member took the leader's whole store").isEqualTo(1);
        assertThat(ok(call(c, f, "kv/range", "{\"key\":\"" + b64("k0") + "\",\"serializable\":true}", 2_000)))
                .as("the restarted member serves what it installed").contains(b64("v119")).contains("\"revision\":\"121\"");
    }

    @Test
    void withoutAQuorumWritesAndLinearizableReadsTimeOutWithEtcdsErrorsAndSerializableReadsAnswer() {
        StoreCluster c = cluster(2);
        ok(call(c, 1, "kv/put", "{\"key\":\"" + b64("q") + "\",\"value\":\"" + b64("1") + "\"}", 2_000));
        c.sim().runFor(500);
        int leader = c.leader();
        for (int m = 1; m <= 3; m++) if (m != leader) c.sim().crash(m);
        long t0 = c.sim().now();
        Outcome put = call(c, leader, "kv/put", "{\"key\":\"" + b64("q") + "\",\"value\":\"" + b64("2") + "\"}", 10_000);
        assertThat(put).isInstanceOf(Outcome.Refused.class);
        assertThat(((Outcome.Refused) put).error().getMessage()).isEqualTo("context deadline exceeded");
        assertThat(((Outcome.Refused) put).error().code()).isEqualTo(2);
        assertThat(c.sim().now() - t0).as("the put ends after the request timeout").isBetween(6_900L, 7_200L);
        Outcome read = call(c, leader, "kv/range", "{\"key\":\"" + b64("q") + "\"}", 10_000);
        assertThat(((Outcome.Refused) read).error().getMessage()).isEqualTo("etcdserver: request timed out");
        assertThat(((Outcome.Refused) read).error().code()).isEqualTo(14);
        Outcome grant = call(c, leader, "lease/grant", "{\"TTL\":10}", 10_000);
        assertThat(((Outcome.Refused) grant).error().getMessage()).isEqualTo("context deadline exceeded");
        String serializable = ok(call(c, leader, "kv/range", "{\"key\":\"" + b64("q") + "\",\"serializable\":true}", 10));
        assertThat(serializable).contains("\"value\":\"" + b64("1") + "\"");
    }

    @Test
    void aLeaseExpiresOnEveryMemberOnceItsTimeIsUpAndKeepAliveThroughAFollowerExtendsIt() {
        StoreCluster c = cluster(3);
        int f = follower(c);
        String grant = ok(call(c, f, "lease/grant", "{\"TTL\":5}", 2_000));
        String id = grant.replaceAll(".*\"ID\":\"(\\d+)\".*", "$1");
        ok(call(c, f, "kv/put", "{\"key\":\"" + b64("l") + "\",\"value\":\"" + b64("v") + "\",\"lease\":\"" + id + "\"}", 2_000));
        c.sim().runFor(4_000);
        String kept = ok(call(c, f, "lease/keepalive", "{\"ID\":\"" + id + "\"}", 2_000));
        assertThat(kept).contains("\"TTL\":\"5\"");
        c.sim().runFor(4_000);
        for (int m = 1; m <= 3; m++)
            assertThat(ok(call(c, m, "kv/range", "{\"key\":\"" + b64("l") + "\"}", 2_000))).as("the key lives on member %d", m).contains("\"kvs\"");
        c.sim().runFor(3_000);
        for (int m = 1; m <= 3; m++)
            assertThat(ok(call(c, m, "kv/range", "{\"key\":\"" + b64("l") + "\"}", 2_000))).as("the key expired on member %d", m).doesNotContain("\"kvs\"");
        String ttl = ok(call(c, 1, "lease/timetolive", "{\"ID\":\"" + id + "\"}", 2_000));
        assertThat(ttl).contains("\"TTL\":\"-1\"");
        c.checkConverged(5_000);
    }

    @Test
    void aBadRequestIsRefusedBeforeItReachesTheLog() {
        StoreCluster c = cluster(4);
        long before = c.node(c.leader()).raft().log().lastIndex();
        Outcome o = call(c, follower(c), "kv/put", "{\"key\":\"Y2F\"}", 10);
        assertThat(((Outcome.Refused) o).error().getMessage()).isEqualTo("illegal base64 data at input byte 0");
        c.sim().runFor(1_000);
        assertThat(c.node(c.leader()).raft().log().lastIndex()).isEqualTo(before);
    }

    @Test
    void aWriteForwardedToALeaderThatDiesIsAppliedOnceByTheNextLeaderWellBeforeTheTimeout() {
        for (long seed = 1; seed <= 20; seed++) {
            StoreCluster c = cluster(seed);
            int leader = c.leader(), f = follower(c);
            List<Outcome> got = new ArrayList<>();
            assertThat(c.submit(f, "kv/put", "{\"key\":\"" + b64("failover") + "\",\"value\":\"" + b64("1") + "\"}", got::add)).isTrue();
            c.sim().crash(leader); // before the forward can arrive: it is lost with the leader
            long t0 = c.sim().now();
            c.sim().runUntil(() -> !got.isEmpty(), 10_000);
            assertThat(got).as("seed %d: the write is answered", seed).hasSize(1);
            assertThat(got.get(0)).as("seed %d: the write went through the next leader, not into a timeout", seed).isInstanceOf(Outcome.Answer.class);
            assertThat(c.sim().now() - t0).as("seed %d: answered once a new leader exists, well before the 7 s timeout", seed).isLessThan(4_000);
            c.sim().restart(leader);
            c.checkConverged(10_000);
            String read = ok(call(c, leader, "kv/range", "{\"key\":\"" + b64("failover") + "\"}", 5_000));
            assertThat(read).as("seed %d: applied exactly once (one revision after the put's)", seed).contains("\"version\":\"1\"");
        }
    }
}
