package minietcd.controlplane;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import minietcd.kit.controlplane.Fence;
import minietcd.kit.controlplane.LeaderElector;
import minietcd.kit.controlplane.LeaseRecord;
import minietcd.kit.controlplane.ObjectJson;
import minietcd.kit.controlplane.ObjectStore;
import minietcd.kit.controlplane.Preconditions;
import minietcd.kit.controlplane.StatusException;
import minietcd.kit.controlplane.Timers;

/**
 * Lab 5 part D: leader election with a Lease (see {@link LeaderElector} for the contract). One try
 * at a time; {@link #epoch} counts the starts and stops of leading (and {@link #stop}), so that the
 * answer to a try begun in an earlier epoch changes nothing.
 */
public final class LeaseLeaderElector implements LeaderElector {
    private final ObjectStore leases;
    private final Config config;
    private final Timers timers;
    private final Callbacks callbacks;
    /** The last record this elector read or wrote, and when (on its own clock) it first saw it. */
    private LeaseRecord observed;
    private long observedTime;
    private boolean leading, running;
    private long epoch;
    /** Counts the starts, so that a try of an earlier start (stopped since) does not go on trying. */
    private long loop;
    /** The Lease's resourceVersion after this leader's last successful try. */
    private long leaseRevision;
    private Timers.Cancel nextTry, deadline;

    public LeaseLeaderElector(ObjectStore leases, Config config, Timers timers, Callbacks callbacks) {
        this.leases = leases;
        this.config = config;
        this.timers = timers;
        this.callbacks = callbacks;
    }

    @Override
    public void start() {
        // TODO(lab 5 part D): start trying at once
        throw new UnsupportedOperationException("TODO(lab 5 part D): start trying at once");
    }

    @Override
    public void stop() {
        // TODO(lab 5 part D): stop trying; a leader releases the Lease (holder "", 1 s, times now, transitions kept) and stops leading
        throw new UnsupportedOperationException("TODO(lab 5 part D): stop trying; a leader releases the Lease (holder \"\", 1 s, times now, transitions kept) and stops leading");
    }

    @Override
    public boolean isLeader() {
        return leading;
    }

    @Override
    public Optional<Fence> fence() {
        // TODO(lab 5 part D): while leading, the Lease's key and the resourceVersion of this leader's last successful try
        throw new UnsupportedOperationException("TODO(lab 5 part D): while leading, the Lease's key and the resourceVersion of this leader's last successful try");
    }

    /** One try: read the Lease and take or renew it if this elector may (client-go's tryAcquireOrRenew). */
    void tryOnce() {
        // TODO(lab 5 part D): read the Lease (create it when absent); note when its record changed; give up if another holds it and it has not been seen unchanged for its lease duration; else write it back held by this elector, guarded by the resourceVersion read; lead on success, give up leading when another holds it; try again a retry period after the try ends
        throw new UnsupportedOperationException("TODO(lab 5 part D): read the Lease (create it when absent); note when its record changed; give up if another holds it and it has not been seen unchanged for its lease duration; else write it back held by this elector, guarded by the resourceVersion read; lead on success, give up leading when another holds it; try again a retry period after the try ends");
    }

}
