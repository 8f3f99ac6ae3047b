package minietcd.controlplane;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import minietcd.kit.controlplane.Timers;
import minietcd.kit.controlplane.WorkQueue;

/**
 * Lab 5 part B: client-go's work queue with its per-item exponential backoff (see {@link WorkQueue}
 * for the contract). Three sets of keys carry it: {@code queue} (waiting, in order), {@code dirty}
 * (waiting, or added again while processing) and {@code processing}.
 */
public final class RateLimitingQueue implements WorkQueue {
    /** client-go's ItemExponentialFailureRateLimiter defaults. */
    static final long BASE_DELAY_MS = 5, MAX_DELAY_MS = 1_000_000;

    private final Timers timers;
    private final ArrayDeque<String> queue = new ArrayDeque<>();
    /** Keys that need processing: every key in {@code queue}, and keys added while processing. */
    private final Set<String> dirty = new HashSet<>();
    private final Set<String> processing = new HashSet<>();
    private final Map<String, Integer> failures = new HashMap<>();
    private final List<Runnable> readyCallbacks = new ArrayList<>();
    private boolean shuttingDown;

    public RateLimitingQueue(Timers timers) {
        this.timers = timers;
    }

    @Override
    public void add(String key) {
        // TODO(lab 5 part B): ignore it when shutting down or already dirty; mark it dirty; queue it (and tell the workers) unless it is processing
        // BEGIN SOLUTION
        if (shuttingDown || dirty.contains(key)) return;
        dirty.add(key);
        if (processing.contains(key)) return;
        queue.addLast(key);
        ready();
        // END SOLUTION
    }

    @Override
    public void addAfter(String key, long delayMillis) {
        // TODO(lab 5 part B): add it now if the delay is not positive, else once the delay has passed (through the timers)
        // BEGIN SOLUTION
        if (shuttingDown) return;
        if (delayMillis <= 0) add(key);
        else timers.after(delayMillis, () -> add(key));
        // END SOLUTION
    }

    @Override
    public void addRateLimited(String key) {
        // TODO(lab 5 part B): wait BASE_DELAY_MS * 2^failures (at most MAX_DELAY_MS), and count one more failure
        // BEGIN SOLUTION
        int n = failures.getOrDefault(key, 0);
        failures.put(key, n + 1);
        long delay = n >= 40 ? MAX_DELAY_MS : Math.min(MAX_DELAY_MS, BASE_DELAY_MS << n);
        addAfter(key, delay);
        // END SOLUTION
    }

    @Override
    public void forget(String key) {
        // TODO(lab 5 part B): forget its failures
        // BEGIN SOLUTION
        failures.remove(key);
        // END SOLUTION
    }

    @Override
    public int numRequeues(String key) {
        // TODO(lab 5 part B): its failures since it was last forgotten
        // BEGIN SOLUTION
        return failures.getOrDefault(key, 0);
        // END SOLUTION
    }

    @Override
    public Optional<String> get() {
        // TODO(lab 5 part B): the oldest queued key, moved from dirty to processing; empty when nothing is queued
        // BEGIN SOLUTION
        String key = queue.pollFirst();
        if (key == null) return Optional.empty();
        dirty.remove(key);
        processing.add(key);
        return Optional.of(key);
        // END SOLUTION
    }

    @Override
    public void done(String key) {
        // TODO(lab 5 part B): no longer processing; if it was added meanwhile (dirty), queue it again
        // BEGIN SOLUTION
        processing.remove(key);
        if (dirty.contains(key)) {
            queue.addLast(key);
            ready();
        }
        // END SOLUTION
    }

    @Override
    public int len() {
        // TODO(lab 5 part B): how many keys are queued
        // BEGIN SOLUTION
        return queue.size();
        // END SOLUTION
    }

    @Override
    public void shutDown() {
        // TODO(lab 5 part B): from now on adds are ignored
        // BEGIN SOLUTION
        shuttingDown = true;
        // END SOLUTION
    }

    @Override
    public boolean shuttingDown() {
        return shuttingDown;
    }

    @Override
    public void onReady(Runnable callback) {
        readyCallbacks.add(callback);
    }

    /** Tells the workers a key is waiting: through the timers, so never inside the call that queued it. */
    private void ready() {
        for (Runnable r : List.copyOf(readyCallbacks)) timers.after(0, r);
    }
}
