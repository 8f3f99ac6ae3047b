package minietcd.kit.controlplane;

import java.util.Optional;

/**
 * Lab 5 part D: leader election with a Lease (client-go's leaderelection over a
 * {@code coordination.k8s.io/v1} Lease), so that of several copies of a component one acts at a time.
 *
 * <p>A try (client-go's tryAcquireOrRenew) reads the Lease (a linearizable get; when there is none,
 * it creates it held by itself: {@code acquireTime} and {@code renewTime} now, {@code leaseTransitions}
 * 0) and, when its {@link LeaseRecord} differs from the last one this elector saw, notes the time on
 * its own clock when the read answered (the observed time). If someone else holds it (a
 * {@code holderIdentity} that is neither "" nor its own: a released Lease is free at once) and the
 * record has been seen unchanged for less than the record's {@code leaseDurationSeconds}, the try
 * fails. Else it writes the Lease back held by itself, through the storage layer's update with the
 * resourceVersion it read as a precondition (of two candidates, one wins): {@code renewTime} now,
 * {@code leaseDurationSeconds} its own; {@code acquireTime} now and {@code leaseTransitions} + 1 when
 * the holder changes, both kept when it held the Lease already. It never compares a time in the
 * record with its own clock: expiry is measured from when it saw the record change.
 *
 * <p>At {@link #start} a candidate tries at once, then {@code retryPeriod} after each try ends (one
 * try at a time). Once a try succeeds it leads ({@code onStartedLeading}) and goes on trying (renewing)
 * {@code retryPeriod} after each try ends. It gives up leading ({@code onStoppedLeading}) as soon as
 * {@code renewDeadline} has passed since the start of its last successful try without another
 * success, whether or not a try is still waiting for an answer, and at once when a try finds the
 * Lease held by someone else; it is then a candidate again. An answer to a try started before it
 * last started or stopped leading changes nothing.
 *
 * <p>client-go's caveat holds here too: there is no fencing in the election itself, and its safety
 * rests on clock rates. A leader whose clock runs slow (or that pauses) may act after another has
 * taken over; {@link #fence} and the lab's fenced client close that window.
 *
 * <p>Must not block: it runs on its component's thread, chains futures and waits only through its
 * {@link Timers}.
 */
public interface LeaderElector {
    /** Starts trying; returns at once. */
    void start();

    /**
     * Stops trying. A leader releases the Lease (holderIdentity "", leaseDurationSeconds 1,
     * acquireTime and renewTime now, leaseTransitions kept: client-go's ReleaseOnCancel) so another
     * can take over at once: one update with the resourceVersion of its last write as precondition,
     * sent and not waited for (if it fails, the others wait the Lease out). It hears
     * {@code onStoppedLeading} inside the call, before the release is answered.
     */
    void stop();

    /** Whether it leads now. */
    boolean isLeader();

    /** While it leads: the Lease's key and its resourceVersion as this leader last wrote it; empty otherwise. */
    Optional<Fence> fence();

    /**
     * How it elects (client-go's LeaderElectionConfig), times in milliseconds on the elector's clock.
     * Kubernetes' defaults ({@link #defaults}): a lease of 15 s, a renew deadline of 10 s, a retry
     * period of 2 s.
     *
     * @param namespace, name the Lease
     * @param identity   this candidate's name, unique among the candidates
     */
    record Config(String namespace, String name, String identity, long leaseDurationMillis, long renewDeadlineMillis, long retryPeriodMillis) {
        public Config {
            if (identity == null || identity.isEmpty()) throw new IllegalArgumentException("a candidate needs an identity");
            if (retryPeriodMillis <= 0) throw new IllegalArgumentException("retryPeriod must be greater than zero");
            if (renewDeadlineMillis <= retryPeriodMillis) throw new IllegalArgumentException("renewDeadline must be greater than retryPeriod");
            if (leaseDurationMillis <= renewDeadlineMillis) throw new IllegalArgumentException("leaseDuration must be greater than renewDeadline");
            if (leaseDurationMillis % 1000 != 0) throw new IllegalArgumentException("leaseDuration is written in whole seconds");
        }

        public static Config defaults(String namespace, String name, String identity) {
            return new Config(namespace, name, identity, 15_000, 10_000, 2_000);
        }

        public int leaseDurationSeconds() {
            return (int) (leaseDurationMillis / 1000);
        }
    }

    /** What a leader does when it starts and stops leading; runs on the component's thread, must not block. */
    interface Callbacks {
        void onStartedLeading();

        void onStoppedLeading();
    }
}
