package minietcd.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import minietcd.kit.harness.StoreCluster;
import minietcd.kit.raft.Entry;
import minietcd.kit.raft.RaftMessage;
import minietcd.kit.replica.Command;
import minietcd.kit.replica.Outcome;
import minietcd.kit.replica.StoreMessage;
import minietcd.kit.replica.StoreNode;
import minietcd.kit.sim.Faults;
import minietcd.kit.sim.Trace;
import org.junit.jupiter.api.Test;

/**
 * What no correct member could send, and what no request should be able to do to the members that
 * apply it, in the simulator over the reference solutions: each message or entry below once stopped a
 * member (or every member, at every restart); now each is dropped or fails alone, and the cluster
 * keeps serving with every member's data the same.
 */
class ImplausiblePeerMessagesTest {
    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static Outcome call(StoreCluster c, int member, String rpc, String body) {
        List<Outcome> got = new ArrayList<>();
        assertThat(c.submit(member, rpc, body, got::add)).as("member %d is up", member).isTrue();
        c.sim().runUntil(() -> !got.isEmpty(), 3_000);
        assertThat(got).as("a reply to %s from member %d", rpc, member).hasSize(1);
        return got.get(0);
    }

    private static StoreCluster cluster() {
        StoreCluster c = new StoreCluster(11, 3, StoreNode.Config.DEFAULT, Faults.RELIABLE, Trace.off());
        c.awaitLeader(10_000);
        for (int i = 0; i < 5; i++) assertThat(call(c, c.leader(), "kv/put", "{\"key\":\"" + b64("k" + i) + "\",\"value\":\"" + b64("v") + "\"}"))
                .isInstanceOf(Outcome.Answer.class);
        c.sim().runFor(500);
        return c;
    }

    /** After the abuse: every member up, a write and a read still answered, every member's data the same. */
    private static void stillServing(StoreCluster c) {
        for (int m = 1; m <= 3; m++) assertThat(c.sim().isUp(m)).as("member %d is still up", m).isTrue();
        assertThat(call(c, 1, "kv/put", "{\"key\":\"" + b64("after") + "\",\"value\":\"" + b64("ok") + "\"}")).isInstanceOf(Outcome.Answer.class);
        assertThat(((Outcome.Answer) call(c, 2, "kv/range", "{\"key\":\"" + b64("after") + "\"}")).json()).contains(b64("ok"));
        c.checkConverged(5_000);
    }

    @Test
    void aCommittedEntryThatThrowsWhenAppliedFailsOnEveryMemberAloneAndNoMemberStops() {
        StoreCluster c = cluster();
        int leader = c.leader();
        c.node(leader).raft().propose("0 0 " + c.sim().now() + " kv/nosuch {}"); // a command's shape, but the codec throws on it
        c.node(leader).raft().propose("this is no store command"); // nor can it be decoded
        c.sim().runFor(1_000);
        assertThat(c.node(leader).raft().state().lastApplied).as("the leader applied both entries").isGreaterThanOrEqualTo(8);
        stillServing(c);
    }

    @Test
    void aForwardedWriteThatIsNotAWellFormedRequestOfItsSendersIsDropped() {
        StoreCluster c = cluster();
        int leader = c.leader(), f = leader == 1 ? 2 : 1;
        long applied = c.node(leader).raft().state().lastApplied;
        c.sim().inject(f, leader, new StoreMessage.Forward("garbage"));
        c.sim().inject(f, leader, new StoreMessage.Forward(f + " 1 0 kv/put {\"key\":"));
        c.sim().inject(f, leader, new StoreMessage.Forward(new Command(3 - f == leader ? 3 : 3 - f, 1, 0, put("YQ==")).encode()));
        c.sim().inject(f, leader, new StoreMessage.Forward(f + " 2 0 kv/txn " + nested(200)));
        c.sim().runFor(1_000);
        assertThat(c.node(leader).raft().state().lastApplied).as("none of the forged writes reached the log").isEqualTo(applied);
        stillServing(c);
    }

    @Test
    void entriesThatContradictWhatAFollowerKnowsIsCommittedAreRefusedNotObeyed() {
        StoreCluster c = cluster();
        int leader = c.leader(), f = leader == 1 ? 2 : 1;
        long term = c.node(f).raft().state().term, committed = c.node(f).raft().state().commitIndex;
        List<Entry> rewrite = List.of(new Entry(committed, term + 5, "rewritten history"));
        c.sim().inject(leader, f, new RaftMessage.AppendEntries(term + 5, leader, committed - 1, c.node(f).raft().log().term(committed - 1), rewrite, committed, 0));
        c.sim().inject(leader, f, new RaftMessage.AppendEntries(term, leader == 3 ? 1 : 3, 0, 0, List.of(), 0, 0)); // names another leader than its sender
        c.sim().runFor(200);
        assertThat(c.node(f).raft().log().term(committed)).as("the committed entry at %d is unchanged", committed).isLessThanOrEqualTo(term);
        stillServing(c);
    }

    @Test
    void aSecondLeaderOfTheSameTermIsNotFollowed() {
        StoreCluster c = cluster();
        int leader = c.leader(), f = leader == 1 ? 2 : 1, other = 6 - leader - f;
        long term = c.node(f).raft().state().term;
        c.sim().inject(other, f, new RaftMessage.AppendEntries(term, other, 0, 0, List.of(), 0, 0));
        c.sim().inject(other, leader, new RaftMessage.AppendEntries(term, other, 0, 0, List.of(), 0, 0));
        c.sim().runFor(50);
        assertThat(c.node(f).raft().state().leader).as("member %d still follows member %d", f, leader).isEqualTo(leader);
        assertThat(c.node(leader).raft().isLeader()).as("the leader still leads").isTrue();
        stillServing(c);
    }

    private static minietcd.kit.etcd.EtcdRequest put(String keyBase64) {
        return new minietcd.kit.etcd.EtcdRequest.Kv(minietcd.kit.mvcc.KvRequest.Put.of(minietcd.kit.mvcc.Bytes.fromBase64(keyBase64), minietcd.kit.mvcc.Bytes.EMPTY));
    }

    /** A txn nested {@code depth} levels deep around one put. */
    static String nested(int depth) {
        String t = "{\"success\":[{\"request_put\":{\"key\":\"YQ==\",\"value\":\"Yg==\"}}]}";
        for (int i = 0; i < depth; i++) t = "{\"success\":[{\"request_txn\":" + t + "}]}";
        return t;
    }
}
