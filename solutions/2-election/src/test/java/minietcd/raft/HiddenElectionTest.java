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

    @Graded(lab = 2, part = "A", points = 3, value = "a one-node cluster elects itself, with and without PreVote, commits, and serves reads")
    void oneNodeCluster(Seeds seeds) {
        seeds.run(10, run -> {
            for (RaftConfig config : java.util.List.of(RaftConfig.DEFAULT, RaftConfig.DEFAULT.withPreVoteAndCheckQuorum())) {
                RaftCluster c = run.cluster(1, config, Faults.RELIABLE);
                assertThat(c.awaitLeader(10_000)).as("the only node leads (pre-vote %s): its own vote is a majority of one", config.preVote()).isEqualTo(1);
                c.commit("alone", 5_000);
                long id = c.read(1);
                assertThat(c.runUntil(() -> c.readResult(id) != null, 1_000)).as("a read on a one-node cluster is answered").isTrue();
                assertThat(c.readResult(id)[3]).as("a one-node leader that has committed in its term serves reads (no quorum to ask)").isEqualTo(1);
                assertThat(c.readResult(id)[2]).as("the read index").isEqualTo(c.node(1).state().commitIndex);
            }
        });
    }

    @Graded(lab = 2, part = "A", points = 4, value = "a deposed leader that cannot hear the new one learns the new term from the replies to its own AppendEntries")
    void staleLeaderLearnsFromReplies(Seeds seeds) {
        seeds.run(20, run -> {
            RaftCluster c = run.cluster(3, RaftConfig.DEFAULT, Faults.RELIABLE);
            int old = c.awaitLeader(10_000);
            c.commit("before", 5_000);
            c.isolate(old);
            c.runUntil(() -> c.leader() != 0 && c.leader() != old, 10_000);
            int next = c.leader();
            assertThat(next).as("a new leader while the old one is cut off").isNotIn(0, old);
            c.commit("after", 5_000);
            c.sim().heal();
            c.sim().blockOneWay(next, old); // the new leader's messages never reach it: only replies to its own messages can tell it
            assertThat(c.runUntil(() -> c.node(old).state().role != minietcd.kit.raft.Role.LEADER, 2_000))
                    .as("node %d, leader of an old term, still leads 2 s after rejoining: a node answers a stale AppendEntries with its own term, and the stale leader steps down", old).isTrue();
        });
    }

    @Graded(lab = 2, part = "A", points = 3, value = "a message of an older term changes nothing; a stale leader or pre-candidate is told the current term")
    void staleMessagesChangeNothing(Seeds seeds) {
        seeds.run(20, run -> {
            RaftCluster c = run.cluster(5, RaftConfig.DEFAULT.withPreVoteAndCheckQuorum(), Faults.RELIABLE);
            for (int round = 1; round <= 3; round++) { // a history of several terms: each leader cut off in turn
                int leader = c.awaitLeader(10_000);
                c.commit("round " + round, 10_000);
                c.isolate(leader);
                c.runUntil(() -> c.leader() != 0 && c.leader() != leader, 10_000);
                c.heal();
                c.runFor(1_000); // the cut-off node campaigns with pre-votes, then hears the new leader
            }
            c.awaitLeader(10_000);
            java.util.List<RaftCluster.Sent> history = new java.util.ArrayList<>(c.sent());
            java.util.SplittableRandom pick = new java.util.SplittableRandom(run.seed());
            int delivered = 0;
            for (int i = 0; i < 400 && delivered < 60; i++) {
                RaftCluster.Sent old = history.get(pick.nextInt(history.size()));
                int to = c.members().get(pick.nextInt(c.members().size()));
                if (to == old.from() || !c.isUp(to) || c.node(to).state().term <= old.message().term()) continue;
                var before = c.node(to).state();
                String was = before.term + "/" + before.votedFor + "/" + before.role + "/" + before.leader + "/" + before.commitIndex + "/"
                        + c.node(to).log().lastIndex() + "/" + c.node(to).log().lastTerm();
                int sentBefore = c.sent().size();
                c.deliver(old.from(), to, old.message());
                var after = c.node(to).state();
                String is = after.term + "/" + after.votedFor + "/" + after.role + "/" + after.leader + "/" + after.commitIndex + "/"
                        + c.node(to).log().lastIndex() + "/" + c.node(to).log().lastTerm();
                assertThat(is).as("node %d in term %d took %s of term %d from node %d: a message of an older term must change nothing "
                        + "(term/votedFor/role/leader/commitIndex/lastIndex/lastTerm)", to, before.term, old.message().getClass().getSimpleName(),
                        old.message().term(), old.from()).isEqualTo(was);
                boolean mustAnswer = old.message() instanceof minietcd.kit.raft.RaftMessage.AppendEntries
                        || old.message() instanceof minietcd.kit.raft.RaftMessage.InstallSnapshot
                        || old.message() instanceof minietcd.kit.raft.RaftMessage.RequestVote v && v.preVote();
                if (mustAnswer) {
                    long term = after.term;
                    boolean told = c.sent().subList(sentBefore, c.sent().size()).stream()
                            .anyMatch(s -> s.from() == to && s.to() == old.from() && s.message().term() == term);
                    assertThat(told).as("node %d in term %d got %s of term %d from node %d and did not answer with its own term: "
                            + "a stale leader or pre-candidate learns the current term from the answer", to, term,
                            old.message().getClass().getSimpleName(), old.message().term(), old.from()).isTrue();
                }
                delivered++;
            }
            assertThat(delivered).as("messages of older terms delivered again").isGreaterThan(20);
            c.commit("after the stale messages", 10_000);
        });
    }

    @Graded(lab = 2, part = "C", points = 2, value = "with PreVote, a bare majority still elects a leader: a quorum of pre-votes is enough")
    void bareMajorityElectsWithPreVote(Seeds seeds) {
        seeds.run(20, run -> {
            RaftCluster c = run.cluster(5, RaftConfig.DEFAULT.withPreVoteAndCheckQuorum(), Faults.RELIABLE);
            int first = c.awaitLeader(10_000);
            int also = c.members().stream().filter(id -> id != first).findFirst().orElseThrow();
            c.crash(first);
            c.crash(also);
            assertThat(c.runUntil(() -> c.leader() != 0 && c.leader() != first, 10_000))
                    .as("the 3 nodes left of 5 (nodes %d and %d crashed) elected no leader in 10 s: a pre-candidate campaigns once a quorum, itself included, granted its pre-vote",
                            first, also).isTrue();
        });
    }

    @Graded(lab = 2, part = "C", points = 3, value = "a ReadIndex read is answered after one round trip to a bare quorum, not at the next heartbeat")
    void readsArePrompt(Seeds seeds) {
        seeds.run(20, run -> {
            RaftCluster c = run.cluster(5, RaftConfig.DEFAULT, Faults.RELIABLE);
            int leader = c.awaitLeader(10_000);
            c.commit("before the reads", 5_000);
            c.members().stream().filter(id -> id != leader).limit(2).forEach(c::isolate); // a bare majority is left: 3 of 5
            for (int i = 1; i <= 5; i++) {
                c.runFor(17L * i); // a different moment between two heartbeats each time
                long id = c.read(leader);
                assertThat(c.runUntil(() -> c.readResult(id) != null, 12))
                        .as("read %d on leader %d was not answered within 12 ms, where a round trip takes at most 10 and heartbeats come every %d ms: "
                                + "the acks of the broadcast a read triggers confirm it", i, leader, c.config().heartbeatTicks() * c.config().tickMillis()).isTrue();
                assertThat(c.readResult(id)[3]).as("read %d on the leader succeeded", i).isEqualTo(1);
            }
        });
    }

    @Graded(lab = 2, part = "A", points = 3, value = "a leader heartbeats every heartbeatTicks: no follower waits longer for word from it")
    void heartbeatsKeepTime(Seeds seeds) {
        seeds.run(20, run -> {
            RaftCluster c = run.cluster(3, RaftConfig.DEFAULT, Faults.RELIABLE);
            int leader = c.awaitLeader(10_000);
            long term = c.node(leader).state().term, period = (long) c.config().heartbeatTicks() * c.config().tickMillis();
            java.util.Map<Integer, Long> last = new java.util.HashMap<>();
            long[] longest = {0};
            int[] slowest = {0};
            c.sim().addSendListener((from, to, m) -> {
                if (from != leader || !(m instanceof minietcd.kit.raft.RaftMessage.AppendEntries a) || a.term() != term) return;
                Long before = last.put(to, c.sim().now());
                if (before != null && c.sim().now() - before > longest[0]) { longest[0] = c.sim().now() - before; slowest[0] = to; }
            });
            c.runFor(3_000);
            if (c.leader() != leader || c.node(leader).state().term != term) return; // a rare election on this quiet network
            assertThat(last).as("followers the leader sent AppendEntries to").hasSize(2);
            assertThat(longest[0]).as("the longest gap, in ms, between two AppendEntries from leader %d to node %d (heartbeats every %d ms)", leader, slowest[0], period)
                    .isLessThanOrEqualTo(period);
        });
    }

    @Graded(lab = 2, part = "C", points = 3, value = "PreVote: only real elections raise terms; a granted pre-vote changes no term")
    void preVoteRaisesNoTerm(Seeds seeds) {
        seeds.run(20, run -> {
            RaftCluster c = run.cluster(5, RaftConfig.DEFAULT.withPreVoteAndCheckQuorum(), Faults.RELIABLE);
            c.awaitLeader(10_000);
            for (int round = 0; round < 3; round++) { // a few leader changes: pre-votes granted, then real elections
                int leader = c.leader();
                if (leader != 0) c.crash(leader);
                c.awaitLeader(20_000);
                if (leader != 0) c.restart(leader);
                c.runFor(1_000);
            }
            java.util.Set<Long> campaigned = new java.util.TreeSet<>();
            for (RaftCluster.Sent s : c.sent()) if (s.message() instanceof minietcd.kit.raft.RaftMessage.RequestVote v && !v.preVote()) campaigned.add(v.term());
            for (int id : c.members()) {
                long term = c.node(id).state().term;
                assertThat(campaigned).as("terms some node campaigned in for real; node %d is in term %d", id, term).contains(term);
            }
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

    @Graded(lab = 2, part = "A", points = 3, value = "a candidate counts only the votes of its own term: grants from an earlier campaign are not votes")
    void votesOfAnotherTermDoNotCount(Seeds seeds) {
        seeds.run(20, run -> {
            RaftCluster c = run.cluster(5, RaftConfig.DEFAULT, Faults.RELIABLE);
            int leader = c.awaitLeader(10_000);
            c.commit("before", 10_000);
            int x = c.members().stream().filter(id -> id != leader).findFirst().orElseThrow();
            long start = c.node(x).state().term;
            c.isolate(x); // it campaigns alone, one term after another
            assertThat(c.runUntil(() -> c.node(x).state().role == minietcd.kit.raft.Role.CANDIDATE && c.node(x).state().term >= start + 2, 10_000))
                    .as("node %d, cut off, campaigns in term %d or later", x, start + 2).isTrue();
            long term = c.node(x).state().term;
            java.util.List<Integer> voters = c.members().stream().filter(id -> id != x).limit(c.members().size() / 2).toList();
            // Its campaign of the term before could have won these grants; they arrive late.
            for (int v : voters) c.deliver(v, x, new minietcd.kit.raft.RaftMessage.RequestVoteReply(term - 1, true, false));
            assertThat(c.node(x).state().role).as("node %d, candidate in term %d, after grants for term %d from nodes %s (with its own vote, a majority): "
                    + "a vote counts only in the term it was given for", x, term, term - 1, voters).isEqualTo(minietcd.kit.raft.Role.CANDIDATE);
            c.heal();
            c.commit("after", 10_000);
        });
    }

    @Graded(lab = 2, part = "C", points = 3, value = "a new leader serves no read before it has committed an entry of its own term")
    void aNewLeaderReadsOnlyAfterItsOwnCommit(Seeds seeds) {
        seeds.run(20, run -> {
            RaftCluster c = run.cluster(3, RaftConfig.DEFAULT.withPreVoteAndCheckQuorum(), Faults.RELIABLE);
            int old = c.awaitLeader(10_000);
            c.commit("first", 10_000);
            c.runFor(300);
            long index = c.propose(old, "the old leader's last");
            assertThat(c.runUntil(() -> c.node(old).state().commitIndex >= index, 1_000)).as("leader %d commits its entry %d", old, index).isTrue();
            c.isolate(old); // its followers hold the entry but have not heard yet that it is committed
            long known = c.members().stream().filter(id -> id != old).mapToLong(id -> c.node(id).state().commitIndex).max().orElseThrow();
            if (known >= index) return; // a heartbeat told them first: not the window this test is about
            if (!c.runUntil(() -> c.leader() != 0 && c.leader() != old, 10_000)) return;
            int next = c.leader();
            long id = c.read(next); // at once: the new leader's no-op is not committed yet
            assertThat(c.runUntil(() -> c.readResult(id) != null, 2_000)).as("node %d answers a read (or fails it)", next).isTrue();
            long[] r = c.readResult(id);
            if (r[3] == 1)
                assertThat(r[2]).as("the index of a read served by node %d, leader for a moment with commit index %d, while entry %d was already committed: "
                        + "a leader serves reads only once it has committed an entry of its own term", next, known, index).isGreaterThanOrEqualTo(index);
        });
    }
}
