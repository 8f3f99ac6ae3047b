package minietcd.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import minietcd.kit.harness.RaftCluster;
import minietcd.kit.raft.RaftConfig;
import minietcd.kit.raft.RaftMessage;
import minietcd.kit.raft.Role;
import minietcd.kit.sim.Faults;
import minietcd.kit.sim.Nemesis;
import minietcd.kit.sim.Trace;
import org.junit.jupiter.api.Test;

/**
 * Lab 1's clusters get their leaders by appointment ({@code Appointments}): the leaders Raft's
 * elections could choose, with no votes on the wire and no lab 2 class. The kit's rules (Election
 * Safety, Leader Completeness, ...) are checked after every event, as in every simulated run.
 */
class AppointmentsTest {
    private static RaftCluster cluster(long seed, Faults faults) {
        return new RaftCluster(seed, 5, RaftConfig.DEFAULT, faults, Trace.off(), RaftCluster.Elections.APPOINTED);
    }

    @Test
    void leadersComeAndGoWithNoVotesOnTheWire() {
        for (long seed = 1; seed <= 20; seed++) {
            RaftCluster c = cluster(seed, Faults.RELIABLE);
            int first = c.awaitLeader(10_000);
            long term = c.node(first).state().term;
            c.commit("one", 10_000);
            c.isolate(first);
            assertThat(c.runUntil(() -> c.leader() != 0 && c.leader() != first, 10_000)).as("seed %d: a new leader once leader %d is cut off", seed, first).isTrue();
            assertThat(c.node(c.leader()).state().term).as("seed %d: the new leader's term", seed).isGreaterThan(term);
            c.commit("two", 10_000);
            c.heal();
            c.awaitConverged(10_000);
            assertThat(c.applied(first)).as("seed %d: what the old leader applied once it rejoined", seed).containsSubsequence("one", "two");
            assertThat(c.sent()).as("seed %d: messages sent", seed)
                    .noneMatch(s -> s.message() instanceof RaftMessage.RequestVote || s.message() instanceof RaftMessage.RequestVoteReply);
        }
    }

    @Test
    void aMinorityIsNeverAppointedNorAStaleLog() {
        for (long seed = 1; seed <= 20; seed++) {
            RaftCluster c = cluster(seed, Faults.RELIABLE);
            int leader = c.awaitLeader(10_000);
            int behind = c.members().stream().filter(id -> id != leader).findFirst().orElseThrow();
            c.isolate(behind);
            for (int i = 1; i <= 5; i++) c.commit("entry " + i, 10_000);
            long before = c.members().stream().mapToLong(id -> c.node(id).state().term).max().orElseThrow();
            List<Integer> minority = List.of(behind, c.members().stream().filter(id -> id != leader && id != behind).findFirst().orElseThrow());
            c.partition(List.of(minority));
            c.runFor(5_000);
            for (int id : minority)
                assertThat(c.node(id).state().role == Role.LEADER && c.node(id).state().term > before).as("seed %d: node %d of the cut-off minority %s leads a new term", seed, id, minority).isFalse();
            c.heal();
            c.crash(c.leader());
            int next = c.awaitLeader(10_000);
            assertThat(next).as("seed %d: the new leader (node %d's log lacks entries 1-5, so it cannot be chosen)", seed, behind).isNotEqualTo(behind);
            c.commit("after", 10_000);
        }
    }

    @Test
    void safeUnderEveryFault() {
        for (long seed = 1; seed <= 10; seed++) {
            RaftCluster c = cluster(seed, Faults.HARSH);
            Nemesis nemesis = Nemesis.start(c.sim(), 500, true, true);
            for (int i = 0; i < 60; i++) {
                int leader = c.leader();
                if (leader != 0) c.propose(leader, "cmd " + i);
                c.runFor(100);
            }
            nemesis.calm();
            c.commit("calm", 30_000);
            c.awaitConverged(30_000);
        }
    }
}
