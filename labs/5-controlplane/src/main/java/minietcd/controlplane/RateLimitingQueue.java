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
        throw new UnsupportedOperationException("TODO(lab 5 part B): ignore it when shutting down or already dirty; mark it dirty; queue it (and tell the workers) unless it is processing");
    }

    @Override
    public void addAfter(String key, long delayMillis) {
        // TODO(lab 5 part B): add it now if the delay is not positive, else once the delay has passed (through the timers)
        throw new UnsupportedOperationException("TODO(lab 5 part B): add it now if the delay is not positive, else once the delay has passed (through the timers)");
    }

    @Override
    public void addRateLimited(String key) {
        // TODO(lab 5 part B): wait BASE_DELAY_MS * 2^failures (at most MAX_DELAY_MS), and count one more failure
        throw new UnsupportedOperationException("TODO(lab 5 part B): wait BASE_DELAY_MS * 2^failures (at most MAX_DELAY_MS), and count one more failure");
    }

    @Override
    public void forget(String key) {
        // TODO(lab 5 part B): forget its failures
        throw new UnsupportedOperationException("TODO(lab 5 part B): forget its failures");
    }

    @Override
    public int numRequeues(String key) {
        // TODO(lab 5 part B): its failures since it was last forgotten
        throw new UnsupportedOperationException("TODO(lab 5 part B): its failures since it was last forgotten");
    }

    @Override
    public Optional<String> get() {
        // TODO(lab 5 part B): the oldest queued key, moved from dirty to processing; empty when nothing is queued
        throw new UnsupportedOperationException("TODO(lab 5 part B): the oldest queued key, moved from dirty to processing; empty when nothing is queued");
    }

    @Override
    public void done(String key) {
        // TODO(lab 5 part B): no longer processing; if it was added meanwhile (dirty), queue it again
        throw new UnsupportedOperationException("TODO(lab 5 part B): no longer processing; if it was added meanwhile (dirty), queue it again");
    }

    @Override
    public int len() {
        // TODO(lab 5 part B): how many keys are queued
        throw new UnsupportedOperationException("TODO(lab 5 part B): how many keys are queued");
    }

    @Override
    public void shutDown() {
        // TODO(lab 5 part B): from now on adds are ignored
        throw new UnsupportedOperationException("TODO(lab 5 part B): from now on adds are ignored");
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
