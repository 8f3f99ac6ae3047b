package minietcd.kit.controlplane;

/**
 * The clock and the timers a control-plane component gets: the simulation's (deterministic: virtual
 * time, actions run on the simulation's thread) or a real one's. A component reads time and waits
 * only through this, never through the wall clock or a sleep.
 */
public interface Timers {
    /** Milliseconds on this clock. */
    long now();

    /**
     * Runs {@code action} once, {@code delayMillis} from now, on the component's thread (never
     * inside the call). The returned handle cancels it if it has not run yet.
     */
    Cancel after(long delayMillis, Runnable action);

    /** A scheduled action. */
    interface Cancel {
        void cancel();
    }
}
