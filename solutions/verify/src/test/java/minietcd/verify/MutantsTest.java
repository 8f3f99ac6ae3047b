package minietcd.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import minietcd.kit.grader.ForkedTests;
import minietcd.kit.testing.Lab;
import minietcd.kit.grader.Layout;
import minietcd.kit.grader.TestResult;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The tests catch real bugs, and say which rule broke. Each mutant is the reference solution with
 * one Raft rule taken out (a classic learner bug); it is compiled on the fly, run through the same
 * grader a learner uses on the graded test that should catch it, and the failure must name the rule.
 */
class MutantsTest {
    record Mutant(String bug, Lab lab, String file, String original, String mutated, String test, String expected) {}

    static final List<Mutant> MUTANTS = List.of(
            new Mutant("votes for anyone who asks, even twice in a term", Lab.ELECTION, "Election.java",
                    "boolean grant = (s.votedFor == 0 || s.votedFor == m.candidate()) && upToDate;", "boolean grant = upToDate;",
                    "ElectionTest.manyElections", "One vote per term"),
            new Mutant("forgets its vote in a crash (not persisted)", Lab.ELECTION, "Election.java",
                    "            r.persistHardState();\n            electionElapsed = 0;", "            electionElapsed = 0;",
                    "LeaderChangeTest.voteSurvivesRestart", "One vote per term"),
            new Mutant("votes for a candidate with a stale log (no up-to-date check)", Lab.ELECTION, "Election.java",
                    "boolean grant = (s.votedFor == 0 || s.votedFor == m.candidate()) && upToDate;",
                    "boolean grant = (s.votedFor == 0 || s.votedFor == m.candidate());",
                    "LeaderChangeTest.staleCandidateNeverWins", "Leader Completeness"),
            new Mutant("a leader cut off from its majority never steps down (no CheckQuorum)", Lab.ELECTION, "Election.java",
                    "if (!quorumActive()) {", "if (false) {",
                    "LeadershipTest.checkQuorumStepsDown", "stepped down within 3 election timeouts"),
            new Mutant("commits an older term's entry by counting its replicas (Figure 8)", Lab.LOG, "Replication.java",
                    "            if (r.log().term(n) != s.term) return false;\n", "",
                    "ReplicationTest.figure8", "Leader Completeness"),
            new Mutant("answers AppendEntries before syncing", Lab.LOG, "Replication.java",
                    "        long last = r.log().appendFromLeader(m.prevIndex(), m.entries(), s.commitIndex);\n        r.storage().sync();",
                    "        long last = r.log().appendFromLeader(m.prevIndex(), m.entries(), s.commitIndex);",
                    "ReplicationTest.basicAgreement", "Durability"),
            new Mutant("the leader counts its own appends without syncing them", Lab.LOG, "Replication.java",
                    "        long index = r.log().append(r.state().term, command);\n        r.storage().sync();",
                    "        long index = r.log().append(r.state().term, command);",
                    "HiddenLogTest.snapshotChurn", "Committed means durable on a majority"),
            new Mutant("a node that takes a higher term does not persist it", Lab.ELECTION, "Election.java",
                    "            s.votedFor = 0;\n            r.persistHardState();\n        }\n        if (s.role == Role.LEADER) electionElapsed = 0;",
                    "            s.votedFor = 0;\n        }\n        if (s.role == Role.LEADER) electionElapsed = 0;",
                    "LeaderChangeTest.figure8", "Terms never go back"),
            new Mutant("a pre-candidate takes up the term of a granted pre-vote", Lab.ELECTION, "Election.java",
                    "            if (m instanceof RequestVoteReply v && v.preVote() && v.granted()) return true;\n", "",
                    "HiddenElectionTest.preVoteRaisesNoTerm", "Terms come from elections"),
            new Mutant("a confirmed read is kept and answered again", Lab.ELECTION, "Election.java",
                    "                r.readReady(e.getValue().requestId, e.getValue().index);\n                it.remove();",
                    "                r.readReady(e.getValue().requestId, e.getValue().index);",
                    "LeadershipTest.readIndex", "Each read answered once"),
            new Mutant("truncates on a late, shorter AppendEntries", Lab.LOG, "RaftLog.java",
                    "            if (e.index() <= lastIndex() && term(e.index()) == e.term()) continue;\n", "",
                    "RaftLogTest.staleBatchDoesNotTruncate", "must survive a stale batch"),
            new Mutant("applies entries that are not committed yet", Lab.LOG, "Replication.java",
                    "while (s.lastApplied < s.commitIndex) r.apply(", "while (s.lastApplied < r.log().lastIndex()) r.apply(",
                    "ReplicationTest.noCommitWithoutMajority", "Apply order"),
            new Mutant("a conflicting entry is overwritten in place and the stale tail kept", Lab.LOG, "RaftLog.java",
                    "            while (lastIndex() >= e.index()) entries.remove(entries.size() - 1);\n            List<Entry> rest = batch.subList(i, batch.size());\n            entries.addAll(rest);\n            storage.append(rest);\n            break;",
                    "            if (e.index() <= lastIndex()) { entries.set(offset(e.index()), e); storage.append(List.of(e)); continue; }\n            while (lastIndex() >= e.index()) entries.remove(entries.size() - 1);\n            List<Entry> rest = batch.subList(i, batch.size());\n            entries.addAll(rest);\n            storage.append(rest);\n            break;",
                    "HiddenLogTest.backupDivergentLog", "Log Matching"),
            new Mutant("a delete does not end the key's generation", Lab.MVCC, "KeyIndex.java",
                    "        put(rev);\n        generations.add(new Generation());", "        put(rev);",
                    "StoreTest.keyMetadata", "a deleted key"),
            new Mutant("count honours the min/max filters (etcd's does not)", Lab.MVCC, "MvccStore.java",
                    "return new KvResponse.Range(headerRevision, kvs, more, all.size());", "return new KvResponse.Range(headerRevision, kvs, more, kvs.size());",
                    "StoreTest.filtersKeepCount", "count with a min_mod_revision filter"),
            new Mutant("a nested txn's compares see the outer txn's writes", Lab.MVCC, "Txns.java",
                    "responses.add(run(w, n, path.nested().get(k++)));", "responses.add(run(w, n, plan(n)));",
                    "TxnTest.oneRevisionAndOrder", "a nested compare is decided on the store as it was before the txn"),
            new Mutant("compaction forgets the revision a read at the compaction point needs", Lab.MVCC, "KeyIndex.java",
                    "                keep.add(g.revs.get(at));\n", "",
                    "CompactionTest.compactionPerGeneration", "stored revisions after compacting at 5"),
            new Mutant("revoking a lease makes a revision per key", Lab.MVCC, "Lessor.java",
                    "long rev = store.deleteKeys(new ArrayList<>(l.keys));",
                    "long rev = store.currentRevision(); for (Bytes k : l.keys) rev = store.deleteKeys(List.of(k));",
                    "LeaseTest.revoke", "revision after revoking a lease with two keys"),
            new Mutant("a range in a txn does not see the txn's earlier writes", Lab.MVCC, "MvccStore.java",
                    "return write != null && write.changes > 0 ? write.main : currentRevision;", "return currentRevision;",
                    "TxnTest.oneRevisionAndOrder", "a range after a put in the same txn"),
            new Mutant("every op of a txn carries the txn's own revision", Lab.MVCC, "Txns.java",
                    "return w.changes > 0 ? w.main : w.main - 1;", "return w.main;",
                    "HiddenConformanceTest.etcdRecordings", "txn_headers_before_and_after_the_first_change"),
            new Mutant("a txn's ranges are checked before its puts", Lab.MVCC, "Txns.java",
                    "        checkPuts(t, path, new java.util.HashMap<>());\n        checkRanges(t, path);",
                    "        checkRanges(t, path);\n        checkPuts(t, path, new java.util.HashMap<>());",
                    "HiddenConformanceTest.etcdRecordings", "txn_puts_are_checked_before_ranges"),
            new Mutant("a put in a txn checks its lease before its key", Lab.MVCC, "Txns.java",
                    "                if ((p.ignoreValue() || p.ignoreLease()) && !isLive) throw EtcdException.keyNotFound();\n                if (p.lease() != 0 && !store.leaseExists(p.lease())) throw EtcdException.leaseNotFound();",
                    "                if (p.lease() != 0 && !store.leaseExists(p.lease())) throw EtcdException.leaseNotFound();\n                if ((p.ignoreValue() || p.ignoreLease()) && !isLive) throw EtcdException.keyNotFound();",
                    "HiddenConformanceTest.etcdRecordings", "txn_put_checks_the_key_before_the_lease"),
            new Mutant("a negative revision in a txn reads the latest, as a plain range does", Lab.MVCC, "MvccStore.java",
                    "        if (rev == 0) return;", "        if (rev <= 0) return;",
                    "HiddenConformanceTest.etcdRecordings", "txn_range_at_minus_two_never_compacted"),
            new Mutant("a key re-created in the txn that deleted it gets its old value as prev_kv", Lab.MVCC, "MvccStore.java",
                    "prev == null || prev.tombstone() || created ? null : prev.kv()", "prev == null || prev.tombstone() ? null : prev.kv()",
                    "CompactionTest.changesAtRevision", "a create (version 1) has no previous version"),
            new Mutant("a range sorted by a target with no order sorts the whole range before its limit", Lab.MVCC, "MvccStore.java",
                    "if (r.limit() > 0 && !filtered && kvs.size() > r.limit() + 1) kvs = new ArrayList<>(kvs.subList(0, (int) r.limit() + 1));", "",
                    "HiddenConformanceTest.etcdRecordings", "range_sorted_by_create_with_no_order_and_a_limit"),
            new Mutant("a new watcher gets the id of a canceled one (the smallest id not in use)", Lab.WATCH, "WatchableStore.java",
                    "            id = stream.nextId++;", "            id = 0; while (stream.watchers.containsKey(id)) id++;",
                    "LiveWatchTest.idsAndCancel", "Watch ids are unique on a stream"),
            new Mutant("a slow watcher's event is dropped instead of caught up later", Lab.WATCH, "WatchableStore.java",
                    "else w.synced = false; // its sink is full", "else w.next = rev + 1; // its sink is full",
                    "ProgressAndSlowTest.slowConsumer", "every event, once, in order"),
            new Mutant("a stream's progress answer while one of its watchers is behind", Lab.WATCH, "WatchableStore.java",
                    "if (stream != null) for (Watcher w : stream.watchers.values()) if (!w.synced) return;", "",
                    "HiddenWatchTest.slowGuarantees", "Bookmarkable"),
            new Mutant("NOPUT and NODELETE swapped", Lab.WATCH, "WatchableStore.java",
                    "if (e.type() == Event.Type.PUT ? r.noPut() : r.noDelete()) continue;", "if (e.type() == Event.Type.PUT ? r.noDelete() : r.noPut()) continue;",
                    "LiveWatchTest.filtersAndPrevKv", "NOPUT"),
            new Mutant("events of one revision split over several messages", Lab.WATCH, "WatchableStore.java",
                    "for (long rev = w.next; rev <= current; rev++) missed.addAll(matching(w, store.changesAt(rev)));\n        if (missed.isEmpty() || w.sink.offer(WatchResponse.events(w.id, current, missed))) {",
                    "for (long rev = w.next; rev <= current; rev++) missed.addAll(matching(w, store.changesAt(rev)));\n        boolean sent = true; for (minietcd.kit.mvcc.Event e : missed) sent &= w.sink.offer(WatchResponse.events(w.id, current, List.of(e)));\n        if (sent) {",
                    "HiddenWatchTest.historyGuarantees", "Atomic"));

    @TestFactory
    Stream<DynamicTest> everyMutantIsCaughtByTheRuleItBreaks() {
        return MUTANTS.stream().map(m -> DynamicTest.dynamicTest(m.bug() + " -> " + m.expected(), () -> {
            Layout layout = Layout.current();
            Path classes = compile(layout, m);
            List<Path> cp = new ArrayList<>(layout.testClasspath());
            cp.add(classes); // shadows the solution's class of the same name
            for (Lab lab : Lab.values()) cp.add(layout.solutionClasses(lab));
            List<Path> roots = new ArrayList<>();
            for (Lab lab : Lab.values()) { roots.add(layout.labTests(lab)); roots.add(layout.hiddenTests(lab)); }
            ForkedTests tests = new ForkedTests(cp, roots, Map.of("minietcd.traceDir", System.getProperty("minietcd.traceDir", "target/traces")), 120);
            List<TestResult> results = tests.run(new ForkedTests.Selection(0, List.of(), List.of(m.test())), r -> {});
            assertThat(results).as("the graded test " + m.test()).hasSize(1);
            TestResult r = results.get(0);
            assertThat(r.passed()).as(m.test() + " passed with the bug: " + m.bug()).isFalse();
            assertThat(r.reason()).as("what " + m.test() + " says about the bug: " + m.bug()).contains(m.expected());
        }));
    }

    @org.junit.jupiter.api.Test
    void codeThatLoopsOrExitsIsCutOffAndTheRunGoesOn() throws Exception {
        Layout layout = Layout.current();
        List<String> two = List.of("RaftLogTest.appendAndRead", "RaftLogTest.emptyLog");
        Mutant loops = new Mutant("loops forever", Lab.LOG, "RaftLog.java", "return snapshot.index() + entries.size();", "for (;;) { }", "", "");
        for (TestResult r : runWith(layout, loops, two, 3)) {
            assertThat(r.status()).as(r.name() + " with code that loops").isEqualTo("TIMED_OUT");
            assertThat(r.reason()).startsWith("timed out");
        }
        Mutant exits = new Mutant("exits", Lab.LOG, "RaftLog.java", "return snapshot.index() + 1;", "System.exit(3); return 0;", "", "");
        for (TestResult r : runWith(layout, exits, two, 60)) {
            assertThat(r.status()).as(r.name() + " with code that calls System.exit").isEqualTo("CRASHED");
            assertThat(r.reason()).contains("exited with code 3");
        }
    }

    private static List<TestResult> runWith(Layout layout, Mutant m, List<String> tests, long timeoutSeconds) throws Exception {
        List<Path> cp = new ArrayList<>(layout.testClasspath());
        cp.add(compile(layout, m));
        for (Lab lab : Lab.values()) cp.add(layout.solutionClasses(lab));
        List<TestResult> results = new ForkedTests(cp, List.of(layout.labTests(m.lab())), Map.of("minietcd.traceDir",
                System.getProperty("minietcd.traceDir", "target/traces")), timeoutSeconds).run(new ForkedTests.Selection(0, List.of(), tests), r -> {});
        assertThat(results).as("results of " + tests).hasSize(tests.size());
        return results;
    }

    private static Path compile(Layout layout, Mutant m) throws Exception {
        Path source;
        try (Stream<Path> files = Files.walk(layout.solutionSources(m.lab()))) {
            source = files.filter(f -> f.getFileName().toString().equals(m.file())).findFirst().orElseThrow();
        }
        String text = Files.readString(source);
        int at = text.indexOf(m.original());
        assertThat(at).as("the mutated line in " + source.getFileName() + " (update the mutant if the solution changed)").isNotNegative();
        assertThat(text.indexOf(m.original(), at + 1)).as("the mutated line occurs once in " + source.getFileName()).isNegative();
        Path dir = Files.createTempDirectory("mutant-");
        Path src = dir.resolve("src").resolve(layout.solutionSources(m.lab()).relativize(source));
        Files.createDirectories(src.getParent());
        Files.writeString(src, text.replace(m.original(), m.mutated()));
        Path out = Files.createDirectories(dir.resolve("classes"));
        List<String> cp = new ArrayList<>();
        layout.testClasspath().forEach(p -> cp.add(p.toString()));
        cp.add(layout.solutionClasses(m.lab()).toString());
        java.io.ByteArrayOutputStream errors = new java.io.ByteArrayOutputStream();
        boolean ok = ToolProvider.getSystemJavaCompiler().run(null, errors, errors,
                "--release", "17", "-nowarn", "-d", out.toString(), "-cp", String.join(java.io.File.pathSeparator, cp), src.toString()) == 0;
        assertThat(ok).as("the mutant compiles: " + errors).isTrue();
        return out;
    }
}
