package minietcd.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import minietcd.kit.controlplane.Components;
import minietcd.kit.controlplane.WorkQueue;
import minietcd.kit.harness.ManualTimers;
import minietcd.kit.testing.Graded;

/** Lab 5 part B: the work queue, on a clock the test moves. */
class WorkQueueTest {
    @Graded(lab = 5, part = "B", points = 3, value = "a key waits in the queue once, and keys come out in the order they were added")
    void keysAreQueuedOnceInOrder() {
        WorkQueue q = Components.workQueue(new ManualTimers());
        q.add("default/a");
        q.add("default/b");
        q.add("default/a");
        assertThat(q.len()).as("keys waiting after adding a, b, a").isEqualTo(2);
        assertThat(q.get()).as("the first get").contains("default/a");
        assertThat(q.get()).as("the second get").contains("default/b");
        assertThat(q.get()).as("a get with nothing waiting").isEmpty();
    }

    @Graded(lab = 5, part = "B", points = 4, value = "a key added while it is processing is not handed out again until done, and then once")
    void aKeyAddedWhileProcessingWaitsForDone() {
        WorkQueue q = Components.workQueue(new ManualTimers());
        q.add("a");
        assertThat(q.get()).as("get").contains("a");
        q.add("a");
        q.add("a");
        assertThat(q.len()).as("keys waiting while a is processing and was added twice").isZero();
        assertThat(q.get()).as("a get while a is processing: no second worker may take it").isEmpty();
        q.done("a");
        assertThat(q.len()).as("keys waiting once a is done").isEqualTo(1);
        assertThat(q.get()).as("the get after done").contains("a");
        q.done("a");
        assertThat(q.get()).as("a get after the second done: a was processed once more, not twice more").isEmpty();
    }

    @Graded(lab = 5, part = "B", points = 4, value = "addRateLimited waits 5 ms, then 10, then 20 for the same key; forget starts it again at 5")
    void rateLimitedBackoffDoubles() {
        ManualTimers clock = new ManualTimers();
        WorkQueue q = Components.workQueue(clock);
        List<Long> waited = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            long start = clock.now();
            q.addRateLimited("k");
            while (q.len() == 0 && clock.now() - start < 1_000) clock.advance(1);
            waited.add(clock.now() - start);
            assertThat(q.get()).as("the key after its backoff").contains("k");
            q.done("k");
        }
        assertThat(waited).as("the waits of three rate-limited adds of one key").containsExactly(5L, 10L, 20L);
        assertThat(q.numRequeues("k")).as("numRequeues").isEqualTo(3);
        q.forget("k");
        assertThat(q.numRequeues("k")).as("numRequeues after forget").isZero();
        long start = clock.now();
        q.addRateLimited("k");
        while (q.len() == 0 && clock.now() - start < 1_000) clock.advance(1);
        assertThat(clock.now() - start).as("the wait after forget").isEqualTo(5L);
    }

    @Graded(lab = 5, part = "B", points = 3, value = "addAfter queues a key once its delay has passed; after shutDown adds are ignored and what waits still comes out")
    void delaysAndShutDown() {
        ManualTimers clock = new ManualTimers();
        WorkQueue q = Components.workQueue(clock);
        q.addAfter("now", 0);
        assertThat(q.len()).as("keys waiting right after addAfter with no delay").isEqualTo(1);
        assertThat(q.get()).as("get").contains("now");
        q.addAfter("later", 100);
        clock.advance(99);
        assertThat(q.len()).as("keys waiting 99 ms into a 100 ms delay").isZero();
        clock.advance(1);
        assertThat(q.get()).as("the key at 100 ms").contains("later");
        q.add("a");
        q.add("b");
        assertThat(q.shuttingDown()).as("shuttingDown before shutDown").isFalse();
        q.shutDown();
        q.add("c");
        q.addAfter("d", 10);
        clock.advance(20);
        assertThat(q.shuttingDown()).as("shuttingDown").isTrue();
        List<String> out = new ArrayList<>();
        for (Optional<String> k = q.get(); k.isPresent(); k = q.get()) out.add(k.get());
        assertThat(out).as("keys handed out after shutDown").containsExactly("a", "b");
    }

    @Graded(lab = 5, part = "B", points = 2, value = "onReady callbacks run after a key starts waiting, never inside add")
    void readyCallbacks() {
        ManualTimers clock = new ManualTimers();
        WorkQueue q = Components.workQueue(clock);
        int[] calls = new int[1];
        q.onReady(() -> calls[0]++);
        q.add("a");
        assertThat(calls[0]).as("callbacks run inside add").isZero();
        clock.advance(0);
        assertThat(calls[0]).as("callbacks after the clock moved").isEqualTo(1);
        q.add("a");
        clock.advance(0);
        assertThat(calls[0]).as("callbacks after adding a key that was waiting already").isEqualTo(1);
        assertThat(q.get()).as("get").contains("a");
        q.add("a");
        clock.advance(0);
        assertThat(calls[0]).as("callbacks after adding a key that is processing").isEqualTo(1);
        q.done("a");
        clock.advance(0);
        assertThat(calls[0]).as("callbacks after done of a key added while processing: it waits again").isEqualTo(2);
    }
}
