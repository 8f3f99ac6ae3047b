package minietcd.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import minietcd.kit.testing.Graded;
import minietcd.kit.testing.Seeds;
import minietcd.kit.harness.RaftCluster;
import minietcd.kit.raft.RaftConfig;
import minietcd.kit.sim.Faults;
import minietcd.kit.sim.Nemesis;

/** Lab 2 part A: terms, votes, randomized timeouts and heartbeats. */
class ElectionTest {
    @Graded(lab = 2, part = "A", points = 5, value = "a healthy cluster elects one leader, and keeps it while nothing fails")
    void initialElection(Seeds seeds) {
        seeds.run(30, run -> {
            RaftCluster c = run.cluster(3, RaftConfig.DEFAULT, Faults.RELIABLE);
            int leader = c.awaitLeader(10_000);
            long term = c.node(leader).state().term;
            c.runFor(10_000);
            assertThat(c.leader()).as("the leader after 10 quiet seconds").isEqualTo(leader);
            assertThat(c.node(leader).state().term).as("the term after 10 quiet seconds").isEqualTo(term);
            for (int id : c.members()) assertThat(c.node(id).state().leader).as("node " + id + "'s idea of the leader").isEqualTo(leader);
        });
    }

    @Graded(lab = 2, part = "A", points = 5, value = "when the leader is cut off, the others elect a new one; the old one rejoins as a follower")
    void reElection(Seeds seeds) {
        seeds.run(30, run -> {
            RaftCluster c = run.cluster(3, RaftConfig.DEFAULT, Faults.RELIABLE);
            int first = c.awaitLeader(10_000);
            c.isolate(first);
            c.runUntil(() -> c.leader() != first && c.leader() != 0, 10_000);
            int second = c.leader();
            assertThat(second).as("a new leader among the connected majority").isNotIn(0, first);
            c.heal();
            c.runFor(2_000);
            assertThat(c.leaderCount()).as("leaders after the old one rejoined").isEqualTo(1);
            assertThat(c.node(first).state().term).as("the old leader's term after it heard of the new one").isGreaterThanOrEqualTo(c.node(second).state().term);
        });
    }

    @Graded(lab = 2, part = "A", points = 5, value = "after many partitions a leader is elected as soon as a majority can talk")
    void manyElections(Seeds seeds) {
        seeds.run(20, run -> {
            RaftCluster c = run.cluster(5, RaftConfig.DEFAULT, Faults.UNRELIABLE);
            c.awaitLeader(10_000);
            Nemesis nemesis = Nemesis.start(c.sim(), 1_000, false, true);
            c.runFor(20_000);
            nemesis.calm();
            c.awaitLeader(10_000);
        });
    }

    @Graded(lab = 2, part = "A", points = 5, value = "a leader that still reaches a majority keeps leading while two of five nodes are cut off")
    void minorityPartitionKeepsLeader(Seeds seeds) {
        seeds.run(20, run -> {
            RaftCluster c = run.cluster(5, RaftConfig.DEFAULT, Faults.RELIABLE);
            int leader = c.awaitLeader(10_000);
            List<Integer> others = c.members().stream().filter(id -> id != leader).toList();
            c.partition(List.of(Set.of(leader, others.get(0), others.get(1))));
            c.runFor(5_000);
            assertThat(c.leader()).as("the leader of the majority side").isEqualTo(leader);
        });
    }
}
