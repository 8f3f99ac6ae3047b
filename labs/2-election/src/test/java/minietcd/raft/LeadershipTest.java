package minietcd.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import minietcd.kit.testing.Graded;
import minietcd.kit.testing.Seeds;
import minietcd.kit.harness.RaftCluster;
import minietcd.kit.raft.RaftConfig;
import minietcd.kit.sim.Faults;

/** Lab 2 part C: PreVote, CheckQuorum and ReadIndex. */
class LeadershipTest {
    private static final RaftConfig C = RaftConfig.DEFAULT.withPreVoteAndCheckQuorum();

    @Graded(lab = 2, part = "C", points = 5, value = "PreVote: a node rejoining after isolation does not disrupt the leader or raise the term")
    void preVoteStopsDisruption(Seeds seeds) {
        seeds.run(20, run -> {
            RaftCluster c = run.cluster(3, C, Faults.RELIABLE);
            int leader = c.awaitLeader(10_000);
            int loner = c.members().stream().filter(id -> id != leader).findFirst().orElseThrow();
            long term = c.node(leader).state().term;
            long lonerTerm = c.node(loner).state().term;
            c.isolate(loner);
            c.runFor(10_000);
            assertThat(c.node(loner).state().term).as("the isolated node's term after 10 s alone (pre-votes never win)").isEqualTo(lonerTerm);
            c.heal();
            c.runFor(3_000);
            assertThat(c.leader()).as("the leader after the loner came back").isEqualTo(leader);
            assertThat(c.node(leader).state().term).as("the term after the loner came back").isEqualTo(term);
        });
    }

    @Graded(lab = 2, part = "C", points = 5, value = "CheckQuorum: a leader cut off from its majority steps down")
    void checkQuorumStepsDown(Seeds seeds) {
        seeds.run(20, run -> {
            RaftCluster c = run.cluster(5, C, Faults.RELIABLE);
            int leader = c.awaitLeader(10_000);
            c.isolate(leader);
            boolean stepped = c.runUntil(() -> !c.node(leader).isLeader(), 3 * C.electionTicks() * C.tickMillis());
            assertThat(stepped).as("the isolated leader stepped down within 3 election timeouts").isTrue();
        });
    }

    @Graded(lab = 2, part = "C", points = 10, value = "ReadIndex: a read sees every write committed before it started; a deposed leader cannot serve one")
    void readIndex(Seeds seeds) {
        seeds.run(20, run -> {
            RaftCluster c = run.cluster(3, C, Faults.RELIABLE);
            int leader = c.awaitLeader(10_000);
            c.commit("w1", 5_000);
            long committed = c.node(leader).state().commitIndex;
            long id = c.read(leader);
            c.runUntil(() -> c.readResult(id) != null, 2_000);
            long[] r = c.readResult(id);
            assertThat(r).as("an answer to a read on the leader").isNotNull();
            assertThat(r[3]).as("the read succeeded").isEqualTo(1);
            assertThat(r[2]).as("the read index").isGreaterThanOrEqualTo(committed);
            assertThat(c.node(leader).state().lastApplied).as("applied index when the read was served").isGreaterThanOrEqualTo(r[2]);

            List<Integer> others = c.members().stream().filter(n -> n != leader).toList();
            c.partition(List.of(Set.of(leader)));
            c.runUntil(() -> c.leader() != leader && c.leader() != 0, 5_000);
            long stale = c.read(leader);
            c.runFor(500);
            long[] s = c.readResult(stale);
            assertThat(s == null || s[3] == 0).as("a read on the cut-off old leader must not succeed").isTrue();
            int newLeader = c.leader();
            long follower = c.read(others.stream().filter(n -> n != newLeader).findFirst().orElseThrow());
            assertThat(c.readResult(follower)).as("a read on a follower fails at once").isNotNull();
            assertThat(c.readResult(follower)[3]).as("the success flag of a read on a follower (it must fail)").isZero();
        });
    }
}
