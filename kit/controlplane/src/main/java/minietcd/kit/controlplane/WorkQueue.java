package minietcd.kit.controlplane;

import java.util.Optional;

/**
 * Lab 5 part B: client-go's rate-limiting work queue of keys, the way controllers take work.
 *
 * <ul>
 *   <li>A key is in the queue at most once: adding one that is waiting does nothing.</li>
 *   <li>{@link #get} hands out the oldest waiting key and marks it processing. A key added while it
 *       is processing is not handed out again until {@link #done}, and is then queued once more: a
 *       key is never processed by two workers at once, and never missed.</li>
 *   <li>{@link #addRateLimited} queues a key after its own backoff: 5 ms, doubled on each further
 *       call for it (5, 10, 20, ...), at most 1000 s; {@link #forget} starts it again at 5 ms.</li>
 *   <li>After {@link #shutDown}, adds are ignored; {@link #get} still hands out what was waiting,
 *       then nothing.</li>
 * </ul>
 * Must not block: {@link #get} returns empty when no key is ready, and {@link #onReady} says when one
 * may be. Timed adds go through the queue's {@link Timers}.
 */
public interface WorkQueue {
    void add(String key);

    /** Adds {@code key} once {@code delayMillis} have passed; at once (inside the call) when the delay is 0 or less. */
    void addAfter(String key, long delayMillis);

    /** Adds {@code key} after its backoff, and doubles its backoff for next time. */
    void addRateLimited(String key);

    /** Forgets {@code key}'s failures: its next backoff is the first again. */
    void forget(String key);

    /** How many times {@code key} was added rate-limited since it was last forgotten. */
    int numRequeues(String key);

    /** The next key to process, now processing; empty if none is waiting. */
    Optional<String> get();

    /** The key's processing is over: if it was added meanwhile, it waits again. */
    void done(String key);

    /** How many keys are waiting (not counting those processing). */
    int len();

    void shutDown();

    boolean shuttingDown();

    /**
     * Runs {@code callback} each time a key starts waiting, soon after (through the queue's timers,
     * never inside the call that queued it): a worker's cue to {@link #get}.
     */
    void onReady(Runnable callback);
}
