package minietcd.raft;

import static org.assertj.core.api.Assertions.assertThat;

import minietcd.kit.testing.Graded;
import minietcd.kit.testing.Seeds;
import minietcd.kit.harness.RaftCluster;
import minietcd.kit.raft.RaftConfig;
import minietcd.kit.sim.Faults;

/** Lab 1 part C: snapshots keep the log bounded, and bring back followers that fell too far behind. */
class SnapshotTest {
    private static final RaftConfig SNAPSHOTS = RaftConfig.DEFAULT.withSnapshots(20);

    @Graded(lab = 1, part = "C", points = 5, value = "with snapshots on, every log stays bounded")
    void logStaysBounded(Seeds seeds) {
        seeds.run(10, run -> {
            RaftCluster c = run.cluster(3, SNAPSHOTS, Faults.RELIABLE);
            c.awaitLeader(10_000);
            for (int i = 1; i <= 300; i++) {
                c.proposeToLeader("put k " + i, 2_000);
                if (i % 25 == 0) c.runFor(200);
            }
            c.awaitApplied("put k 300", 3, 5_000);
            for (int id : c.members()) {
                var log = c.node(id).log();
                assertThat(log.lastIndex() - log.firstIndex() + 1).as("entries node " + id + " keeps after 300 commands (snapshot every 20)").isLessThanOrEqualTo(60);
                assertThat(c.applied(id)).as("node " + id + " state after snapshots").hasSize(300).endsWith("put k 300");
            }
        });
    }

    @Graded(lab = 1, part = "C", points = 5, value = "a follower behind the leader's snapshot is brought back with InstallSnapshot")
    void installSnapshotOnLaggard(Seeds seeds) {
        seeds.run(10, run -> {
            RaftCluster c = run.cluster(3, SNAPSHOTS, Faults.RELIABLE);
            int leader = c.awaitLeader(10_000);
            int follower = c.members().stream().filter(id -> id != leader).findFirst().orElseThrow();
            c.crash(follower);
            for (int i = 1; i <= 100; i++) c.proposeToLeader("put s " + i, 2_000);
            c.awaitApplied("put s 100", 2, 5_000);
            c.restart(follower);
            c.awaitApplied("put s 100", 3, 5_000);
            assertThat(c.applied(follower)).as("the restarted follower's state").hasSize(100);
            assertThat(c.node(follower).log().snapshot().index()).as("the follower's snapshot index").isPositive();
        });
    }
}
