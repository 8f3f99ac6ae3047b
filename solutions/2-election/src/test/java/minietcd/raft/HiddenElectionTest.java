package minietcd.raft;

import static org.assertj.core.api.Assertions.assertThat;

import minietcd.kit.testing.Graded;
import minietcd.kit.testing.Seeds;
import minietcd.kit.harness.RaftCluster;
import minietcd.kit.raft.RaftConfig;
import minietcd.kit.sim.Faults;
import minietcd.kit.sim.Nemesis;

/** Lab 2, the instructor's tests: more nodes, more seeds, harsher faults. */
class HiddenElectionTest {
    @Graded(lab = 2, part = "A", points = 4, value = "an election in a calm 5-node cluster takes few messages")
    void electionMessageCount(Seeds seeds) {
        seeds.run(30, run -> {
            RaftCluster c = run.cluster(5, RaftConfig.DEFAULT, Faults.RELIABLE);
            c.awaitLeader(10_000);
            long delivered = c.sim().deliveredCount();
            c.runFor(2_000);
            // 2 s of a calm cluster: 20 heartbeats to 4 followers and their answers, and no more than 20% over that
            assertThat(c.sim().deliveredCount() - delivered).as("messages in 2 quiet seconds").isLessThanOrEqualTo(200);
        });
    }

    @Graded(lab = 2, part = "A", points = 4, value = "seven nodes under constant partitions still elect leaders")
    void sevenNodeChurn(Seeds seeds) {
        seeds.run(20, run -> {
            RaftCluster c = run.cluster(7, RaftConfig.DEFAULT, Faults.UNRELIABLE);
            Nemesis nemesis = Nemesis.start(c.sim(), 600, false, true);
            c.runFor(30_000);
            nemesis.calm();
            c.awaitLeader(15_000);
        });
    }

    @Graded(lab = 2, part = "B", points = 6, value = "Figure 8 under harsh faults: crashes, partitions and lost writes lose nothing committed")
    void figure8Harsh(Seeds seeds) {
        seeds.run(40, run -> {
            RaftCluster c = run.cluster(5, RaftConfig.DEFAULT, Faults.HARSH);
            Nemesis nemesis = Nemesis.start(c.sim(), 500, true, true);
            for (int i = 1; i <= 60; i++) {
                int leader = c.leader();
                if (leader != 0) c.propose(leader, "h8 " + i);
                c.runFor(100);
            }
            nemesis.calm();
            c.commit("settled", 30_000);
            c.awaitApplied("settled", 5, 30_000);
        });
    }

    @Graded(lab = 2, part = "C", points = 6, value = "PreVote and CheckQuorum under churn: safety holds and the cluster recovers")
    void preVoteCheckQuorumChurn(Seeds seeds) {
        seeds.run(40, run -> {
            RaftCluster c = run.cluster(5, RaftConfig.DEFAULT.withPreVoteAndCheckQuorum(), Faults.UNRELIABLE);
            Nemesis nemesis = Nemesis.start(c.sim(), 700, true, true);
            for (int i = 1; i <= 40; i++) {
                int leader = c.leader();
                if (leader != 0) {
                    c.propose(leader, "pc " + i);
                    c.read(leader);
                }
                c.runFor(200);
            }
            nemesis.calm();
            c.commit("done", 20_000);
            c.awaitApplied("done", 5, 20_000);
        });
    }
}
