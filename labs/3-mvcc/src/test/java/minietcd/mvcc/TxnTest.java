package minietcd.mvcc;

import static minietcd.mvcc.StoreTest.b;
import static minietcd.mvcc.StoreTest.get;
import static minietcd.mvcc.StoreTest.open;
import static minietcd.mvcc.StoreTest.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import minietcd.kit.testing.Graded;
import minietcd.kit.mvcc.Bytes;
import minietcd.kit.mvcc.Compare;
import minietcd.kit.mvcc.Compare.Result;
import minietcd.kit.mvcc.KV;
import minietcd.kit.mvcc.KvRequest;
import minietcd.kit.mvcc.KvResponse;

/** Lab 3 part B: txn with compares, one revision for all its writes. */
class TxnTest {
    static KvRequest.Txn txn(List<Compare> cmp, List<KvRequest> success, List<KvRequest> failure) {
        return new KvRequest.Txn(cmp, success, failure);
    }

    @Graded(lab = 3, part = "B", points = 5, value = "compares on VALUE, VERSION, CREATE, MOD and LEASE choose the branch")
    void comparesChooseTheBranch() {
        KV kv = open();
        put(kv, "t", "v1"); // 2
        put(kv, "t", "v2"); // 3
        assertThat(kv.txn(txn(List.of(Compare.value(b("t"), Result.EQUAL, b("v2"))), List.of(), List.of())).succeeded())
                .as("value(t) == v2, its current value").isTrue();
        assertThat(kv.txn(txn(List.of(Compare.value(b("t"), Result.EQUAL, b("v1"))), List.of(), List.of())).succeeded())
                .as("value(t) == v1, an older value").isFalse();
        assertThat(kv.txn(txn(List.of(Compare.version(b("t"), Result.EQUAL, 2)), List.of(), List.of())).succeeded())
                .as("version(t) == 2 after two puts").isTrue();
        assertThat(kv.txn(txn(List.of(Compare.createRevision(b("t"), Result.EQUAL, 2)), List.of(), List.of())).succeeded())
                .as("create_revision(t) == 2").isTrue();
        assertThat(kv.txn(txn(List.of(Compare.modRevision(b("t"), Result.LESS, 3)), List.of(), List.of())).succeeded())
                .as("mod_revision(t) < 3 when it is 3").isFalse();
        assertThat(kv.txn(txn(List.of(Compare.modRevision(b("t"), Result.GREATER, 1)), List.of(), List.of())).succeeded()).as("mod_revision(t) > 1").isTrue();
        assertThat(kv.txn(txn(List.of(Compare.value(b("t"), Result.NOT_EQUAL, b("zz"))), List.of(), List.of())).succeeded()).as("value(t) != zz").isTrue();
        assertThat(kv.txn(txn(List.of(Compare.lease(b("t"), Result.EQUAL, 0)), List.of(), List.of())).succeeded())
                .as("lease(t) == 0 for a key put without a lease").isTrue();
        assertThat(kv.txn(txn(List.of(Compare.value(b("t"), Result.EQUAL, b("v2")), Compare.version(b("t"), Result.EQUAL, 1)), List.of(), List.of())).succeeded())
                .as("compares are ANDed").isFalse();
    }

    @Graded(lab = 3, part = "B", points = 5, value = "a missing key compares as version, create and mod 0; a VALUE compare on it is false")
    void missingKeys() {
        KV kv = open();
        assertThat(kv.txn(txn(List.of(Compare.version(b("absent"), Result.EQUAL, 0)), List.of(KvRequest.Put.of(b("absent"), b("x"))), List.of())).succeeded())
                .as("create-if-absent: version == 0 on a missing key").isTrue();
        assertThat(kv.txn(txn(List.of(Compare.createRevision(b("absent2"), Result.EQUAL, 0)), List.of(), List.of())).succeeded())
                .as("create_revision == 0 on a missing key").isTrue();
        assertThat(kv.txn(txn(List.of(Compare.value(b("absent3"), Result.EQUAL, Bytes.EMPTY)), List.of(), List.of())).succeeded())
                .as("value == \"\" on a missing key").isFalse();
        put(kv, "ta", "1");
        put(kv, "tb", "1");
        assertThat(kv.txn(txn(List.of(Compare.version(b("t"), Result.GREATER, 0).withRangeEnd(b("u"))), List.of(), List.of())).succeeded())
                .as("a compare over a range: every key must satisfy it").isTrue();
    }

    @Graded(lab = 3, part = "B", points = 5, value = "a txn's writes share one revision, later ops see earlier writes, nested txns work")
    void oneRevisionAndOrder() {
        KV kv = open();
        put(kv, "a", "0"); // 2
        KvResponse.Txn t = kv.txn(txn(List.of(), List.of(
                KvRequest.Put.of(b("a"), b("1")),
                KvRequest.Put.of(b("b"), b("2")),
                KvRequest.Range.of(b("a")),
                new KvRequest.Txn(List.of(Compare.value(b("b"), Result.EQUAL, b("2"))), List.of(KvRequest.Range.of(b("b"))), List.of())), List.of()));
        assertThat(t.succeeded()).as("an empty compare list succeeds").isTrue();
        assertThat(t.revision()).as("one revision for the whole txn").isEqualTo(3);
        assertThat(kv.currentRevision()).as("current revision after the txn").isEqualTo(3);
        KvResponse.Range seen = (KvResponse.Range) t.responses().get(2);
        assertThat(seen.kvs().get(0).value().utf8()).as("a range after a put in the same txn").isEqualTo("1");
        assertThat(seen.revision()).as("header revision inside a txn").isEqualTo(3);
        assertThat(get(kv, "a", 0).modRevision()).as("mod revision of a, written by the txn").isEqualTo(3);
        assertThat(get(kv, "b", 0).modRevision()).as("mod revision of b, written by the txn").isEqualTo(3);
        KvResponse.Txn nested = (KvResponse.Txn) t.responses().get(3);
        assertThat(nested.succeeded()).as("a nested compare is decided on the store as it was before the txn").isFalse();
        KvResponse.Txn readOnly = kv.txn(txn(List.of(), List.of(KvRequest.Range.of(b("a"))), List.of()));
        assertThat(readOnly.revision()).as("a read-only txn makes no revision").isEqualTo(3);
    }

    @Graded(lab = 3, part = "B", points = 5, value = "bad txns are refused whole: duplicate keys, more than 128 ops, a range at a future revision")
    void badTxnsChangeNothing() {
        KV kv = open();
        put(kv, "k", "v");
        long before = kv.currentRevision();
        assertThatThrownBy(() -> kv.txn(txn(List.of(), List.of(KvRequest.Put.of(b("k"), b("1")), KvRequest.Put.of(b("k"), b("2"))), List.of())))
                .as("a txn that puts the same key twice")
                .hasMessage("etcdserver: duplicate key given in txn request");
        List<KvRequest> many = new ArrayList<>();
        for (int i = 0; i < 129; i++) many.add(KvRequest.Put.of(b("ops" + i), b("v")));
        assertThatThrownBy(() -> kv.txn(txn(List.of(), many, List.of()))).as("a txn with 129 ops").hasMessage("etcdserver: too many operations in txn request");
        assertThat(kv.txn(txn(List.of(), many.subList(0, 128), List.of())).succeeded()).as("128 ops are allowed").isTrue();
        long after = kv.currentRevision();
        assertThatThrownBy(() -> kv.txn(txn(List.of(), List.of(KvRequest.Put.of(b("x"), b("1")), KvRequest.Range.of(b("k")).atRevision(100_000)), List.of())))
                .as("a txn with a put and a range at a future revision")
                .hasMessage("etcdserver: mvcc: required revision is a future revision");
        assertThat(get(kv, "x", 0)).as("a put in a txn that failed").isNull();
        assertThat(kv.currentRevision()).as("revision after the txn with a future range was refused").isEqualTo(after);
        assertThat(after).as("revision after the refused txns and the 128-op one").isEqualTo(before + 1);
    }
}
