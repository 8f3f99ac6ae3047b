package minietcd.raft;

import static org.assertj.core.api.Assertions.assertThat;

import minietcd.kit.testing.Graded;
import minietcd.kit.testing.Seeds;
import java.util.List;
import java.util.Set;
import minietcd.kit.harness.RaftCluster;
import minietcd.kit.raft.RaftMessage.RequestVote;
import minietcd.kit.raft.RaftMessage.RequestVoteReply;
import minietcd.kit.raft.RaftConfig;
import minietcd.kit.sim.Faults;
import minietcd.kit.sim.Nemesis;

/** Lab 2 part B: the up-to-date check, persisted term and vote, and leader changes that lose nothing. */
class LeaderChangeTest {
    @Graded(lab = 2, part = "B", points = 5, value = "committed commands survive leader crashes (a stale log never wins an election)")
    void committedSurvivesLeaderCrash(Seeds seeds) {
        seeds.run(20, run -> {
            RaftCluster c = run.cluster(3, RaftConfig.DEFAULT, Faults.RELIABLE);
            for (int round = 1; round <= 4; round++) {
                int leader = c.awaitLeader(10_000);
                c.commit("round " + round, 5_000);
                c.awaitApplied("round " + round, 2, 5_000);
                c.crash(leader);
                c.awaitLeader(10_000);
                c.restart(leader);
            }
            c.commit("last", 5_000);
            c.awaitApplied("last", 3, 10_000);
            for (int id : c.members()) assertThat(c.applied(id)).as("node " + id).contains("round 1", "round 2", "round 3", "round 4");
        });
    }

    @Graded(lab = 2, part = "B", points = 5, value = "a node that restarts remembers its term and vote: never two leaders in a term")
    void termAndVoteSurviveRestart(Seeds seeds) {
        seeds.run(30, run -> {
            RaftCluster c = run.cluster(3, RaftConfig.DEFAULT, Faults.UNRELIABLE);
            c.awaitLeader(10_000);
            for (int i = 0; i < 15; i++) {
                int victim = (int) ((run.seed() + i) % 3) + 1;
                c.crash(victim);
                c.runFor(300 + (97L * i) % 700);
                c.restart(victim);
                c.runFor(500);
            }
            c.awaitLeader(10_000);
        });
    }

    @Graded(lab = 2, part = "B", points = 5, value = "a vote survives a crash: a restarted node never votes twice in one term")
    void voteSurvivesRestart(Seeds seeds) {
        seeds.run(20, run -> {
            RaftCluster c = run.cluster(3, RaftConfig.DEFAULT, Faults.RELIABLE);
            for (int id : c.members()) c.isolate(id); // only the messages this test hands over
            long term = 1_000;
            c.deliver(1, 3, new RequestVote(term, 1, 0, 0, false));
            assertThat(granted(c, 3, 1)).as("node 3's answer to the first candidate of term " + term).isTrue();
            c.crash(3);
            c.restart(3);
            assertThat(c.node(3).state().term).as("node 3's term after a restart").isEqualTo(term);
            c.deliver(2, 3, new RequestVote(term, 2, 0, 0, false));
            assertThat(granted(c, 3, 2)).as("node 3 voted again in term " + term + " after a restart (Election Safety needs the vote persisted)").isFalse();
        });
    }

    private static boolean granted(RaftCluster c, int voter, int candidate) {
        for (int i = c.sent().size() - 1; i >= 0; i--) {
            RaftCluster.Sent s = c.sent().get(i);
            if (s.from() == voter && s.to() == candidate && s.message() instanceof RequestVoteReply r && !r.preVote()) return r.granted();
        }
        throw new AssertionError("Liveness: node " + voter + " never answered node " + candidate + "'s vote request");
    }

    @Graded(lab = 2, part = "B", points = 5, value = "a candidate missing a committed entry never wins (the up-to-date check)")
    void staleCandidateNeverWins(Seeds seeds) {
        seeds.run(30, run -> {
            RaftCluster c = run.cluster(3, RaftConfig.DEFAULT, Faults.RELIABLE);
            int leader = c.awaitLeader(10_000);
            int stale = c.members().stream().filter(id -> id != leader).findFirst().orElseThrow();
            c.isolate(stale); // it campaigns alone and its term climbs, but it misses what follows
            c.commit("x", 5_000);
            c.awaitApplied("x", 2, 5_000);
            c.runFor(5_000);
            c.crash(leader);
            c.heal();
            c.awaitLeader(10_000);
            c.restart(leader);
            c.commit("y", 10_000);
            c.awaitApplied("y", 3, 10_000);
            for (int id : c.members()) assertThat(c.applied(id)).as("node " + id).contains("x");
        });
    }

    @Graded(lab = 2, part = "B", points = 10, value = "Figure 8: with leaders crashing mid-replication, no committed entry is ever lost")
    void figure8(Seeds seeds) {
        seeds.run(20, run -> {
            RaftCluster c = run.cluster(5, RaftConfig.DEFAULT, Faults.UNRELIABLE);
            Nemesis nemesis = Nemesis.start(c.sim(), 700, true, true);
            for (int i = 1; i <= 40; i++) {
                int leader = c.leader();
                if (leader != 0) c.propose(leader, "f8 " + i);
                c.runFor(150);
            }
            nemesis.calm();
            c.awaitLeader(10_000);
            c.commit("settled", 10_000);
            c.awaitApplied("settled", 5, 10_000);
        });
    }
}
