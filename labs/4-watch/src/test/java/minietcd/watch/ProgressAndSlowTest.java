package minietcd.watch;

import static minietcd.watch.LiveWatchTest.b;
import static minietcd.watch.LiveWatchTest.events;
import static minietcd.watch.LiveWatchTest.put;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import minietcd.kit.testing.Graded;
import minietcd.kit.harness.RecordingSink;
import minietcd.kit.watch.WatchRequest;
import minietcd.kit.watch.WatchResponse;
import minietcd.kit.watch.Watchable;

/** Lab 4 part C: progress, and consumers too slow to keep up. */
class ProgressAndSlowTest {
    @Graded(lab = 4, part = "C", points = 5, value = "a progress request answers with watch id -1 and the current revision; progress_notify every 100 ticks")
    void progress() {
        Watchable w = LiveWatchTest.open();
        RecordingSink sink = RecordingSink.unbounded();
        w.watch(WatchRequest.of(b("p")).withProgressNotify(), sink);
        w.watch(WatchRequest.of(b("q")), sink); // watcher 1 does not ask for progress
        put(w, "x", "1"); // 2
        w.requestProgress(sink);
        assertThat(sink.messages().get(sink.messages().size() - 1)).as("the answer to a progress request on the stream")
                .isEqualTo(WatchResponse.progress(-1, 2));
        for (int i = 0; i < Watchable.PROGRESS_TICKS; i++) w.tick();
        assertThat(sink.of(0).stream().filter(WatchResponse::isProgress).toList()).as("progress notifications after 100 ticks")
                .containsExactly(WatchResponse.progress(0, 2));
        assertThat(sink.of(1).stream().filter(WatchResponse::isProgress).toList()).as("progress notifications to watcher 1, which did not ask for them")
                .isEmpty();
    }

    @Graded(lab = 4, part = "C", points = 10, value = "a slow consumer loses nothing: events come later, in order, each once, whole revisions")
    void slowConsumer() {
        Watchable w = LiveWatchTest.open();
        RecordingSink slow = new RecordingSink(2);
        w.watch(WatchRequest.of(b("s")).withRangeEnd(b("t")), slow);
        List<String> written = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            put(w, "s" + (i % 3), "v" + i);
            written.add("PUT s" + (i % 3) + "@" + (i + 1));
            if (i % 4 == 0) { // the consumer reads a little, now and then
                slow.read(1);
                w.tick();
            }
        }
        assertThat(slow.refused()).as("offers refused by the full sink").isPositive();
        for (int i = 0; i < 30; i++) {
            slow.readAll();
            w.tick();
        }
        assertThat(events(slow.messages())).as("every event, once, in order").containsExactlyElementsOf(written);
        put(w, "s9", "live");
        assertThat(events(slow.messages())).as("after catching up, live again").endsWith("PUT s9@22");
    }

    @Graded(lab = 4, part = "C", points = 3, value = "a cancel on a full stream is not lost: it arrives once the client reads")
    void cancelOnFullStream() {
        Watchable w = LiveWatchTest.open();
        RecordingSink full = new RecordingSink(1);
        long id = w.watch(WatchRequest.of(b("z")), full); // created fills it
        w.cancel(full, id);
        assertThat(full.of(id)).as("messages while the stream is full").containsExactly(WatchResponse.created(id, 1));
        full.readAll();
        w.tick();
        assertThat(full.of(id)).as("messages after the client read and time passed").containsExactly(WatchResponse.created(id, 1), WatchResponse.canceled(id, 1));
    }
}
