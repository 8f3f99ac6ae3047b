package minietcd.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import minietcd.kit.backend.MemoryBackend;
import minietcd.kit.testing.Graded;
import minietcd.kit.harness.RecordingSink;
import minietcd.kit.mvcc.Bytes;
import minietcd.kit.mvcc.Event;
import minietcd.kit.mvcc.KvRequest;
import minietcd.kit.mvcc.Stores;
import minietcd.kit.watch.WatchRequest;
import minietcd.kit.watch.WatchResponse;
import minietcd.kit.watch.Watchable;
import minietcd.kit.watch.Watchers;

/** Lab 4 part A: live watchers. */
class LiveWatchTest {
    static Bytes b(String s) { return Bytes.of(s); }

    static Watchable open() { return Watchers.open(Stores.open(new MemoryBackend(), () -> 0)); }

    static void put(Watchable w, String k, String v) { w.put(KvRequest.Put.of(b(k), b(v))); }

    static List<String> events(List<WatchResponse> messages) {
        return messages.stream().flatMap(m -> m.events().stream()).map(e -> e.type() + " " + e.kv().key().utf8() + "@" + e.kv().modRevision()).toList();
    }

    @Graded(lab = 4, part = "A", points = 5, value = "a watcher first says created, then gets each write to its key as it happens, one message per revision")
    void liveEvents() {
        Watchable w = open();
        put(w, "other", "x"); // 2
        RecordingSink sink = RecordingSink.unbounded();
        long id = w.watch(WatchRequest.of(b("k")), sink);
        assertThat(id).as("the first watcher's id on a stream").isZero();
        assertThat(sink.messages().get(0)).as("the first message").isEqualTo(WatchResponse.created(0, 2));
        put(w, "k", "1");     // 3
        put(w, "other", "y"); // 4: not for this watcher
        w.deleteRange(KvRequest.DeleteRange.of(b("k"))); // 5
        List<WatchResponse> m = sink.messages();
        assertThat(events(m)).as("events for k: its put and its delete, not the other key's").containsExactly("PUT k@3", "DELETE k@5");
        assertThat(m).as("created, then one message per revision that touched k").hasSize(3);
        assertThat(m.get(1).revision()).as("header revision of a live event message").isEqualTo(3);
        assertThat(m.get(2).events().get(0).kv().value().isEmpty()).as("a DELETE event carries no value").isTrue();
    }

    @Graded(lab = 4, part = "A", points = 5, value = "ranges, NOPUT and NODELETE filters, and prev_kv only when asked for")
    void filtersAndPrevKv() {
        Watchable w = open();
        RecordingSink prefix = RecordingSink.unbounded(), deletes = RecordingSink.unbounded(), puts = RecordingSink.unbounded();
        w.watch(WatchRequest.prefix(b("/a/")), prefix);
        w.watch(WatchRequest.prefix(b("/a/")).filtered(true, false).withPrevKv(), deletes);
        w.watch(WatchRequest.prefix(b("/a/")).filtered(false, true), puts);
        put(w, "/a/1", "x");  // 2
        put(w, "/b/1", "x");  // 3
        put(w, "/a/1", "y");  // 4
        w.deleteRange(KvRequest.DeleteRange.of(b("/a/1"))); // 5
        assertThat(events(prefix.messages())).as("events of a watcher on prefix /a/ (not /b/1)").containsExactly("PUT /a/1@2", "PUT /a/1@4", "DELETE /a/1@5");
        assertThat(events(deletes.messages())).as("NOPUT").containsExactly("DELETE /a/1@5");
        assertThat(events(puts.messages())).as("NODELETE").containsExactly("PUT /a/1@2", "PUT /a/1@4");
        Event del = deletes.messages().get(1).events().get(0);
        assertThat(del.prevKv().value().utf8()).as("prev_kv of the delete").isEqualTo("y");
        assertThat(prefix.messages().get(2).events().get(0).prevKv()).as("prev_kv when not asked for").isNull();
    }

    @Graded(lab = 4, part = "A", points = 5, value = "all events of one revision (a txn, a range delete) come in one message")
    void oneMessagePerRevision() {
        Watchable w = open();
        RecordingSink sink = RecordingSink.unbounded();
        w.watch(WatchRequest.of(b("t")).withRangeEnd(Bytes.ZERO), sink);
        w.txn(new KvRequest.Txn(List.of(), List.of(KvRequest.Put.of(b("t1"), b("1")), KvRequest.Put.of(b("t2"), b("2"))), List.of())); // 2
        w.deleteRange(new KvRequest.DeleteRange(b("t"), b("u"), false)); // 3
        List<WatchResponse> m = sink.messages();
        assertThat(m).as("messages: created, then one per revision").hasSize(3);
        assertThat(events(List.of(m.get(1)))).as("the txn's revision").containsExactly("PUT t1@2", "PUT t2@2");
        assertThat(events(List.of(m.get(2)))).as("the range delete's revision").containsExactly("DELETE t1@3", "DELETE t2@3");
    }

    @Graded(lab = 4, part = "A", points = 5, value = "ids per stream (0, 1, ... or the client's), and cancel stops a watcher with a canceled message")
    void idsAndCancel() {
        Watchable w = open();
        RecordingSink stream = RecordingSink.unbounded(), other = RecordingSink.unbounded();
        assertThat(w.watch(WatchRequest.of(b("k")), stream)).as("the first watcher's id on a stream").isZero();
        assertThat(w.watch(WatchRequest.of(b("k")), stream)).as("the second watcher on a stream").isEqualTo(1);
        assertThat(w.watch(WatchRequest.of(b("k")).withId(7), stream)).as("a client-chosen id").isEqualTo(7);
        assertThat(w.watch(WatchRequest.of(b("k")), other)).as("ids are per stream").isZero();
        assertThat(w.cancel(stream, 0)).as("canceling watcher 0").isTrue();
        assertThat(stream.messages().get(stream.messages().size() - 1)).as("the last message on the stream after canceling watcher 0")
                .isEqualTo(WatchResponse.canceled(0, 1));
        put(w, "k", "v");
        assertThat(stream.of(0)).as("messages of a canceled watcher").hasSize(2);
        assertThat(stream.of(1)).as("messages of watcher 1: created, then the put").hasSize(2);
        assertThat(w.cancel(stream, 0)).as("canceling twice").isFalse();
        assertThat(w.watch(WatchRequest.of(b("k")), stream)).as("a watcher created after a cancel: the next id, never a canceled watcher's").isEqualTo(2);
    }
}
