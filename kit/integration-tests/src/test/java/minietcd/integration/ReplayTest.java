package minietcd.integration;

import static org.assertj.core.api.Assertions.assertThat;

import minietcd.kit.harness.RaftCluster;
import minietcd.kit.raft.RaftConfig;
import minietcd.kit.sim.Faults;
import minietcd.kit.sim.Nemesis;
import minietcd.kit.sim.Trace;
import org.junit.jupiter.api.Test;

/** A seed replays to the very same trace, event for event, with every fault on. */
class ReplayTest {
    private static String run(long seed) {
        Trace trace = Trace.recording();
        RaftCluster c = new RaftCluster(seed, 5, RaftConfig.DEFAULT.withSnapshots(10).withPreVoteAndCheckQuorum(), Faults.HARSH, trace);
        Nemesis nemesis = Nemesis.start(c.sim(), 500, true, true);
        for (int i = 0; i < 40; i++) {
            int leader = c.leader();
            if (leader != 0) c.propose(leader, "cmd " + i);
            c.runFor(100);
        }
        nemesis.calm();
        c.runFor(3_000);
        return trace.toJsonLines();
    }

    @Test
    void sameSeedSameTrace() {
        String first = run(42);
        assertThat(first.lines().count()).as("events traced").isGreaterThan(1_000);
        assertThat(first).contains("\"kind\":\"crash\"").contains("\"kind\":\"drop\"").contains("\"kind\":\"partition\"");
        assertThat(run(42)).isEqualTo(first);
        assertThat(run(43)).isNotEqualTo(first);
    }
}
