package minietcd.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import minietcd.kit.harness.RaftCluster;
import minietcd.kit.raft.Log;
import minietcd.kit.raft.RaftNode;
import minietcd.kit.raft.RaftConfig;
import minietcd.kit.raft.RaftMessage.AppendEntries;
import minietcd.kit.raft.RaftMessage.AppendEntriesReply;
import minietcd.kit.sim.Faults;
import minietcd.kit.testing.Graded;
import minietcd.kit.testing.Seeds;

/**
 * Lab 1, the instructor's tests of how a follower's log is repaired: the conflict hint exactly as
 * the guide states it, on both sides, and a catch-up that sends the next batch as soon as the last
 * one is acknowledged.
 */
class HiddenRepairTest {
    private static final RaftConfig CONFIG = RaftConfig.DEFAULT.withPreVoteAndCheckQuorum(); // a node cut off keeps its term

    @Graded(lab = 1, part = "B", points = 4, value = "the conflict hint as the guide states it: the follower's conflictIndex and conflictTerm, the leader's next nextIndex")
    void conflictHintsFollowTheRules(Seeds seeds) {
        seeds.run(20, run -> {
            RaftCluster c = run.cluster(5, CONFIG, Faults.RELIABLE);
            int[] nodes = threeTerms(c);
            int behind = nodes[0], leader = nodes[1];
            if (behind == 0) return; // a rare extra election on this quiet network: no known history to check against
            RaftNode lead = c.node(leader);
            long term = lead.state().term;
            Log log = lead.log();
            List<Long> terms = new ArrayList<>();
            for (long i = log.firstIndex(); i <= log.lastIndex(); i++) if (!terms.contains(log.term(i))) terms.add(log.term(i));
            assertThat(terms).as("the terms in leader %d's log, a history of three leaders", leader).hasSizeGreaterThanOrEqualTo(3);

            // The leader: a refusal's hint decides where the next AppendEntries starts.
            List<long[]> hints = new ArrayList<>(); // {conflictIndex, conflictTerm}
            for (long t : terms) hints.add(new long[] {3, t});
            hints.add(new long[] {3, 0});
            hints.add(new long[] {log.lastIndex() + 5, 0});
            for (long t = 1; t < term; t++) if (!terms.contains(t)) { hints.add(new long[] {3, t}); break; } // a term the leader has no entry of
            for (long[] h : hints) leaderTakesTheHint(c, leader, behind, term, h[0], h[1]);
            long held = lead.state().progress.get(behind).matchIndex;
            deliver(c, behind, leader, new AppendEntriesReply(term, true, 1, 0, 0, 0)); // the follower holds entry 1, as it does
            leaderTakesTheHint(c, leader, behind, term, 1, 0); // a stale hint at what the follower is known to hold
            assertThat(held).as("leader %d's matchIndex for node %d before it acknowledged anything", leader, behind).isLessThan(1);

            // The follower: its refusal says where its log stops matching.
            RaftNode f = c.node(behind);
            long last = f.log().lastIndex();
            AppendEntriesReply beyond = refusal(c, leader, behind, new AppendEntries(term, leader, last + 6, terms.get(1), List.of(), 0, 0));
            assertThat(new long[] {beyond.conflictIndex(), beyond.conflictTerm()})
                    .as("node %d's hint for a prevIndex %d beyond its last index %d: conflictIndex = lastIndex + 1, conflictTerm 0", behind, last + 6, last)
                    .containsExactly(last + 1, 0);
            int other = c.members().stream().filter(id -> id != leader && id != behind && c.node(id).log().lastIndex() >= 4).findFirst().orElse(0);
            if (other == 0) return;
            Log held2 = c.node(other).log();
            long at = held2.lastIndex() - 1, itsTerm = held2.term(at), first = at;
            while (first > held2.firstIndex() && held2.term(first - 1) == itsTerm) first--;
            AppendEntriesReply mismatch = refusal(c, leader, other, new AppendEntries(term, leader, at, itsTerm + 1000, List.of(), 0, 0));
            assertThat(new long[] {mismatch.conflictIndex(), mismatch.conflictTerm()})
                    .as("node %d's hint for prevIndex %d whose term it holds as %d: conflictTerm = that term, conflictIndex = the first index it holds of it", other, at, itsTerm)
                    .containsExactly(first, itsTerm);
            assertThat(c.propose(other, "to a follower")).as("what propose on follower %d returns", other).isEqualTo(-1);
        });
    }

    @Graded(lab = 1, part = "B", points = 4, value = "a follower far behind catches up one batch per round trip, not one batch per heartbeat")
    void catchUpIsPipelined(Seeds seeds) {
        seeds.run(20, run -> catchUp(run.cluster(3, CONFIG.withMaxEntriesPerAppend(4), Faults.RELIABLE), 37 + (int) (run.seed() % 4)));
    }

    @Graded(lab = 1, part = "C", points = 3, value = "a follower behind the snapshot gets it and then the rest at once, not a heartbeat later")
    void catchUpThroughASnapshotIsPrompt(Seeds seeds) {
        seeds.run(20, run -> catchUp(run.cluster(3, CONFIG.withMaxEntriesPerAppend(4).withSnapshots(8), Faults.RELIABLE), 30 + (int) (run.seed() % 9)));
    }

    @Graded(lab = 1, part = "C", points = 2, value = "a snapshot older than the follower's commit index is not installed: its state never goes back")
    void staleSnapshotIsNotInstalled(Seeds seeds) {
        seeds.run(10, run -> {
            RaftCluster c = run.cluster(3, RaftConfig.DEFAULT.withSnapshots(8), Faults.RELIABLE);
            int leader = c.awaitLeader(10_000);
            for (int i = 1; i <= 32; i++) c.propose(leader, "s" + i);
            c.awaitApplied("s32", 3, 10_000);
            int follower = c.members().stream().filter(id -> id != leader).findFirst().orElseThrow();
            for (int i = 1; i <= 3 && c.node(leader).log().snapshot().index() >= c.node(follower).state().commitIndex; i++) {
                c.propose(leader, "after the snapshot " + i); // the leader just compacted at its last entry: one more puts its snapshot below
                c.awaitApplied("after the snapshot " + i, 3, 10_000);
            }
            if (c.leader() != leader) return; // a rare election on this quiet network
            var snapshot = c.node(leader).log().snapshot();
            var st = c.node(follower).state();
            long applied = st.lastApplied, committed = st.commitIndex;
            assertThat(snapshot.index()).as("leader %d's snapshot, below follower %d's commit index %d", leader, follower, committed).isPositive().isLessThan(committed);
            c.deliver(leader, follower, new minietcd.kit.raft.RaftMessage.InstallSnapshot(c.node(leader).state().term, leader, snapshot));
            assertThat(c.node(follower).state().lastApplied).as("node %d's lastApplied (%d) after an InstallSnapshot at %d, below its commit index %d: "
                    + "a snapshot older than the commit index is answered, not installed", follower, applied, snapshot.index(), committed).isEqualTo(applied);
        });
    }

    @Graded(lab = 1, part = "C", points = 3, value = "a node snapshots once it keeps more than snapshotEntries applied entries, and not before")
    void snapshotsAsConfigured(Seeds seeds) {
        seeds.run(10, run -> {
            RaftCluster c = run.cluster(3, RaftConfig.DEFAULT.withSnapshots(8), Faults.RELIABLE);
            int keep = c.config().snapshotEntries();
            java.util.Map<Integer, Long> last = new java.util.HashMap<>();
            java.util.Set<String> sentSnapshots = new java.util.HashSet<>(); // "node/index" of every snapshot a leader sent
            int[] seen = {0};
            c.sim().addObserver(node -> {
                for (; seen[0] < c.sent().size(); seen[0]++)
                    if (c.sent().get(seen[0]).message() instanceof minietcd.kit.raft.RaftMessage.InstallSnapshot is)
                        sentSnapshots.add(c.sent().get(seen[0]).to() + "/" + is.snapshot().index());
                for (int id : c.members()) {
                    RaftNode n = c.node(id);
                    if (n == null || n.log() == null) continue;
                    long snap = n.log().snapshot().index(), before = last.getOrDefault(id, 0L);
                    boolean installed = sentSnapshots.contains(id + "/" + snap); // a follower behind the leader's snapshot gets it whole
                    if (snap != before && !installed && snap - before <= keep)
                        throw new AssertionError("Snapshot policy: node " + id + " took a snapshot at " + snap + " when its last was at " + before
                                + ": a node compacts only once it keeps more than snapshotEntries (" + keep + ") applied entries");
                    if (n.state().lastApplied - snap > keep)
                        throw new AssertionError("Snapshot policy: node " + id + " keeps " + (n.state().lastApplied - snap) + " applied entries past its snapshot at " + snap
                                + ": once it keeps more than snapshotEntries (" + keep + "), it compacts at lastApplied");
                    last.put(id, snap);
                }
            });
            int leader = c.awaitLeader(10_000);
            for (int i = 1; i <= 60; i++) {
                c.propose(leader, "s" + i);
                c.runFor(1 + c.sim().random().nextInt(15));
            }
            c.awaitApplied("s60", 3, 10_000);
            for (int id : c.members()) assertThat(c.node(id).log().snapshot().index()).as("node %d's snapshot after 60 entries", id).isGreaterThan(40);
        });
    }

    @Graded(lab = 1, part = "B", points = 3, value = "a batch vouches for itself only: a follower's matchIndex and commit index stop at the batch's last entry, not at its lastIndex()")
    void aBatchVouchesForItselfOnly(Seeds seeds) {
        seeds.run(20, run -> {
            RaftCluster c = run.cluster(5, CONFIG, Faults.RELIABLE);
            StaleTail t = staleTail(c);
            if (t == null) return; // a rare extra election on this quiet network
            RaftNode lead = c.node(t.leader()), f = c.node(t.follower());
            long term = lead.state().term, k = t.agreed(), commit = lead.state().commitIndex;
            // A batch that ends inside the agreed part, as a leader that stepped back further than it had to may send it.
            long prev = k - 2;
            AppendEntries batch = new AppendEntries(term, t.leader(), prev, lead.log().term(prev), lead.log().entries(prev + 1, 2), commit, 0);
            vouches(c, t, batch, k);
            vouches(c, t, new AppendEntries(term, t.leader(), k, lead.log().term(k), List.of(), commit, 0), k); // a heartbeat at the agreed point
            assertThat(f.log().lastIndex()).as("node %d's last index after batches that all match its log: a batch with no conflict cuts nothing", t.follower())
                    .isEqualTo(t.lastIndex());
            c.heal();
            c.awaitConverged(10_000); // the kit's rules check that nothing the follower applied was an older term's entry
        });
    }

    @Graded(lab = 1, part = "C", points = 2, value = "a snapshot's reply vouches for the snapshot only: it answers the snapshot's index, not its lastIndex()")
    void aSnapshotReplyVouchesForTheSnapshotOnly(Seeds seeds) {
        seeds.run(20, run -> {
            RaftCluster c = run.cluster(5, CONFIG.withSnapshots(2), Faults.RELIABLE);
            StaleTail t = staleTail(c);
            if (t == null) return;
            var snapshot = t.leadersSnapshot();
            RaftNode f = c.node(t.follower());
            assertThat(snapshot.index()).as("leader %d's snapshot when it took over, below node %d's last index %d", t.leader(), t.follower(), t.lastIndex())
                    .isPositive().isLessThan(t.lastIndex());
            int before = c.sent().size();
            c.deliver(t.leader(), t.follower(), new minietcd.kit.raft.RaftMessage.InstallSnapshot(c.node(t.leader()).state().term, t.leader(), snapshot));
            var reply = c.sent().subList(before, c.sent().size()).stream()
                    .filter(s -> s.from() == t.follower() && s.message() instanceof minietcd.kit.raft.RaftMessage.InstallSnapshotReply)
                    .map(s -> (minietcd.kit.raft.RaftMessage.InstallSnapshotReply) s.message()).findFirst().orElse(null);
            assertThat(reply).as("node %d's answer to leader %d's InstallSnapshot at %d", t.follower(), t.leader(), snapshot.index()).isNotNull();
            assertThat(reply.lastIndex()).as("node %d's InstallSnapshotReply for a snapshot at %d, while its log ends at %d with entries of an older term the leader "
                    + "does not have: a snapshot's reply answers the snapshot's index (entries kept after it may not match the leader's)", t.follower(),
                    snapshot.index(), f.log().lastIndex()).isEqualTo(snapshot.index());
            c.heal();
            c.awaitConverged(10_000);
        });
    }

    /**
     * A follower that holds, after the entries it shares with the leader (up to {@code agreed}),
     * entries of an older term that the leader never had; the leader has committed past the
     * follower's last index and is cut off from it. {@code leadersSnapshot} is the leader's
     * snapshot when it took over.
     */
    private record StaleTail(int follower, int leader, long agreed, long lastIndex, minietcd.kit.raft.Snapshot leadersSnapshot) {}

    /**
     * Five nodes: a first leader commits three entries, then is cut off with one follower and
     * appends three more that only that follower gets; the other three elect a leader that
     * commits past them. Null if an extra election made the history other than that.
     */
    private static StaleTail staleTail(RaftCluster c) {
        int first = c.awaitLeader(10_000);
        for (int i = 1; i <= 3; i++) c.commit("a" + i, 10_000);
        c.runFor(300); // every node knows they are committed
        if (c.leader() != first) return null;
        int f = c.members().stream().filter(id -> id != first).findFirst().orElseThrow();
        List<Integer> rest = c.members().stream().filter(id -> id != first && id != f).toList();
        c.partition(List.of(List.of(first, f), rest));
        for (int i = 1; i <= 3; i++) c.propose(first, "stale " + i);
        c.runFor(20);
        long tail = c.node(f).log().lastIndex();
        if (!c.runUntil(() -> rest.contains(c.leader()), 10_000)) return null;
        int leader = c.leader();
        RaftNode lead = c.node(leader), fol = c.node(f);
        var snapshot = lead.log().snapshot();
        long agreed = fol.state().commitIndex;
        while (agreed < tail && agreed < lead.log().lastIndex() && lead.log().matches(agreed + 1, fol.log().term(agreed + 1))) agreed++;
        for (int i = 1; i <= 8 && lead.state().commitIndex <= tail; i++) c.commit("b" + i, 10_000);
        if (c.leader() != leader || lead.state().commitIndex <= tail || fol.log().lastIndex() != tail) return null;
        if (agreed >= tail || agreed < 3 || fol.log().term(tail) >= lead.state().term) return null;
        return new StaleTail(f, leader, agreed, tail, snapshot);
    }

    /** Hands the follower a matching AppendEntries from the leader; its success must vouch for the batch's last entry, and its commit index go no further. */
    private static void vouches(RaftCluster c, StaleTail t, AppendEntries m, long agreed) {
        int before = c.sent().size();
        c.deliver(t.leader(), t.follower(), m);
        AppendEntriesReply r = c.sent().subList(before, c.sent().size()).stream()
                .filter(s -> s.from() == t.follower() && s.message() instanceof AppendEntriesReply).map(s -> (AppendEntriesReply) s.message())
                .findFirst().orElse(null);
        long last = m.prevIndex() + m.entries().size();
        String what = String.format("node %d (log up to %d, of which 1..%d is the leader's and the rest an older term's) given prevIndex %d and %d entries, leaderCommit %d",
                t.follower(), t.lastIndex(), agreed, m.prevIndex(), m.entries().size(), m.leaderCommit());
        assertThat(r).as("the answer of " + what).isNotNull();
        assertThat(r.success()).as("the success of " + what).isTrue();
        assertThat(r.matchIndex()).as("the matchIndex answered by " + what + ": prevIndex + the batch's size (%d), not lastIndex(): entries after the batch are not known to match the leader's", last)
                .isEqualTo(last);
        assertThat(c.node(t.follower()).state().commitIndex).as("the commit index of " + what + ": at most min(leaderCommit, the batch's last index %d)", last)
                .isLessThanOrEqualTo(last);
    }

    /**
     * Cuts a follower off while the leader commits {@code n} entries, heals, and holds the catch-up
     * to its round trips, counted from the follower's first answer (the next heartbeat finds the gap).
     */
    private static void catchUp(RaftCluster c, int n) {
        int leader = c.awaitLeader(10_000);
        int behind = c.members().stream().filter(id -> id != leader).findFirst().orElseThrow();
        c.isolate(behind);
        for (int i = 1; i <= n; i++) {
            long index = c.propose(leader, "entry " + i);
            assertThat(index).as("what propose returned for the entry leader %d appended at index %d", leader, c.node(leader).log().lastIndex())
                    .isEqualTo(c.node(leader).log().lastIndex());
        }
        c.awaitApplied("entry " + n, 2, 10_000);
        if (c.leader() != leader) return; // a rare election on this quiet network
        Log log = c.node(leader).log();
        long target = log.lastIndex(), from = Math.max(c.node(behind).log().lastIndex(), log.snapshot().index());
        boolean viaSnapshot = c.node(behind).log().lastIndex() < log.snapshot().index();
        int batch = c.config().maxEntriesPerAppend();
        long roundTrip = 2 * Faults.RELIABLE.maxDelayMillis(), heartbeat = c.config().heartbeatTicks() * c.config().tickMillis();
        long trips = (target - from + batch - 1) / batch + (viaSnapshot ? 1 : 0) + 2; // the batches, the snapshot, the refusal that finds the gap, and room
        long[] at = {-1, -1}; // the follower's first answer after the heal, and the moment it has caught up
        int[] seen = {c.sent().size()};
        c.sim().addObserver(node -> {
            for (int i = seen[0]; i < c.sent().size() && at[0] < 0; i++)
                if (c.sent().get(i).from() == behind && c.sent().get(i).to() == leader) at[0] = c.sim().now();
            seen[0] = c.sent().size();
            if (at[1] < 0 && c.node(behind) != null && c.node(behind).state().lastApplied >= target) at[1] = c.sim().now();
        });
        c.heal();
        c.runUntil(() -> at[1] >= 0, 10_000);
        if (c.leader() != leader) return;
        assertThat(at[1]).as("node %d caught up with leader %d's %d entries at all", behind, leader, target).isNotNegative();
        assertThat(at[1] - at[0]).as("Pipelined catch-up: node %d lacked entries %d..%d%s; from its first answer it took %d ms to catch up, where %d round trips of at most %d ms "
                        + "would do (a batch is %d entries, a heartbeat %d ms): after each acknowledged AppendEntries or snapshot the leader sends what the follower still lacks at once",
                behind, from + 1, target, viaSnapshot ? " (through a snapshot)" : "", at[1] - at[0], trips, roundTrip, batch, heartbeat)
                .isLessThanOrEqualTo(trips * roundTrip);
        if (c.config().snapshotEntries() > 0)
            assertThat(viaSnapshot).as("node %d had to catch up through a snapshot (the leader had compacted the entries it lacked)", behind).isTrue();
    }

    /**
     * Five nodes: the first leader commits its no-op only, then one follower ({@code behind}) is cut
     * off and two more leaders follow in turn, each committing three. So the first term holds one
     * entry, at the log's first index. Returns {behind, the last
     * leader}, or {0, 0} if an extra election made the history other than that.
     */
    private static int[] threeTerms(RaftCluster c) {
        int first = c.awaitLeader(10_000);
        c.runFor(300); // every node holds the no-op
        int behind = c.members().stream().filter(id -> id != first).findFirst().orElseThrow();
        c.isolate(behind);
        int now = first;
        for (String round : List.of("b", "c")) {
            int old = now;
            c.isolate(old);
            if (!c.runUntil(() -> c.leader() != 0 && c.leader() != old, 10_000)) return new int[] {0, 0};
            c.heal();
            c.isolate(behind);
            now = c.leader();
            for (int i = 1; i <= 3; i++) c.commit(round + i, 10_000);
        }
        int last = now;
        c.runFor(300);
        return c.leader() == last ? new int[] {behind, last} : new int[] {0, 0};
    }

    /** Hands the leader a refusal from {@code behind} with the given hint; its next AppendEntries to it must start where the guide says. */
    private static void leaderTakesTheHint(RaftCluster c, int leader, int behind, long term, long conflictIndex, long conflictTerm) {
        RaftNode lead = c.node(leader);
        Log log = lead.log();
        long lastOfTerm = 0;
        if (conflictTerm > 0) for (long i = log.lastIndex(); i >= log.firstIndex() && lastOfTerm == 0; i--) if (log.term(i) == conflictTerm) lastOfTerm = i;
        long next = lastOfTerm > 0 ? lastOfTerm + 1 : conflictIndex;
        long expected = Math.max(lead.state().progress.get(behind).matchIndex + 1, Math.min(next, log.lastIndex() + 1));
        int before = c.sent().size();
        deliver(c, behind, leader, new AppendEntriesReply(term, false, 0, conflictIndex, conflictTerm, 0));
        AppendEntries sent = c.sent().subList(before, c.sent().size()).stream()
                .filter(s -> s.from() == leader && s.to() == behind && s.message() instanceof AppendEntries).map(s -> (AppendEntries) s.message())
                .findFirst().orElse(null);
        assertThat(sent).as("leader %d sent node %d nothing after its refusal (conflictIndex %d, conflictTerm %d): a refusal is answered at once", leader, behind,
                conflictIndex, conflictTerm).isNotNull();
        assertThat(sent.prevIndex() + 1).as("leader %d's nextIndex for node %d after a refusal with conflictIndex %d, conflictTerm %d (its last entry of that term: %d; "
                        + "its matchIndex for the node: %d): past the leader's last entry of conflictTerm if it has one, else conflictIndex, never at or below matchIndex",
                leader, behind, conflictIndex, conflictTerm, lastOfTerm, lead.state().progress.get(behind).matchIndex).isEqualTo(expected);
    }

    /** Hands the follower an AppendEntries that must be refused, and returns its refusal. */
    private static AppendEntriesReply refusal(RaftCluster c, int leader, int follower, AppendEntries m) {
        int before = c.sent().size();
        deliver(c, leader, follower, m);
        AppendEntriesReply r = c.sent().subList(before, c.sent().size()).stream()
                .filter(s -> s.from() == follower && s.to() == leader && s.message() instanceof AppendEntriesReply).map(s -> (AppendEntriesReply) s.message())
                .findFirst().orElse(null);
        assertThat(r).as("node %d's answer to an AppendEntries with prevIndex %d, prevTerm %d", follower, m.prevIndex(), m.prevTerm()).isNotNull();
        assertThat(r.success()).as("node %d accepted an AppendEntries with prevIndex %d, prevTerm %d that its log does not match", follower, m.prevIndex(), m.prevTerm())
                .isFalse();
        return r;
    }

    private static void deliver(RaftCluster c, int from, int to, minietcd.kit.raft.RaftMessage m) {
        c.deliver(from, to, m);
    }
}
