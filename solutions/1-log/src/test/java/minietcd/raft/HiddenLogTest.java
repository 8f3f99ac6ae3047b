package minietcd.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import minietcd.kit.testing.Graded;
import minietcd.kit.testing.Seeds;
import minietcd.kit.harness.RaftCluster;
import minietcd.kit.raft.Entry;
import minietcd.kit.raft.Log;
import minietcd.kit.raft.RaftConfig;
import minietcd.kit.raft.Snapshot;
import minietcd.kit.raft.WalStorage;
import minietcd.kit.sim.Faults;
import minietcd.kit.sim.Nemesis;
import minietcd.kit.sim.SimDisk;

/** Lab 1, the instructor's tests: more seeds, harsher faults, crashes in the middle of everything. */
class HiddenLogTest {
    @Graded(lab = 1, part = "A", points = 4, value = "a crash that tears the last write keeps every synced entry and nothing half-written")
    void tornWriteRecovery() {
        for (int seed = 1; seed <= 200; seed++) {
            SimDisk disk = new SimDisk();
            WalStorage storage = new WalStorage(disk);
            Log log = new RaftLog(storage, storage.load());
            for (int i = 1; i <= 5; i++) log.append(1, "synced " + i);
            disk.sync();
            for (int i = 6; i <= 9; i++) log.append(2, "unsynced " + i);
            disk.crash(new SplittableRandom(seed), false);
            WalStorage again = new WalStorage(disk);
            Log reopened = new RaftLog(again, again.load());
            assertThat(reopened.lastIndex()).as("entries after a torn crash (seed " + seed + ")").isBetween(5L, 9L);
            for (long i = 1; i <= reopened.lastIndex(); i++) assertThat(reopened.entry(i)).isEqualTo(log.entry(i));
            reopened.append(3, "after");
            assertThat(reopened.entry(reopened.lastIndex()).command()).isEqualTo("after");
        }
    }

    @Graded(lab = 1, part = "A", points = 2, value = "appendFromLeader never cuts a committed entry, the one at the commit index included")
    void committedEntriesAreNeverCut() {
        SimDisk disk = new SimDisk();
        WalStorage storage = new WalStorage(disk);
        Log log = new RaftLog(storage, storage.load());
        for (int i = 1; i <= 3; i++) log.append(1, "committed " + i);
        try {
            log.appendFromLeader(2, List.of(new Entry(3, 2, "conflicting")), 3); // no correct leader sends this: entry 3 is committed
        } catch (RuntimeException refused) {
            // refusing the batch by throwing is one way to keep the entry
        }
        assertThat(log.entry(3)).as("committed entry 3 after a batch that conflicts with it at the commit index").isEqualTo(new Entry(3, 1, "committed 3"));
    }

    @Graded(lab = 1, part = "C", points = 3, value = "compaction keeps the entries after the snapshot and their terms, across a restart")
    void compactKeepsSuffix() {
        SimDisk disk = new SimDisk();
        WalStorage storage = new WalStorage(disk);
        Log log = new RaftLog(storage, storage.load());
        for (int i = 1; i <= 10; i++) log.append(i <= 5 ? 1 : 2, "c" + i);
        log.compact(new Snapshot(6, 2, "state at 6"));
        assertThat(log.firstIndex()).isEqualTo(7);
        assertThat(log.term(6)).isEqualTo(2);
        assertThat(log.matches(6, 2)).isTrue();
        assertThat(log.entries(7, 10)).extracting(Entry::command).containsExactly("c7", "c8", "c9", "c10");
        disk.sync();
        WalStorage again = new WalStorage(disk);
        Log reopened = new RaftLog(again, again.load());
        assertThat(reopened.snapshot()).isEqualTo(new Snapshot(6, 2, "state at 6"));
        assertThat(reopened.lastIndex()).isEqualTo(10);
    }

    @Graded(lab = 1, part = "B", points = 5, value = "concurrent proposals under harsh faults: every node applies the same sequence")
    void concurrentProposalsHarsh(Seeds seeds) {
        seeds.run(30, run -> {
            RaftCluster c = run.cluster(5, RaftConfig.DEFAULT, Faults.HARSH);
            c.awaitLeader(20_000);
            List<String> sent = new ArrayList<>();
            for (int i = 1; i <= 30; i++) {
                int leader = c.leader();
                if (leader != 0) for (int k = 0; k < 3; k++) if (c.propose(leader, "cc " + i + "." + k) > 0) sent.add("cc " + i + "." + k);
                c.runFor(50);
            }
            c.commit("end", 30_000);
            c.awaitApplied("end", 5, 30_000);
            c.awaitConverged(30_000);
            List<String> reference = c.applied(c.members().get(0));
            for (int id : c.members()) assertThat(c.applied(id)).as("node " + id + " vs node 1").isEqualTo(reference);
        });
    }

    @Graded(lab = 1, part = "B", points = 5, value = "replication is prompt: a new leader's no-op and each proposal are applied everywhere within a few message delays, not a heartbeat later")
    void replicationIsPrompt(Seeds seeds) {
        seeds.run(20, run -> {
            RaftCluster c = run.cluster(5, RaftConfig.DEFAULT, Faults.RELIABLE);
            long delay = Faults.RELIABLE.maxDelayMillis(), within = 4 * delay; // AppendEntries, its reply, the commit's AppendEntries, and room
            long[] first = {0, -1, -1}; // the first leader, when it won, its no-op's index
            java.util.Map<Integer, Long> appliedAt = new java.util.HashMap<>();
            c.sim().addObserver(node -> {
                if (first[0] == 0 && c.leader() != 0) {
                    first[0] = c.leader();
                    first[1] = c.sim().now();
                    first[2] = c.node(c.leader()).log().lastIndex();
                }
                if (first[0] != 0)
                    for (int id : c.members())
                        if (c.node(id) != null && c.node(id).state().lastApplied >= first[2]) appliedAt.putIfAbsent(id, c.sim().now());
            });
            int leader = c.awaitLeader(10_000);
            c.runFor(within);
            if (leader != first[0]) return; // the first leader lost its place at once: a rare split on this quiet network
            for (int id : c.members())
                assertThat(appliedAt.get(id)).as("Prompt replication: when node %d applied the no-op of node %d, leader since t=%dms (a heartbeat is %d ms away): "
                        + "a new leader sends its no-op at once, and its new commit index as soon as it moves", id, leader, first[1], c.config().tickMillis())
                        .isNotNull().isLessThanOrEqualTo(first[1] + within);
            for (int i = 1; i <= 10; i++) {
                c.runFor(7 + c.sim().random().nextInt(60)); // somewhere between two heartbeats
                if (c.leader() != leader) return; // a rare election on this quiet network: nothing to hold it to
                String command = "prompt " + i;
                long at = c.sim().now();
                c.propose(leader, command);
                boolean applied = c.runUntil(() -> c.appliedBy(command) == 5, within);
                assertThat(applied).as("Prompt replication: (%s), proposed at t=%dms, applied by %d of 5 nodes within %d ms (a heartbeat is %d ms away): "
                        + "the leader sends a new entry at once, and its new commit index as soon as it moves", command, at, c.appliedBy(command), within, c.config().tickMillis()).isTrue();
            }
        });
    }

    /**
     * Five nodes: the first leader and one partner, cut off together, append 80 entries of their
     * term that no majority holds, while the other three elect a leader and commit {@code kept}
     * entries over the same indexes; then the network heals. Returns the two with divergent tails.
     */
    private static List<Integer> divergentTails(RaftCluster c, int kept) {
        int old = c.awaitLeader(10_000);
        c.commit("base", 5_000);
        int partner = c.members().stream().filter(id -> id != old).findFirst().orElseThrow();
        c.partition(List.of(java.util.Set.of(old, partner)));
        for (int i = 1; i <= 80; i++) c.propose(old, "lost " + i); // never reaches a majority, and outruns what the majority writes
        c.runUntil(() -> c.leader() != old && c.leader() != 0, 10_000);
        for (int i = 1; i <= kept; i++) c.commit("kept " + i, 10_000);
        c.heal();
        return List.of(old, partner);
    }

    @Graded(lab = 1, part = "B", points = 5, value = "a deposed leader's long divergent log is replaced by the new majority's")
    void backupDivergentLog(Seeds seeds) {
        seeds.run(30, run -> {
            RaftCluster c = run.cluster(5, RaftConfig.DEFAULT, Faults.RELIABLE);
            divergentTails(c, 50);
            c.commit("end", 10_000);
            c.awaitConverged(20_000);
            for (int id : c.members()) {
                assertThat(c.applied(id)).as("node " + id).contains("kept 50", "end");
                assertThat(c.applied(id)).as("node " + id + " applied an entry that never reached a majority").noneMatch(s -> s.startsWith("lost"));
            }
        });
    }

    @Graded(lab = 1, part = "B", points = 4, value = "a long divergent tail is repaired in a few round trips: the refusal's hint skips a whole term at a time")
    void divergentTailRepairedInFewRoundTrips(Seeds seeds) {
        seeds.run(30, run -> {
            RaftCluster c = run.cluster(5, RaftConfig.DEFAULT, Faults.RELIABLE);
            List<Integer> divergent = divergentTails(c, 30);
            int healed = c.sent().size();
            c.commit("end", 10_000);
            c.awaitConverged(20_000);
            for (int node : divergent) {
                long refusals = c.sent().subList(healed, c.sent().size()).stream()
                        .filter(s -> s.from() == node && s.message() instanceof minietcd.kit.raft.RaftMessage.AppendEntriesReply r && !r.success()).count();
                assertThat(refusals).as("AppendEntries refused by node %d while its 80 divergent entries of one term were replaced (one refusal per term with the hint, "
                        + "one per entry without it)", node).isLessThanOrEqualTo(6);
            }
        });
    }

    @Graded(lab = 1, part = "C", points = 6, value = "snapshots with crashes and partitions: every node converges to the same state")
    void snapshotChurn(Seeds seeds) {
        seeds.run(30, run -> {
            RaftCluster c = run.cluster(5, RaftConfig.DEFAULT.withSnapshots(10), Faults.UNRELIABLE);
            Nemesis nemesis = Nemesis.start(c.sim(), 800, true, true);
            for (int i = 1; i <= 120; i++) {
                int leader = c.leader();
                if (leader != 0) c.propose(leader, "sc " + i);
                c.runFor(60);
            }
            nemesis.calm();
            c.commit("final", 20_000);
            c.awaitApplied("final", 5, 20_000);
            c.awaitConverged(20_000);
            List<String> reference = c.applied(1);
            for (int id : c.members()) {
                assertThat(c.applied(id)).as("state of node " + id + " vs node 1").isEqualTo(reference);
                var log = c.node(id).log();
                assertThat(log.lastIndex() - log.firstIndex() + 1).as("entries kept by node " + id).isLessThanOrEqualTo(40);
            }
        });
    }
}
