package minietcd.mvcc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import minietcd.kit.backend.MemoryBackend;
import minietcd.kit.testing.Graded;
import minietcd.kit.mvcc.Bytes;
import minietcd.kit.mvcc.EtcdException;
import minietcd.kit.mvcc.KV;
import minietcd.kit.mvcc.KeyValue;
import minietcd.kit.mvcc.KvRequest;
import minietcd.kit.mvcc.KvRequest.SortOrder;
import minietcd.kit.mvcc.KvRequest.SortTarget;
import minietcd.kit.mvcc.KvResponse;
import minietcd.kit.mvcc.Stores;

/** Lab 3 part A: revisions, the key index with generations, put, delete and range at a revision. */
class StoreTest {
    static Bytes b(String s) { return Bytes.of(s); }

    static KV open() { return Stores.open(new MemoryBackend(), () -> 0); }

    static KvResponse.Put put(KV kv, String k, String v) { return kv.put(KvRequest.Put.of(b(k), b(v))); }

    static KeyValue get(KV kv, String k, long rev) {
        List<KeyValue> kvs = kv.range(KvRequest.Range.of(b(k)).atRevision(rev)).kvs();
        return kvs.isEmpty() ? null : kvs.get(0);
    }

    static List<String> keys(KvResponse.Range r) { return r.kvs().stream().map(kv -> kv.key().utf8()).toList(); }

    @Graded(lab = 3, part = "A", points = 3, value = "a fresh store is at revision 1; each put makes exactly one new revision")
    void revisionsCountWrites() {
        KV kv = open();
        assertThat(kv.currentRevision()).as("revision of a fresh store").isEqualTo(1);
        assertThat(put(kv, "foo", "bar").revision()).as("header revision of the first put").isEqualTo(2);
        assertThat(put(kv, "foo", "baz").revision()).as("header revision of the second put").isEqualTo(3);
        assertThat(kv.range(KvRequest.Range.of(b("foo"))).revision()).as("a read's header carries the current revision").isEqualTo(3);
    }

    @Graded(lab = 3, part = "A", points = 4, value = "create_revision, mod_revision and version as etcd keeps them; a delete starts a new generation")
    void keyMetadata() {
        KV kv = open();
        put(kv, "k", "1");
        put(kv, "k", "2");
        KeyValue k = get(kv, "k", 0);
        assertThat(List.of(k.createRevision(), k.modRevision(), k.version())).as("create, mod, version after two puts").containsExactly(2L, 3L, 2L);
        kv.deleteRange(KvRequest.DeleteRange.of(b("k")));
        assertThat(get(kv, "k", 0)).as("a deleted key").isNull();
        put(kv, "k", "3");
        k = get(kv, "k", 0);
        assertThat(List.of(k.createRevision(), k.modRevision(), k.version())).as("create, mod, version after delete and put again").containsExactly(5L, 5L, 1L);
    }

    @Graded(lab = 3, part = "A", points = 5, value = "a read at a revision sees the key as it was then, across generations")
    void readAtRevision() {
        KV kv = open();
        put(kv, "k", "a");          // 2
        put(kv, "k", "b");          // 3
        kv.deleteRange(KvRequest.DeleteRange.of(b("k"))); // 4
        put(kv, "k", "c");          // 5
        assertThat(get(kv, "k", 1)).as("at revision 1, before it existed").isNull();
        assertThat(get(kv, "k", 2).value().utf8()).as("value at revision 2").isEqualTo("a");
        assertThat(get(kv, "k", 3).value().utf8()).as("value at revision 3").isEqualTo("b");
        assertThat(get(kv, "k", 4)).as("at the revision that deleted it").isNull();
        assertThat(get(kv, "k", 5).value().utf8()).as("value at revision 5, in a new generation").isEqualTo("c");
        assertThat(get(kv, "k", 3).version()).as("version at revision 3").isEqualTo(2);
        assertThat(kv.range(KvRequest.Range.of(b("k")).atRevision(2)).revision()).as("header revision of a historical read").isEqualTo(5);
    }

    @Graded(lab = 3, part = "A", points = 5, value = "ranges: prefix, from-key with \"\\0\", limit with count and more, keys_only, count_only, sort")
    void ranges() {
        KV kv = open();
        for (String k : List.of("/dir/a", "/dir/b", "/dir/c", "/dis", "/dir")) put(kv, k, k.toUpperCase());
        assertThat(keys(kv.range(KvRequest.Range.prefix(b("/dir/"))))).as("keys of prefix /dir/ (not /dir or /dis)")
                .containsExactly("/dir/a", "/dir/b", "/dir/c");
        KvResponse.Range limited = kv.range(KvRequest.Range.prefix(b("/dir/")).withLimit(2));
        assertThat(keys(limited)).as("keys of prefix /dir/ with limit 2").containsExactly("/dir/a", "/dir/b");
        assertThat(limited.count()).as("count ignores the limit").isEqualTo(3);
        assertThat(limited.more()).as("more when the limit cut the result").isTrue();
        assertThat(kv.range(KvRequest.Range.prefix(b("/dir/")).withLimit(3)).more()).as("more when the limit is exact").isFalse();
        assertThat(keys(kv.range(KvRequest.Range.of(b("/dir/b")).withRangeEnd(Bytes.ZERO)))).as("range_end \\0: every key from /dir/b on").containsExactly("/dir/b", "/dir/c", "/dis");
        assertThat(keys(kv.range(KvRequest.Range.of(Bytes.ZERO).withRangeEnd(Bytes.ZERO)))).as("key and range_end \\0: everything").hasSize(5);
        assertThat(kv.range(KvRequest.Range.of(b("/dir/c")).withRangeEnd(b("/dir/a"))).kvs()).as("range_end below the key").isEmpty();
        KvResponse.Range countOnly = kv.range(KvRequest.Range.prefix(b("/dir/")).withCountOnly());
        assertThat(countOnly.kvs()).as("kvs of a count_only range").isEmpty();
        assertThat(countOnly.count()).as("count of a count_only range").isEqualTo(3);
        assertThat(kv.range(KvRequest.Range.prefix(b("/dir/")).withKeysOnly()).kvs()).as("values of a keys_only range (all empty)")
                .allMatch(k -> k.value().isEmpty());
        assertThat(keys(kv.range(KvRequest.Range.prefix(b("/dir/")).sorted(SortOrder.DESCEND, SortTarget.KEY)))).as("prefix /dir/ sorted by key, descending")
                .containsExactly("/dir/c", "/dir/b", "/dir/a");
        assertThat(keys(kv.range(KvRequest.Range.prefix(b("/dir/")).sorted(SortOrder.DESCEND, SortTarget.MOD).withLimit(1))))
                .as("prefix /dir/ sorted by mod revision, descending, with limit 1").containsExactly("/dir/c");
    }

    @Graded(lab = 3, part = "A", points = 3, value = "min/max revision filters drop kvs but, as in etcd, do not change count")
    void filtersKeepCount() {
        KV kv = open();
        put(kv, "/d/a", "1"); // 2
        put(kv, "/d/b", "2"); // 3
        put(kv, "/d/c", "3"); // 4
        KvResponse.Range r = kv.range(KvRequest.Range.prefix(b("/d/")).filtered(3, 0, 0, 0));
        assertThat(keys(r)).as("keys with min_mod_revision 3").containsExactly("/d/b", "/d/c");
        assertThat(r.count()).as("count with a min_mod_revision filter").isEqualTo(3);
        assertThat(r.more()).as("more with a filter and no limit").isFalse();
    }

    @Graded(lab = 3, part = "A", points = 4, value = "deleterange: one revision for all keys, prev_kvs on request, no revision when nothing matched")
    void deleteRange() {
        KV kv = open();
        put(kv, "/p/a", "1");
        put(kv, "/p/b", "2");
        KvResponse.DeleteRange d = kv.deleteRange(new KvRequest.DeleteRange(b("/p/"), b("/p0"), true));
        assertThat(d.deleted()).as("keys deleted by the range delete of /p/").isEqualTo(2);
        assertThat(d.revision()).as("two keys deleted in one revision").isEqualTo(4);
        assertThat(d.prevKvs()).as("prev_kvs of the range delete, in key order").extracting(k -> k.value().utf8()).containsExactly("1", "2");
        KvResponse.DeleteRange none = kv.deleteRange(KvRequest.DeleteRange.of(b("/p/a")));
        assertThat(none.deleted()).as("keys deleted by a delete that matched nothing").isZero();
        assertThat(none.revision()).as("a delete that matched nothing makes no revision").isEqualTo(4);
        assertThat(kv.currentRevision()).as("current revision after a delete that matched nothing").isEqualTo(4);
    }

    @Graded(lab = 3, part = "A", points = 4, value = "put: prev_kv, ignore_value, and etcd's errors for bad requests, leaving the store as it was")
    void putOptionsAndErrors() {
        KV kv = open();
        put(kv, "foo", "bar");
        assertThat(kv.put(KvRequest.Put.of(b("foo"), b("baz")).withPrevKv()).prevKv().value().utf8())
                .as("prev_kv of a put over an existing key").isEqualTo("bar");
        assertThat(kv.put(KvRequest.Put.of(b("new"), b("v")).withPrevKv()).prevKv()).as("prev_kv of a new key").isNull();
        KvResponse.Put kept = kv.put(new KvRequest.Put(b("foo"), Bytes.EMPTY, 0, false, true, false));
        assertThat(get(kv, "foo", 0).value().utf8()).as("ignore_value keeps the value").isEqualTo("baz");
        assertThat(get(kv, "foo", 0).modRevision()).as("ignore_value still makes a revision").isEqualTo(kept.revision());
        long before = kv.currentRevision();
        assertThatThrownBy(() -> kv.put(KvRequest.Put.of(Bytes.EMPTY, b("x")))).as("a put with an empty key")
                .isInstanceOf(EtcdException.class).hasMessage("etcdserver: key is not provided");
        assertThatThrownBy(() -> kv.put(new KvRequest.Put(b("nokey"), Bytes.EMPTY, 0, false, true, false))).as("ignore_value on a key that does not exist")
                .hasMessage("etcdserver: key not found");
        assertThatThrownBy(() -> kv.put(new KvRequest.Put(b("foo"), b("x"), 0, false, true, false))).as("ignore_value with a non-empty value")
                .hasMessage("etcdserver: value is provided");
        assertThatThrownBy(() -> kv.range(KvRequest.Range.of(b("foo")).atRevision(1000))).as("a range at a future revision")
                .hasMessage("etcdserver: mvcc: required revision is a future revision");
        assertThatThrownBy(() -> kv.range(KvRequest.Range.of(Bytes.EMPTY))).as("a range with an empty key").hasMessage("etcdserver: key is not provided");
        assertThat(kv.currentRevision()).as("revision after rejected requests").isEqualTo(before);
    }
}
