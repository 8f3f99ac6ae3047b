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
    record Mutant(String bug, Lab lab, String file, String original, String mutated, String test, String expected) {
        /** Two edits in one file, for a bug that takes two mistakes (each alone is harmless in the reference's structure). */
        static Mutant twoEdits(String bug, Lab lab, String file, String original1, String mutated1, String original2, String mutated2, String test, String expected) {
            return new Mutant(bug, lab, file, original1 + AND + original2, mutated1 + AND + mutated2, test, expected);
        }
    }

    private static final String AND = "\u0000";

    static final List<Mutant> MUTANTS = List.of(
            // Lab 1: the log
            new Mutant("replies lastIndex() as matchIndex", Lab.LOG, "Replication.java",
                    "r.send(from, new AppendEntriesReply(s.term, true, last, 0, 0, m.readContext()));",
                    "r.send(from, new AppendEntriesReply(s.term, true, r.log().lastIndex(), 0, 0, m.readContext()));",
                    "HiddenRepairTest.aBatchVouchesForItselfOnly", "not lastIndex()"),
            new Mutant("raises the commit index past the batch", Lab.LOG, "Replication.java",
                    "Math.min(m.leaderCommit(), last)", "Math.min(m.leaderCommit(), r.log().lastIndex())",
                    "HiddenRepairTest.aBatchVouchesForItselfOnly", "Leader Completeness"),
            new Mutant("answers a snapshot with log.lastIndex()", Lab.LOG, "Replication.java",
                    "new InstallSnapshotReply(r.state().term, snap.index())", "new InstallSnapshotReply(r.state().term, r.log().lastIndex())",
                    "HiddenRepairTest.aSnapshotReplyVouchesForTheSnapshotOnly", "a snapshot's reply answers the snapshot's index"),
            new Mutant("installing a snapshot older than commitIndex", Lab.LOG, "Replication.java",
                    "if (snap.index() > r.state().commitIndex) {", "if (true) {",
                    "HiddenRepairTest.staleSnapshotIsNotInstalled", "a snapshot older than the commit index is answered, not installed"),
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
            new Mutant("truncates only in memory, so a restart brings the old suffix back", Lab.LOG, "RaftLog.java",
                    "            while (lastIndex() >= e.index()) entries.remove(entries.size() - 1);\n            List<Entry> rest = batch.subList(i, batch.size());\n            entries.addAll(rest);\n            storage.append(rest);",
                    "            long oldLast = lastIndex();\n            while (lastIndex() >= e.index()) entries.remove(entries.size() - 1);\n            List<Entry> rest = batch.subList(i, batch.size());\n            entries.addAll(rest);\n            List<Entry> fresh = rest.stream().filter(x -> x.index() > oldLast).toList();\n            if (!fresh.isEmpty()) storage.append(fresh);",
                    "RaftLogTest.syncedLogSurvivesCrash", "the truncation at 2 survived"),
            new Mutant("firstIndex off by one from the snapshot's index", Lab.LOG, "RaftLog.java",
                    "return snapshot.index() + 1;", "return snapshot.index();",
                    "RaftLogTest.emptyLog", "firstIndex of an empty log"),
            new Mutant("applies an entry twice (a duplicated AppendEntries applies its entries again)", Lab.LOG, "Replication.java",
                    "        r.send(from, new AppendEntriesReply(s.term, true, last, 0, 0, m.readContext()));\n        applyCommitted();",
                    "        r.send(from, new AppendEntriesReply(s.term, true, last, 0, 0, m.readContext()));\n        for (Entry e : m.entries()) if (e.index() <= s.commitIndex) r.apply(e);\n        applyCommitted();",
                    "ReplicationTest.agreementOnUnreliableNetwork", "Apply order"),
            new Mutant("lowers commitIndex (a late AppendEntries sets it back)", Lab.LOG, "Replication.java",
                    "if (m.leaderCommit() > s.commitIndex) s.commitIndex = Math.max(s.commitIndex, Math.min(m.leaderCommit(), last));",
                    "s.commitIndex = Math.min(m.leaderCommit(), last);",
                    "ReplicationTest.agreementOnUnreliableNetwork", "Commit never moves back"),
            new Mutant("sends a snapshot when nextIndex == firstIndex (off by one)", Lab.LOG, "Replication.java",
                    "if (p.nextIndex < r.log().firstIndex()) {", "if (p.nextIndex <= r.log().firstIndex()) {",
                    "HiddenRepairTest.catchUpThroughASnapshotIsPrompt", "Liveness"),
            new Mutant("snapshots at commitIndex with the state of lastApplied", Lab.LOG, "Replication.java",
                    "        while (s.lastApplied < s.commitIndex) r.apply(r.log().entry(s.lastApplied + 1));\n        int keep = r.config().snapshotEntries();\n        if (keep > 0 && s.lastApplied - r.log().snapshot().index() > keep)\n            r.log().compact(new Snapshot(s.lastApplied, r.log().term(s.lastApplied), r.snapshotData()));",
                    "        int keep = r.config().snapshotEntries();\n        if (keep > 0 && s.commitIndex - r.log().snapshot().index() > keep)\n            r.log().compact(new Snapshot(s.commitIndex, r.log().term(s.commitIndex), r.snapshotData()));\n        while (s.lastApplied < s.commitIndex) r.apply(r.log().entry(s.lastApplied + 1));",
                    "HiddenLogTest.snapshotChurn", "no entry"),
            // Lab 2: elections
            Mutant.twoEdits("counts a vote reply of another term (step lets stale replies through)", Lab.ELECTION, "Election.java",
                    "                r.send(from, new RequestVoteReply(s.term, false, true));\n            }\n            return false;",
                    "                r.send(from, new RequestVoteReply(s.term, false, true));\n            }\n            return m instanceof RequestVoteReply;",
                    "if (s.role != Role.CANDIDATE || m.term() != s.term || !m.granted()) return;",
                    "if (s.role != Role.CANDIDATE || !m.granted()) return;",
                    "HiddenElectionTest.votesOfAnotherTermDoNotCount", "a vote counts only in the term it was given for"),
            new Mutant("serves a read before the leader committed an entry of its term", Lab.ELECTION, "Election.java",
                    "if (s.role != Role.LEADER || r.log().term(s.commitIndex) != s.term) {", "if (s.role != Role.LEADER) {",
                    "HiddenElectionTest.aNewLeaderReadsOnlyAfterItsOwnCommit", "Linearizable reads"),
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
            new Mutant("counts votes with an integer (a duplicated reply counts twice)", Lab.ELECTION, "Election.java",
                    "private final Set<Integer> votes = new TreeSet<>();", "private final java.util.List<Integer> votes = new java.util.ArrayList<>();",
                    "LeaderChangeTest.figure8", "Election Safety"),
            new Mutant("a leader keeps counting toward an election", Lab.ELECTION, "Election.java",
                    "if (s.role != Role.CANDIDATE || m.term() != s.term || !m.granted()) return;", "if (m.term() != s.term || !m.granted()) return;",
                    "HiddenElectionTest.electionMessageCount", "messages in 2 quiet seconds"),
            new Mutant("forgets heartbeats", Lab.ELECTION, "Election.java",
                    "            r.replication().broadcastAppend(0);\n        }", "        }",
                    "ElectionTest.initialElection", "the leader after 10 quiet seconds"),
            new Mutant("resets the election timer on every higher term", Lab.ELECTION, "Election.java",
                    "if (s.role == Role.LEADER) electionElapsed = 0;", "electionElapsed = 0;",
                    "LeaderChangeTest.staleCandidateNeverWins", "Liveness"),
            new Mutant("a candidate does not persist its own term and vote", Lab.ELECTION, "Election.java",
                    "            s.votedFor = r.id();\n            r.persistHardState();", "            s.votedFor = r.id();",
                    "LeaderChangeTest.termAndVoteSurviveRestart", "Terms never go back"),
            new Mutant("persists the vote but sends before the sync", Lab.ELECTION, "Election.java",
                    "        r.storage().sync();\n        r.send(from, new RequestVoteReply(s.term, grant, false));", "        r.send(from, new RequestVoteReply(s.term, grant, false));",
                    "LeaderChangeTest.voteSurvivesRestart", "Durability"),
            new Mutant("raises the term for a pre-vote", Lab.ELECTION, "Election.java",
                    "                if (v.preVote()) return true;\n", "",
                    "LeadershipTest.preVoteStopsDisruption", "Terms come from elections"),
            new Mutant("counts pre-vote grants toward the real election", Lab.ELECTION, "Election.java",
                    "        votes.clear();\n        votes.add(r.id());", "        if (preVote) votes.clear();\n        votes.add(r.id());",
                    "LeadershipTest.preVoteStopsDisruption", "Election Safety"),
            new Mutant("persists a vote for a pre-vote", Lab.ELECTION, "Election.java",
                    "            boolean grant = m.term() > s.term && upToDate;\n", "            boolean grant = m.term() > s.term && upToDate && (s.votedFor == 0 || s.votedFor == m.candidate());\n            if (grant) { s.votedFor = m.candidate(); r.persistHardState(); }\n",
                    "HiddenElectionTest.preVoteRaisesNoTerm", "Liveness"),
            new Mutant("reuses a read context (a later read replaces a pending one)", Lab.ELECTION, "Election.java",
                    "long context = ++lastReadContext;", "long context = s.commitIndex;",
                    "HiddenElectionTest.preVoteCheckQuorumChurn", "Reads end with leadership"),
            new Mutant("uses 0 as a read context", Lab.ELECTION, "Election.java",
                    "long context = ++lastReadContext;", "long context = lastReadContext++;",
                    "LeadershipTest.readIndex", "an answer to a read on the leader"),
            new Mutant("leaves a read pending forever after stepping down", Lab.ELECTION, "Election.java",
                    "        failReads();\n    }", "    }",
                    "LeadershipTest.readIndex", "Reads end with leadership"),
            // Lab 3: MVCC
            new Mutant("the 128 ops of a txn counted over both branches together", Lab.MVCC, "Txns.java",
                    "t.success().size() > MAX_OPS || t.failure().size() > MAX_OPS", "t.success().size() + t.failure().size() > MAX_OPS",
                    "HiddenTxnTest.oneHundredTwentyEightOpsPerBranch", "100 ops in success and 100 in failure"),
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
            new Mutant("one revision per deleted key instead of one per request", Lab.MVCC, "MvccStore.java",
                    "        Write w = begin();\n        List<KeyValue> deleted = doDelete(w, live(r.key(), r.rangeEnd()));\n        return new KvResponse.DeleteRange(end(w), deleted.size(), r.prevKv() ? deleted : List.of());",
                    "        List<KeyValue> deleted = live(r.key(), r.rangeEnd());\n        long rev = currentRevision;\n        for (KeyValue kv : deleted) { Write w = begin(); doDelete(w, List.of(kv)); rev = end(w); }\n        return new KvResponse.DeleteRange(rev, deleted.size(), r.prevKv() ? deleted : List.of());",
                    "StoreTest.deleteRange", "two keys deleted in one revision"),
            new Mutant("a new revision for a delete that matched nothing", Lab.MVCC, "MvccStore.java",
                    "        if (w.changes == 0) return currentRevision;\n", "",
                    "StoreTest.deleteRange", "a delete that matched nothing makes no revision"),
            new Mutant("a new revision for a request that failed", Lab.MVCC, "MvccStore.java",
                    "        Txns.checkPut(r);\n        checkPutAgainstStore(r);", "        Txns.checkPut(r);\n        currentRevision++;\n        checkPutAgainstStore(r);\n        currentRevision--;",
                    "StoreTest.putOptionsAndErrors", "revision after rejected requests"),
            new Mutant("a read at the tombstone's own revision still finds the key", Lab.MVCC, "KeyIndex.java",
                    "if (tomb != null && tomb.main() <= atRev) return null;", "if (tomb != null && tomb.main() < atRev) return null;",
                    "StoreTest.readAtRevision", "at the revision that deleted it"),
            new Mutant("the header of a historical read carries the read revision", Lab.MVCC, "MvccStore.java",
                    "return rangeAt(r, readRevision(r.revision()), currentRevision);", "return rangeAt(r, readRevision(r.revision()), readRevision(r.revision()));",
                    "StoreTest.readAtRevision", "header revision of a historical read"),
            new Mutant("count honours the limit", Lab.MVCC, "MvccStore.java",
                    "return new KvResponse.Range(headerRevision, kvs, more, all.size());", "return new KvResponse.Range(headerRevision, kvs, more, kvs.size());",
                    "StoreTest.ranges", "count ignores the limit"),
            new Mutant("more when the limit equals the number of kvs", Lab.MVCC, "MvccStore.java",
                    "if (r.limit() > 0 && kvs.size() > r.limit()) {", "if (r.limit() > 0 && kvs.size() >= r.limit()) {",
                    "StoreTest.ranges", "more when the limit is exact"),
            new Mutant("\"\\0\" treated as the literal key \"\\0\"", Lab.MVCC, "MvccStore.java",
                    "        if (end.equals(Bytes.ZERO)) return index.tailMap(key, true).values();\n", "",
                    "StoreTest.ranges", "every key from /dir/b on"),
            new Mutant("DESCEND done by reversing the list (ties flip)", Lab.MVCC, "MvccStore.java",
                    "kvs.sort(order == KvRequest.SortOrder.DESCEND ? by.reversed() : by);", "kvs.sort(by); if (order == KvRequest.SortOrder.DESCEND) java.util.Collections.reverse(kvs);",
                    "HiddenModelTest.modelBasic", "sortOrder=DESCEND"),
            new Mutant("forgets the implied ASCEND for a non-key target", Lab.MVCC, "MvccStore.java",
                    "            order = KvRequest.SortOrder.ASCEND;\n", "",
                    "HiddenConformanceTest.etcdRecordings", "range_sorted_by_create_with_no_order_a_limit_and_a_filter"),
            new Mutant("writes before checking, so a bad put leaves a change behind", Lab.MVCC, "MvccStore.java",
                    "        checkPutAgainstStore(r);\n        Write w = begin();\n        KeyValue prev = doPut(w, r);",
                    "        Write w = begin();\n        KeyValue prev = doPut(w, r);\n        checkPutAgainstStore(r);",
                    "StoreTest.putOptionsAndErrors", "ignore_value on a key that does not exist"),
            new Mutant("prevKv holds the new value", Lab.MVCC, "MvccStore.java",
                    "return r.prevKv() ? prev : null;", "return r.prevKv() ? kv : null;",
                    "StoreTest.putOptionsAndErrors", "prev_kv of a put over an existing key"),
            new Mutant("writes as it checks a txn, so an error halfway leaves the first ops' writes", Lab.MVCC, "MvccStore.java",
                    "        txns.checkPath(t, path);\n        Write w = begin();\n        KvResponse.Txn response = txns.run(w, t, path);",
                    "        Write w = begin();\n        KvResponse.Txn response = txns.run(w, t, path);\n        txns.checkPath(t, path);",
                    "TxnTest.badTxnsChangeNothing", "a put in a txn that failed"),
            new Mutant("one revision per op of a txn", Lab.MVCC, "MvccStore.java",
                    "        final long main;\n        int changes;\n\n        Write(long main) {\n            this.main = main;\n        }\n\n        Revision next() {\n            return new Revision(main, changes++);",
                    "        long main;\n        int changes;\n\n        Write(long main) {\n            this.main = main;\n        }\n\n        Revision next() {\n            if (changes++ > 0) main++;\n            return new Revision(main, 0);",
                    "TxnTest.oneRevisionAndOrder", "one revision for the whole txn"),
            new Mutant("a revision for a read-only txn", Lab.MVCC, "MvccStore.java",
                    "        if (w.changes == 0) return currentRevision;\n", "",
                    "TxnTest.oneRevisionAndOrder", "a read-only txn makes no revision"),
            new Mutant("treats a missing key as value \"\"", Lab.MVCC, "Txns.java",
                    "return c.target() != Compare.Target.VALUE && satisfies(", "return satisfies(",
                    "TxnTest.missingKeys", "value == \"\" on a missing key"),
            new Mutant("flags a key put in both branches of a nested txn", Lab.MVCC, "Txns.java",
                    "if ((puts.contains(k) && !then.puts().contains(k)) || deleted(deletes, k))", "if (puts.contains(k) || deleted(deletes, k))",
                    "HiddenModelTest.modelTxn", "on Txn["),
            new Mutant("\"fixes\" the \"\\0\" quirk of the duplicate-key check", Lab.MVCC, "Txns.java",
                    "            if (end.isEmpty()) return start.equals(k);\n", "            if (end.isEmpty()) return start.equals(k);\n            if (end.equals(Bytes.ZERO)) return k.compareTo(start) >= 0;\n",
                    "HiddenConformanceTest.etcdRecordings", "txn_delete_then_recreate"),
            new Mutant("checks ignore_value against the store before the txn, not the txn's earlier ops", Lab.MVCC, "Txns.java",
                    "boolean isLive = live.containsKey(p.key()) ? live.get(p.key()) : store.latest(p.key()) != null;", "boolean isLive = store.latest(p.key()) != null;",
                    "HiddenModelTest.modelTxn", "on Txn["),
            new Mutant("compaction keeps a deleted generation's tombstone", Lab.MVCC, "KeyIndex.java",
                    "            gi++;\n", "            keep.add(g.revs.get(g.revs.size() - 1));\n            gi++;\n",
                    "CompactionTest.compactionPerGeneration", "stored revisions after compacting at 5"),
            new Mutant("compaction removes revisions from memory but not from the backend", Lab.MVCC, "MvccStore.java",
                    "            backend.remove(old);\n", "",
                    "HiddenModelTest.modelCompaction", "Model divergence"),
            new Mutant("the compaction point is not persisted", Lab.MVCC, "MvccStore.java",
                    "        backend.putMeta(COMPACT_REVISION, rev);\n", "",
                    "CompactionTest.recoveryFromBackend", "compaction revision after a restart"),
            new Mutant("recovers with put, losing versions and create revisions", Lab.MVCC, "MvccStore.java",
                    "ki.restore(new Revision(s.kv().createRevision(), 0), s.revision(), s.kv().version());", "ki.put(s.revision());",
                    "CompactionTest.recoveryFromBackend", "version of x after a put following the restart"),
            new Mutant("forgets commit()", Lab.MVCC, "MvccStore.java",
                    "        currentRevision = w.main;\n        backend.commit();", "        currentRevision = w.main;",
                    "HiddenModelTest.modelOnH2", "Model divergence"),
            new Mutant("changesAt fails at the compaction revision itself", Lab.MVCC, "MvccStore.java",
                    "        if (rev < compactRevision) throw EtcdException.compacted();\n        List<Event> out", "        if (rev <= compactRevision) throw EtcdException.compacted();\n        List<Event> out",
                    "CompactionTest.changesAtRevision", "required revision has been compacted"),
            new Mutant("a prevKv taken from the key as it is now", Lab.MVCC, "MvccStore.java",
                    ".before(new Revision(rev, 0));", ".before(new Revision(Long.MAX_VALUE, 0));",
                    "CompactionTest.changesAtRevision", "Event.prevKv()"),
            new Mutant("the old value put into a DELETE's kv", Lab.MVCC, "MvccStore.java",
                    "new KeyValue(kv.key(), 0, rev.main(), 0, Bytes.EMPTY, 0)", "new KeyValue(kv.key(), kv.createRevision(), rev.main(), kv.version(), kv.value(), kv.lease())",
                    "HiddenWatchConformanceTest.etcdWatchRecordings", "what differs from etcd's recording"),
            new Mutant("a before that returns the change itself", Lab.MVCC, "KeyIndex.java",
                    "if (revs.get(i).compareTo(rev) < 0) return revs.get(i);", "if (revs.get(i).compareTo(rev) <= 0) return revs.get(i);",
                    "CompactionTest.changesAtRevision", "previous version of h at revision 3"),
            new Mutant("a lease grant makes a revision", Lab.MVCC, "Lessor.java",
                    "        backend.putLease(id, ttl);\n        backend.commit();", "        backend.putLease(id, ttl);\n        MvccStore.Write w = store.begin(); w.next(); store.end(w);\n        backend.commit();",
                    "LeaseTest.grant", "grants make no revision"),
            new Mutant("a grant returns the TTL asked for instead of the TTL granted", Lab.MVCC, "Lessor.java",
                    "return new Granted(store.currentRevision(), id, ttl);", "return new Granted(store.currentRevision(), id, ttlSeconds);",
                    "LeaseTest.grant", "TTL asked 1 s"),
            new Mutant("refuses negative lease ids", Lab.MVCC, "Lessor.java",
                    "        if (id == 0) {\n", "        if (id < 0) throw new EtcdException(EtcdException.OUT_OF_RANGE, \"etcdserver: negative lease id\");\n        if (id == 0) {\n",
                    "LeaseTest.grant", "negative lease id"),
            new Mutant("picks lease deadlines with System.currentTimeMillis()", Lab.MVCC, "Lessor.java",
                    "leases.put(id, new Lease(id, ttl, clock.getAsLong() + ttl * 1000));", "leases.put(id, new Lease(id, ttl, System.currentTimeMillis() + ttl * 1000));",
                    "LeaseTest.expiry", "TTL left 1 ms after a 10 s grant"),
            new Mutant("a revision for a revoke with no keys", Lab.MVCC, "Lessor.java",
                    "long rev = store.deleteKeys(new ArrayList<>(l.keys));", "long rev = store.deleteKeys(new ArrayList<>(l.keys));\n        if (l.keys.isEmpty()) { MvccStore.Write w = store.begin(); w.next(); rev = store.end(w); }",
                    "HiddenModelTest.modelLeases", "Model divergence"),
            new Mutant("a deleted key stays on its lease", Lab.MVCC, "MvccStore.java",
                    "            if (kv.lease() != 0) lessor.detach(kv.lease(), kv.key());\n", "",
                    "HiddenModelTest.modelLeases", "Model divergence"),
            new Mutant("a key re-put with another lease stays on its old lease", Lab.MVCC, "MvccStore.java",
                    "        if (prev != null && prev.lease() != 0 && prev.lease() != lease) lessor.detach(prev.lease(), r.key());\n", "",
                    "HiddenModelTest.modelLeases", "Model divergence"),
            new Mutant("keepAlive throws for an unknown lease", Lab.MVCC, "Lessor.java",
                    "        if (l == null) return 0;\n", "        if (l == null) throw EtcdException.leaseNotFound();\n",
                    "HiddenModelTest.modelLeases", "on keepAlive"),
            new Mutant("timeToLive rounds up", Lab.MVCC, "Lessor.java",
                    "(l.deadline - clock.getAsLong()) / 1000", "(l.deadline - clock.getAsLong() + 999) / 1000",
                    "LeaseTest.expiry", "TTL left 1 ms after a 10 s grant"),
            new Mutant("expires leases in map order, not by deadline", Lab.MVCC, "Lessor.java",
                    "        due.sort(Comparator.comparingLong((Lease l) -> l.deadline).thenComparingLong(l -> l.id));\n", "",
                    "HiddenModelTest.modelLeases", "Model divergence"),
            new Mutant("a restart keeps the old deadlines", Lab.MVCC, "Lessor.java",
                    "leases.put(id, new Lease(id, ttl, now + ttl * 1000))", "leases.put(id, new Lease(id, ttl, ttl * 1000))",
                    "HiddenModelTest.modelLeases", "on expire()"),
            new Mutant("a restart forgets which keys belong to which lease", Lab.MVCC, "Lessor.java",
                    "        store.leasedKeys().forEach((key, id) -> attach(id, key));\n", "",
                    "LeaseTest.recovery", "keys attached to the lease after a restart"),
            new Mutant("picks lease ids with Random", Lab.MVCC, "Lessor.java",
                    "            while (leases.containsKey(nextId)) nextId++;\n            id = nextId++;",
                    "            do id = new java.util.Random().nextLong(); while (id == 0 || leases.containsKey(id));",
                    "HiddenLeaseTest.chosenIdsAreDeterministic", "chooses lease ids deterministically"),
            // Lab 4: watch
            new Mutant("progress to watchers that are behind (sent before they catch up)", Lab.WATCH, "WatchableStore.java",
                    "        for (Watcher w : new ArrayList<>(all)) if (!w.synced) catchUp(w);\n        if (++ticks % PROGRESS_TICKS != 0) return;\n        long current = store.currentRevision();\n        for (Watcher w : all) if (w.synced && w.request.progressNotify()) w.sink.offer(WatchResponse.progress(w.id, current));",
                    "        if (++ticks % PROGRESS_TICKS == 0) for (Watcher w : all) if (w.request.progressNotify()) w.sink.offer(WatchResponse.progress(w.id, store.currentRevision()));\n        for (Watcher w : new ArrayList<>(all)) if (!w.synced) catchUp(w);",
                    "HiddenWatchTest.noProgressWhileBehind", "Bookmarkable"),
            new Mutant("keys of a watch's range compared as strings", Lab.WATCH, "WatchableStore.java",
                    "if (!KvRequest.inRange(e.kv().key(), r.key(), r.rangeEnd())) continue;",
                    "if (!(r.rangeEnd().isEmpty() ? e.kv().key().equals(r.key()) : e.kv().key().utf8().compareTo(r.key().utf8()) >= 0"
                            + " && (r.rangeEnd().equals(minietcd.kit.mvcc.Bytes.ZERO) || e.kv().key().utf8().compareTo(r.rangeEnd().utf8()) < 0))) continue;",
                    "HiddenWatchTest.rangesCompareBytes", "keys watched in [\"a\", 0xff)"),
            new Mutant("progress notifications to watchers that did not ask for them", Lab.WATCH, "WatchableStore.java",
                    "if (w.synced && w.request.progressNotify()) w.sink.offer", "if (w.synced) w.sink.offer",
                    "ProgressAndSlowTest.progress", "progress notifications to watcher 1, which did not ask for them"),
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
                    "HiddenWatchTest.historyGuarantees", "Atomic"),
            new Mutant("sends only the latest revision from publish", Lab.WATCH, "WatchableStore.java",
                    "for (long rev = published + 1; rev <= current; rev++) {", "for (long rev = current; rev <= current; rev++) {",
                    "HiddenWatchTest.liveGuarantees", "Reliable"),
            new Mutant("a message per event instead of per revision", Lab.WATCH, "WatchableStore.java",
                    "if (mine.isEmpty() || w.sink.offer(WatchResponse.events(w.id, rev, mine))) w.next = rev + 1;",
                    "boolean sent = true; for (Event e : mine) sent &= w.sink.offer(WatchResponse.events(w.id, rev, List.of(e)));\n                if (sent) w.next = rev + 1;",
                    "LiveWatchTest.oneMessagePerRevision", "messages: created, then one per revision"),
            new Mutant("an empty message for a revision that did not touch the watcher", Lab.WATCH, "WatchableStore.java",
                    "if (mine.isEmpty() || w.sink.offer(WatchResponse.events(w.id, rev, mine))) w.next = rev + 1;",
                    "if (w.sink.offer(WatchResponse.events(w.id, rev, mine))) w.next = rev + 1;",
                    "HiddenWatchConformanceTest.etcdWatchRecordings", "watch_prev_kv_noput_filter"),
            new Mutant("prevKv passed through when it was not asked for", Lab.WATCH, "WatchableStore.java",
                    "out.add(r.prevKv() ? e : new Event(e.type(), e.kv(), null));", "out.add(e);",
                    "LiveWatchTest.filtersAndPrevKv", "prev_kv when not asked for"),
            new Mutant("\"\\0\" treated as a literal key", Lab.WATCH, "WatchableStore.java",
                    "if (!KvRequest.inRange(e.kv().key(), r.key(), r.rangeEnd())) continue;",
                    "if (!(r.rangeEnd().isEmpty() ? e.kv().key().equals(r.key()) : e.kv().key().compareTo(r.key()) >= 0 && e.kv().key().compareTo(r.rangeEnd()) < 0)) continue;",
                    "LiveWatchTest.oneMessagePerRevision", "messages: created, then one per revision"),
            new Mutant("a header revision taken from the watcher's start", Lab.WATCH, "WatchableStore.java",
                    "w.sink.offer(WatchResponse.events(w.id, rev, mine))", "w.sink.offer(WatchResponse.events(w.id, w.request.startRevision(), mine))",
                    "LiveWatchTest.liveEvents", "header revision of a live event message"),
            new Mutant("events before the created message", Lab.WATCH, "WatchableStore.java",
                    "        w.createdPending = !sink.offer(WatchResponse.created(id, current));\n        w.synced = !w.createdPending && start > current;",
                    "        w.synced = start > current;\n        if (!w.synced) { w.createdPending = false; catchUp(w); }\n        w.createdPending = !sink.offer(WatchResponse.created(id, current));\n        w.synced = !w.createdPending && w.synced;",
                    "HistoryTest.replayThenLive", "the first message is created"),
            new Mutant("a canceled watcher left in the list that publish walks", Lab.WATCH, "WatchableStore.java",
                    "        if (w == null) return false;\n        remove(w);", "        if (w == null) return false;",
                    "LiveWatchTest.idsAndCancel", "messages of a canceled watcher"),
            new Mutant("cancels a watcher whose start is exactly the compaction revision", Lab.WATCH, "WatchableStore.java",
                    "if (w.next < store.compactRevision()) {", "if (w.next <= store.compactRevision()) {",
                    "HistoryTest.compacted", "a watcher from the compaction revision"),
            new Mutant("no created before the compacted cancel", Lab.WATCH, "WatchableStore.java",
                    "        Watcher w = new Watcher(id, sink, request, start);", "        if (start < store.compactRevision()) { sink.offer(WatchResponse.compacted(id, store.compactRevision())); return id; }\n        Watcher w = new Watcher(id, sink, request, start);",
                    "HistoryTest.compacted", "a watcher from revision 2 after compacting at 3"),
            new Mutant("a header revision on the compacted cancel", Lab.WATCH, "WatchableStore.java",
                    "if (w.sink.offer(WatchResponse.compacted(w.id, store.compactRevision()))) {", "if (w.sink.offer(new WatchResponse(w.id, store.currentRevision(), false, true, store.compactRevision(), List.of()))) {",
                    "HistoryTest.compacted", "a watcher from revision 2 after compacting at 3"),
            new Mutant("catches up but does not mark the watcher synced", Lab.WATCH, "WatchableStore.java",
                    "            w.synced = true;\n", "",
                    "HistoryTest.replayThenLive", "history, then the live put"),
            new Mutant("next set to the current revision instead of the one after it", Lab.WATCH, "WatchableStore.java",
                    "w.next = Math.max(w.next, current + 1);", "w.next = Math.max(w.next, current);",
                    "HiddenWatchTest.slowGuarantees", "came twice"),
            new Mutant("next set two past the current revision", Lab.WATCH, "WatchableStore.java",
                    "w.next = Math.max(w.next, current + 1);", "w.next = Math.max(w.next, current + 2);",
                    "HistoryTest.replayThenLive", "history, then the live put"),
            new Mutant("treats a future start as the past (changesAt throws)", Lab.WATCH, "WatchableStore.java",
                    "        w.synced = !w.createdPending && start > current;\n        if (!w.synced) catchUp(w);",
                    "        w.synced = false;\n        if (request.startRevision() > 0) store.changesAt(start);\n        catchUp(w);",
                    "HistoryTest.futureStartAndExpiry", "future revision"),
            new Mutant("removes watchers from the list while walking it", Lab.WATCH, "WatchableStore.java",
                    "for (Watcher w : new ArrayList<>(all)) if (!w.synced) catchUp(w);", "for (Watcher w : all) if (!w.synced) catchUp(w);",
                    "HiddenWatchTest.slowGuarantees", "ConcurrentModificationException"),
            new Mutant("sends the compacted cancel and keeps the watcher", Lab.WATCH, "WatchableStore.java",
                    "                streams.get(w.sink).watchers.remove(w.id);\n                remove(w);\n", "",
                    "HistoryTest.compacted", "a watcher from revision 2 after compacting at 3"),
            new Mutant("retries only the refused message while later revisions are sent live", Lab.WATCH, "WatchableStore.java",
                    "else w.synced = false;", "else { undelivered.add(Map.entry(w.sink, WatchResponse.events(w.id, rev, mine))); w.next = rev + 1; }",
                    "HiddenWatchTest.slowGuarantees", "Ordered"),
            new Mutant("keeps a queue per watcher that grows with every write", Lab.WATCH, "WatchableStore.java",
                    "if (mine.isEmpty() || w.sink.offer(WatchResponse.events(w.id, rev, mine))) w.next = rev + 1;\n                else w.synced = false;",
                    "boolean queued = undelivered.stream().anyMatch(x -> x.getKey() == w.sink);\n                if (mine.isEmpty() || (!queued && w.sink.offer(WatchResponse.events(w.id, rev, mine)))) w.next = rev + 1;\n                else { undelivered.add(Map.entry(w.sink, WatchResponse.events(w.id, rev, mine))); w.next = rev + 1; }",
                    "HiddenWatchTest.slowGuarantees", "Bookmarkable"),
            new Mutant("progress on every tick instead of every 100th", Lab.WATCH, "WatchableStore.java",
                    "if (++ticks % PROGRESS_TICKS != 0) return;", "++ticks;",
                    "ProgressAndSlowTest.progress", "progress notifications after 100 ticks"),
            // Lab 5: the control plane
            new Mutant("an update puts without comparing the mod_revision it read (last writer wins)", Lab.CONTROLPLANE, "EtcdObjectStore.java",
                    "List.of(Compare.modRevision(key, Compare.Result.EQUAL, current.modRevision())),\n                List.of(KvRequest.Put.of(key, data))",
                    "List.of(),\n                List.of(KvRequest.Put.of(key, data))",
                    "ObjectStoreTest.concurrentUpdates", "12 increments from 3 API servers"),
            new Mutant("a lost race retried with a fresh get", Lab.CONTROLPLANE, "EtcdObjectStore.java",
                    ": attemptUpdate(key, name, preconditions, tryUpdate, (KvResponse.Range) r.responses().get(0)));",
                    ": update(ObjectJson.namespace(updated), name, preconditions, tryUpdate));",
                    "HiddenObjectStoreTest.aLostRaceRetriesFromTheFailedTxn", "a retry starts from the failed txn's own read"),
            new Mutant("create puts without checking that the name is free", Lab.CONTROLPLANE, "EtcdObjectStore.java",
                    "List.of(Compare.modRevision(key, Compare.Result.EQUAL, 0)),", "List.of(),",
                    "ObjectStoreTest.createAndGet", "expected a Kubernetes Status error"),
            new Mutant("an update that changes nothing is written anyway", Lab.CONTROLPLANE, "EtcdObjectStore.java",
                    "if (data.equals(current.value())) return CompletableFuture.completedFuture(existing);", "",
                    "ObjectStoreTest.conflictsAndNoOps", "an update that changes nothing"),
            new Mutant("a deleted object carries its last change's revision, not the delete's", Lab.CONTROLPLANE, "EtcdObjectStore.java",
                    "? CompletableFuture.completedFuture(ObjectJson.fromStorage(current, r.revision()))",
                    "? CompletableFuture.completedFuture(ObjectJson.fromStorage(current, current.modRevision()))",
                    "ObjectStoreTest.deletes", "the delete's revision"),
            new Mutant("delete ignores its preconditions", Lab.CONTROLPLANE, "EtcdObjectStore.java",
                    "        preconditions.check(resource, ObjectJson.fromStorage(current, current.modRevision()));\n", "",
                    "ObjectStoreTest.deletes", "expected a Kubernetes Status error"),
            new Mutant("every list is a serializable read", Lab.CONTROLPLANE, "EtcdObjectStore.java",
                    "serializable = options.resourceVersion().equals(\"0\");", "serializable = true;",
                    "HiddenObjectStoreTest.emptyResourceVersionIsLinearizable", "from a member cut off from the leader"),
            new Mutant("a page is cut short when its matching objects run out in one read", Lab.CONTROLPLANE, "EtcdObjectStore.java",
                    "if (paging && more && items.size() < options.limit())\n                return page(prefix, last + \"\\0\", at, false, options, compacted, items);\n", "",
                    "HiddenObjectStoreTest.selectedPagesAreFull", "a page with a continue token after it"),
            new Mutant("later pages read the latest revision, not the first page's", Lab.CONTROLPLANE, "EtcdObjectStore.java",
                    "revision = token.resourceVersion();", "revision = 0;",
                    "ObjectStoreTest.pagedList", "every page's resourceVersion"),
            new Mutant("a watch from N starts at N, repeating N's change", Lab.CONTROLPLANE, "StoreWatch.java",
                    "watchFrom(from + 1);", "watchFrom(from);",
                    "ObjectStoreTest.watchFromAVersion", "the events of the namespace after resourceVersion"),
            new Mutant("a watch from \"\" watches from the list's revision, repeating its last change", Lab.CONTROLPLANE, "StoreWatch.java",
                    "if (!over) watchFrom(r.revision() + 1);", "if (!over) watchFrom(r.revision());",
                    "HiddenObjectStoreTest.watchFromNow", "each change once"),
            new Mutant("an object that stops matching the selector is not reported DELETED", Lab.CONTROLPLANE, "StoreWatch.java",
                    "        } else if (beforeMatches) {\n            emit(new WatchEvent(WatchEvent.Type.DELETED, before));\n        }", "        }",
                    "HiddenObjectStoreTest.watchSelectionTransitions", "a watch of app=web"),
            new Mutant("a compacted start ends the watch without an ERROR event", Lab.CONTROLPLANE, "StoreWatch.java",
                    "if (r.compactRevision() > 0) fail(StatusException.expired(StatusException.WATCH_EXPIRED));", "if (r.compactRevision() > 0) end(\"compacted\");",
                    "HiddenObjectStoreTest.compactedWatch", "a watch from compacted resourceVersion"),
            new Mutant("a broken etcd stream leaves the watch silent forever", Lab.CONTROLPLANE, "StoreWatch.java",
                    "                if (!over) end(why);\n", "",
                    "HiddenObjectStoreTest.brokenAndStoppedWatches", "the watch on the crashed member ended"));

    @TestFactory
    Stream<DynamicTest> everyMutantIsCaughtByTheRuleItBreaks() {
        // -Dminietcd.mutants=REGEX tries only the mutants whose bug it finds
        java.util.regex.Pattern only = java.util.regex.Pattern.compile(System.getProperty("minietcd.mutants", ""));
        return MUTANTS.stream().filter(m -> only.matcher(m.bug()).find()).map(m -> DynamicTest.dynamicTest(m.bug() + " -> " + m.expected(), () -> {
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
        String[] originals = m.original().split(AND), mutated = m.mutated().split(AND);
        for (int i = 0; i < originals.length; i++) {
            int at = text.indexOf(originals[i]);
            assertThat(at).as("the mutated line in " + source.getFileName() + " (update the mutant if the solution changed)").isNotNegative();
            assertThat(text.indexOf(originals[i], at + 1)).as("the mutated line occurs once in " + source.getFileName()).isNegative();
            text = text.replace(originals[i], mutated[i]);
        }
        Path dir = Files.createTempDirectory("mutant-");
        Path src = dir.resolve("src").resolve(layout.solutionSources(m.lab()).relativize(source));
        Files.createDirectories(src.getParent());
        Files.writeString(src, text);
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
