package minietcd.watch;

import static minietcd.watch.LiveWatchTest.b;
import static minietcd.watch.LiveWatchTest.events;
import static minietcd.watch.LiveWatchTest.put;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import minietcd.kit.backend.MemoryBackend;
import minietcd.kit.testing.Graded;
import minietcd.kit.harness.RecordingSink;
import minietcd.kit.mvcc.KvRequest;
import minietcd.kit.mvcc.Stores;
import minietcd.kit.watch.WatchRequest;
import minietcd.kit.watch.WatchResponse;
import minietcd.kit.watch.Watchable;
import minietcd.kit.watch.Watchers;

/** Lab 4 part B: watchers that start in the past catch up from history; compaction cancels them. */
class HistoryTest {
    @Graded(lab = 4, part = "B", points = 5, value = "a watch from a past revision replays history, then goes on live")
    void replayThenLive() {
        Watchable w = LiveWatchTest.open();
        put(w, "w", "0"); // 2
        put(w, "w", "1"); // 3
        RecordingSink sink = RecordingSink.unbounded();
        w.watch(WatchRequest.of(b("w")).from(2), sink);
        w.tick();
        put(w, "w", "2"); // 4
        assertThat(events(sink.messages())).as("events of a watcher from revision 2: history, then the live put")
                .containsExactly("PUT w@2", "PUT w@3", "PUT w@4");
        assertThat(sink.messages().get(0).created()).as("the first message is created").isTrue();
    }

    @Graded(lab = 4, part = "B", points = 5, value = "a watch from a compacted revision is canceled with the compaction revision; from the compaction revision it works")
    void compacted() {
        Watchable w = LiveWatchTest.open();
        put(w, "c", "1"); // 2
        put(w, "c", "2"); // 3
        put(w, "c", "3"); // 4
        w.compact(3);
        RecordingSink old = RecordingSink.unbounded(), atCompaction = RecordingSink.unbounded();
        w.watch(WatchRequest.of(b("c")).from(2), old);
        w.watch(WatchRequest.of(b("c")).from(3), atCompaction);
        w.tick();
        assertThat(old.messages()).as("a watcher from revision 2 after compacting at 3")
                .containsExactly(WatchResponse.created(0, 4), WatchResponse.compacted(0, 3));
        assertThat(events(atCompaction.messages())).as("a watcher from the compaction revision").containsExactly("PUT c@3", "PUT c@4");
    }

    @Graded(lab = 4, part = "B", points = 5, value = "a watch from a future revision waits for it; lease expiry shows as a DELETE")
    void futureStartAndExpiry() {
        AtomicLong now = new AtomicLong(0);
        Watchable w = Watchers.open(Stores.open(new MemoryBackend(), now::get));
        RecordingSink future = RecordingSink.unbounded(), all = RecordingSink.unbounded();
        w.watch(WatchRequest.of(b("f")).from(4), future);
        w.watch(WatchRequest.of(b("f")).withPrevKv(), all);
        long lease = w.leases().grant(0, 2).id();
        put(w, "f", "1"); // 2
        w.put(KvRequest.Put.of(b("f"), b("2")).withLease(lease)); // 3
        now.addAndGet(3_000);
        w.leases().expire(); // 4: deletes f
        assertThat(events(future.messages())).as("a watcher from revision 4").containsExactly("DELETE f@4");
        assertThat(events(all.messages())).as("events of a watcher from now on, with prev_kv").containsExactly("PUT f@2", "PUT f@3", "DELETE f@4");
        assertThat(all.messages().get(3).events().get(0).prevKv().value().utf8()).as("prev_kv of the expiry delete").isEqualTo("2");
    }
}
