package minietcd.mvcc;

import static minietcd.mvcc.StoreTest.b;
import static minietcd.mvcc.StoreTest.get;
import static minietcd.mvcc.StoreTest.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import minietcd.kit.backend.MemoryBackend;
import minietcd.kit.mvcc.Bytes;
import minietcd.kit.mvcc.Compare;
import minietcd.kit.mvcc.Event;
import minietcd.kit.testing.Graded;
import minietcd.kit.mvcc.KV;
import minietcd.kit.mvcc.KvRequest;
import minietcd.kit.mvcc.Stores;

/** Lab 3 part C: compaction, and recovery from the backend. */
class CompactionTest {
    @Graded(lab = 3, part = "C", points = 5, value = "compaction: reads below it fail, at it work; compacting again or into the future fails")
    void compactionRules() {
        KV kv = StoreTest.open();
        put(kv, "c", "1"); // 2
        put(kv, "c", "2"); // 3
        put(kv, "c", "3"); // 4
        assertThat(kv.compact(3)).as("compaction answers with the current revision").isEqualTo(4);
        assertThat(kv.compactRevision()).as("the compaction revision after compacting at 3").isEqualTo(3);
        assertThat(kv.currentRevision()).as("compaction makes no revision").isEqualTo(4);
        assertThatThrownBy(() -> kv.range(KvRequest.Range.of(b("c")).atRevision(2))).as("a range at revision 2, below the compaction point")
                .hasMessage("etcdserver: mvcc: required revision has been compacted");
        assertThat(get(kv, "c", 3).value().utf8()).as("a read at the compaction revision").isEqualTo("2");
        assertThatThrownBy(() -> kv.compact(3)).as("compacting again at the compaction revision")
                .hasMessage("etcdserver: mvcc: required revision has been compacted");
        assertThatThrownBy(() -> kv.compact(2)).as("compacting below the compaction revision")
                .hasMessage("etcdserver: mvcc: required revision has been compacted");
        assertThatThrownBy(() -> kv.compact(100)).as("compacting above the current revision")
                .hasMessage("etcdserver: mvcc: required revision is a future revision");
    }

    @Graded(lab = 3, part = "C", points = 2, value = "a store never compacted may be compacted at revision 0, once, as etcd counts it")
    void aFreshStoreMayBeCompactedAtZeroOnce() {
        KV kv = StoreTest.open();
        put(kv, "z", "1"); // 2
        assertThat(kv.compact(0)).as("a fresh store compacted at 0: compaction at 0 answers the current revision").isEqualTo(2);
        assertThat(kv.compactRevision()).as("a fresh store compacted at 0: the compaction revision").isEqualTo(0);
        assertThatThrownBy(() -> kv.compact(0)).as("a fresh store compacted at 0: a second compaction at 0")
                .hasMessage("etcdserver: mvcc: required revision has been compacted");
        assertThatThrownBy(() -> kv.compact(-1)).as("a fresh store compacted at 0: a negative revision")
                .hasMessage("etcdserver: mvcc: required revision has been compacted");
        assertThat(get(kv, "z", 0).value().utf8()).as("a fresh store compacted at 0: reads go on").isEqualTo("1");
    }

    @Graded(lab = 3, part = "C", points = 5, value = "compaction keeps what reads at or after it need, across deletes, and drops the rest")
    void compactionPerGeneration() {
        MemoryBackend backend = new MemoryBackend();
        KV kv = Stores.open(backend, () -> 0);
        put(kv, "a", "1");                                  // 2
        kv.deleteRange(KvRequest.DeleteRange.of(b("a")));   // 3
        put(kv, "b", "1");                                  // 4
        put(kv, "b", "2");                                  // 5
        put(kv, "a", "again");                              // 6
        kv.compact(5);
        assertThat(backend.history()).extracting(s -> s.kv().key().utf8() + "@" + s.revision().main())
                .as("stored revisions after compacting at 5: b@5 (what a read at 5 needs) and a@6").containsExactly("b@5", "a@6");
        assertThat(get(kv, "a", 5)).as("a at 5 (deleted at 3)").isNull();
        assertThat(get(kv, "b", 5).value().utf8()).as("b at 5, the compaction revision").isEqualTo("2");
        assertThat(get(kv, "a", 6).value().utf8()).as("a at 6, its new generation after the delete").isEqualTo("again");
    }

    @Graded(lab = 3, part = "C", points = 5, value = "a store reopened on its backend has the same keys, history, versions and revisions")
    void recoveryFromBackend() {
        MemoryBackend backend = new MemoryBackend();
        KV kv = Stores.open(backend, () -> 0);
        put(kv, "x", "1");                                  // 2
        put(kv, "x", "2");                                  // 3
        put(kv, "y", "1");                                  // 4
        kv.deleteRange(KvRequest.DeleteRange.of(b("y")));   // 5
        put(kv, "x", "3");                                  // 6
        kv.compact(4);
        KV again = Stores.open(backend, () -> 0);
        assertThat(again.currentRevision()).as("current revision after a restart").isEqualTo(6);
        assertThat(again.compactRevision()).as("compaction revision after a restart").isEqualTo(4);
        assertThat(get(again, "x", 0).version()).as("version of x after a restart").isEqualTo(3);
        assertThat(get(again, "x", 0).createRevision()).as("create revision of x after a restart").isEqualTo(2);
        assertThat(get(again, "x", 4).value().utf8()).as("x at revision 4, the compaction point, after a restart").isEqualTo("2");
        assertThat(get(again, "y", 4).value().utf8()).as("y at revision 4, the compaction point, after a restart").isEqualTo("1");
        assertThat(get(again, "y", 5)).as("y at revision 5, where it was deleted, after a restart").isNull();
        assertThat(put(again, "x", "4").revision()).as("revision of the first put after a restart").isEqualTo(7);
        assertThat(get(again, "x", 0).version()).as("version of x after a put following the restart").isEqualTo(4);
    }

    @Graded(lab = 3, part = "C", points = 5, value = "history: each revision's changes in order, with the key's previous version (what watchers replay)")
    void changesAtRevision() {
        KV kv = StoreTest.open();
        put(kv, "h", "1");                                                   // 2
        kv.txn(new KvRequest.Txn(List.of(), List.of(KvRequest.Put.of(b("h"), b("2")), KvRequest.Put.of(b("i"), b("x"))), List.of())); // 3
        kv.deleteRange(KvRequest.DeleteRange.of(b("h")));                    // 4
        List<Event> three = kv.changesAt(3);
        assertThat(three).extracting(e -> e.type() + " " + e.kv().key().utf8() + "=" + e.kv().value().utf8())
                .as("the changes of revision 3, in the order the txn made them").containsExactly("PUT h=2", "PUT i=x");
        assertThat(three.get(0).prevKv().value().utf8()).as("previous version of h at revision 3").isEqualTo("1");
        assertThat(three.get(1).prevKv()).as("previous version of a new key").isNull();
        Event delete = kv.changesAt(4).get(0);
        assertThat(delete.type()).as("type of the change at revision 4 (h deleted)").isEqualTo(Event.Type.DELETE);
        assertThat(delete.kv().modRevision()).as("a DELETE event's kv carries the deleting revision").isEqualTo(4);
        assertThat(delete.prevKv().value().utf8()).as("previous version of h at its delete").isEqualTo("2");
        put(kv, "j", "1");                                                   // 5
        kv.txn(new KvRequest.Txn(List.of(), List.of(new KvRequest.DeleteRange(b("i"), Bytes.ZERO, false), KvRequest.Put.of(b("j"), b("2"))), List.of())); // 6
        List<Event> six = kv.changesAt(6);
        assertThat(six).extracting(e -> e.type() + " " + e.kv().key().utf8()).as("the changes of revision 6: i and j deleted, then j created anew")
                .containsExactly("DELETE i", "DELETE j", "PUT j");
        assertThat(six.get(1).prevKv().value().utf8()).as("previous version of j at its delete").isEqualTo("1");
        assertThat(six.get(2).prevKv()).as("a create (version 1) has no previous version, even if the key lived at the revision before, as etcd's watch gives none").isNull();
        assertThatThrownBy(() -> kv.changesAt(7)).as("changes at revision 7, above the current revision")
                .hasMessage("etcdserver: mvcc: required revision is a future revision");
        kv.compact(3);
        assertThatThrownBy(() -> kv.changesAt(2)).as("changes at revision 2, below the compaction point")
                .hasMessage("etcdserver: mvcc: required revision has been compacted");
        assertThat(kv.changesAt(3)).as("changes at the compaction revision are all kept").hasSize(2);
    }
}
