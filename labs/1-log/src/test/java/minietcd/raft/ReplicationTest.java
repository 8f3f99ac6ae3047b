package minietcd.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import minietcd.kit.testing.Graded;
import minietcd.kit.testing.Seeds;
import minietcd.kit.harness.RaftCluster;
import minietcd.kit.raft.RaftConfig;
import minietcd.kit.sim.Faults;

/** Lab 1 part B: replication and commit under a leader that stays put. */
class ReplicationTest {
    @Graded(lab = 1, part = "B", points = 5, value = "commands proposed to the leader are applied by every node, in order")
    void basicAgreement(Seeds seeds) {
        seeds.run(20, run -> {
            RaftCluster c = run.cluster(3, RaftConfig.DEFAULT, Faults.RELIABLE);
            c.awaitLeader(10_000);
            List<String> sent = new ArrayList<>();
            for (int i = 1; i <= 10; i++) {
                String cmd = "put x " + i;
                sent.add(cmd);
                c.proposeToLeader(cmd, 2_000);
            }
            c.awaitApplied("put x 10", 3, 5_000);
            for (int id : c.members()) assertThat(c.applied(id)).as("commands applied by node " + id).containsExactlyElementsOf(sent);
        });
    }

    @Graded(lab = 1, part = "B", points = 5, value = "agreement survives lost, duplicated and reordered messages")
    void agreementOnUnreliableNetwork(Seeds seeds) {
        seeds.run(20, run -> {
            RaftCluster c = run.cluster(5, RaftConfig.DEFAULT, Faults.UNRELIABLE);
            c.awaitLeader(10_000);
            for (int i = 1; i <= 20; i++) c.commit("put y " + i, 10_000);
            c.awaitApplied("put y 20", 5, 20_000);
        });
    }

    @Graded(lab = 1, part = "B", points = 5, value = "without a majority nothing commits; with it back, everything does")
    void noCommitWithoutMajority(Seeds seeds) {
        seeds.run(10, run -> {
            RaftCluster c = run.cluster(5, RaftConfig.DEFAULT, Faults.RELIABLE);
            int leader = c.awaitLeader(10_000);
            c.proposeToLeader("before", 2_000);
            c.awaitApplied("before", 5, 5_000);
            List<Integer> others = c.members().stream().filter(id -> id != leader).toList();
            c.partition(List.of(Set.of(leader, others.get(0))));
            long index = c.propose(leader, "lonely");
            assertThat(index).as("the leader still accepts a proposal").isPositive();
            c.runFor(700); // shorter than an election timeout: the leader keeps leading
            assertThat(c.node(leader).state().commitIndex).as("commit index of a leader that only reaches 1 of 4 followers").isLessThan(index);
            c.heal();
            c.awaitApplied("before", 5, 5_000);
            c.proposeToLeader("after", 5_000);
            c.awaitApplied("after", 5, 10_000);
        });
    }

    /**
     * Figure 8 of the Raft paper, built step by step: a leader of a later term must not commit an
     * entry of an earlier term by counting its replicas, because a node holding a later-term entry
     * at that index can still win an election and overwrite it. One entry per AppendEntries, so the
     * older entry reaches a majority before the new leader's own no-op does.
     */
    @Graded(lab = 1, part = "B", points = 10, value = "Figure 8: an entry of an earlier term is committed only with one of the current term")
    void figure8(Seeds seeds) {
        seeds.run(20, run -> {
            RaftCluster c = run.cluster(5, RaftConfig.DEFAULT.withMaxEntriesPerAppend(1), Faults.RELIABLE);
            int a = c.awaitLeader(10_000);
            c.commit("base", 5_000);
            c.awaitApplied("base", 5, 5_000);
            List<Integer> rest = c.members().stream().filter(id -> id != a).toList();
            int b = rest.get(0);
            Set<Integer> others = Set.of(rest.get(1), rest.get(2), rest.get(3));
            c.partition(List.of(Set.of(a, b), others));
            long k = c.propose(a, "x"); // reaches b only: on 2 of 5
            c.runFor(300);
            // the other side elects a leader; cut it off at once, with its no-op for index k on it alone
            assertThat(c.runUntil(() -> others.contains(c.leader()), 10_000)).as("a leader among the other three").isTrue();
            int e = c.leader();
            c.partition(List.of(Set.of(e)));
            c.crash(e);
            // a or b wins the next term and replicates x one entry at a time; stop it as soon as it commits x
            boolean committed = c.runUntil(() -> {
                int l = c.leader();
                return l != 0 && l != e && c.node(l).state().commitIndex >= k;
            }, 3_000);
            if (committed) { // both holders of the new term's no-op go down, and what they had in flight is lost
                c.partition(List.of(Set.of(a, b)));
                c.crash(a);
                c.crash(b);
            }
            // e comes back among c and d; if x counted as committed, e must still not be able to win
            c.restart(e);
            if (!committed) c.heal();
            c.runFor(6_000);
            c.heal();
            c.restart(a);
            c.restart(b);
            c.commit("after", 20_000);
            c.awaitConverged(20_000);
        });
    }

    @Graded(lab = 1, part = "B", points = 5, value = "a follower that was down catches up, repaired in few round trips")
    void laggingFollowerCatchesUp(Seeds seeds) {
        seeds.run(10, run -> {
            RaftCluster c = run.cluster(3, RaftConfig.DEFAULT, Faults.RELIABLE);
            int leader = c.awaitLeader(10_000);
            int follower = c.members().stream().filter(id -> id != leader).findFirst().orElseThrow();
            c.crash(follower);
            for (int i = 1; i <= 200; i++) c.proposeToLeader("put z " + i, 2_000);
            c.awaitApplied("put z 200", 2, 10_000);
            c.runFor(1_000); // let the messages in flight land
            long delivered = c.sim().deliveredCount(), start = c.sim().now();
            c.restart(follower);
            c.awaitApplied("put z 200", 3, 5_000);
            // one entry a round trip would take 400 messages; skipping with the conflict hint takes about 10,
            // plus heartbeats (4 a tick) while it happens
            long heartbeats = 4 * ((c.sim().now() - start) / c.config().tickMillis() + 1);
            assertThat(c.sim().deliveredCount() - delivered - heartbeats).as("messages beyond heartbeats while the follower caught up on 200 entries").isLessThan(40);
        });
    }
}
