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
        // BEGIN SOLUTION
        if (running) return;
        running = true;
        loop++;
        tryOnce();
        // END SOLUTION
    }

    @Override
    public void stop() {
        // TODO(lab 5 part D): stop trying; a leader releases the Lease (holder "", 1 s, times now, transitions kept) and stops leading
        // BEGIN SOLUTION
        if (!running) return;
        running = false;
        epoch++;
        cancel(nextTry);
        if (leading) {
            long now = timers.now();
            leases.update(config.namespace(), config.name(), new Preconditions("", Long.toString(leaseRevision)), lease -> {
                LeaseRecord r = LeaseRecord.of(lease);
                return new LeaseRecord("", 1, now, now, r.leaseTransitions()).writeTo(lease);
            }); // fire and forget: if it is lost, the others wait out the lease
            stopLeading();
        }
        // END SOLUTION
    }

    @Override
    public boolean isLeader() {
        return leading;
    }

    @Override
    public Optional<Fence> fence() {
        // TODO(lab 5 part D): while leading, the Lease's key and the resourceVersion of this leader's last successful try
        // BEGIN SOLUTION
        return leading ? Optional.of(Fence.of(config.namespace(), config.name(), leaseRevision)) : Optional.empty();
        // END SOLUTION
    }

    /** One try: read the Lease and take or renew it if this elector may (client-go's tryAcquireOrRenew). */
    void tryOnce() {
        // TODO(lab 5 part D): read the Lease (create it when absent); note when its record changed; give up if another holds it and it has not been seen unchanged for its lease duration; else write it back held by this elector, guarded by the resourceVersion read; lead on success, give up leading when another holds it; try again a retry period after the try ends
        // BEGIN SOLUTION
        long started = timers.now(), tryEpoch = epoch, tryLoop = loop;
        leases.get(config.namespace(), config.name(), "")
                .thenCompose(lease -> takeOrRenew(lease, started))
                .exceptionallyCompose(e -> StatusException.fromStore(e, "").code() == 404 ? create(started) : CompletableFuture.failedFuture(e))
                .whenComplete((lease, e) -> {
                    if (tryEpoch == epoch) { // else begun before leading started or stopped (or before stop()): its answer changes nothing
                        if (lease != null) succeeded(lease, started);
                        else if (leading && StatusException.fromStore(e, "").code() == 403) stopLeading(); // held by someone else now
                    }
                    if (running && tryLoop == loop) nextTry = timers.after(config.retryPeriodMillis(), this::tryOnce);
                });
        // END SOLUTION
    }

    // BEGIN SOLUTION
    /** The Lease as this elector wrote it, or a failure: 403 when someone else holds it, anything else when the write did not happen. {@code now}: when the try began. */
    private CompletableFuture<ObjectNode> takeOrRenew(ObjectNode lease, long now) {
        LeaseRecord current = LeaseRecord.of(lease);
        if (!current.equals(observed)) { // seen changed now (not when the try began: the change may have come after)
            observed = current;
            observedTime = timers.now();
        }
        boolean mine = current.holderIdentity().equals(config.identity());
        if (!current.holderIdentity().isEmpty() && !mine && observedTime + current.leaseDurationSeconds() * 1000L > now)
            return CompletableFuture.failedFuture(new StatusException(403, "Forbidden", "the Lease is held by " + current.holderIdentity(), null, null));
        LeaseRecord next = mine
                ? new LeaseRecord(config.identity(), config.leaseDurationSeconds(), current.acquireTimeMillis(), now, current.leaseTransitions())
                : new LeaseRecord(config.identity(), config.leaseDurationSeconds(), now, now, current.leaseTransitions() + 1);
        return leases.update(config.namespace(), config.name(), new Preconditions("", ObjectJson.resourceVersion(lease)), l -> next.writeTo(l));
    }

    private CompletableFuture<ObjectNode> create(long now) {
        return leases.create(new LeaseRecord(config.identity(), config.leaseDurationSeconds(), now, now, 0).newLease(config.namespace(), config.name()));
    }

    /** A try begun at {@code started} wrote the Lease: lead (or go on leading) until {@code started + renewDeadline}. */
    private void succeeded(ObjectNode lease, long started) {
        observed = LeaseRecord.of(lease);
        observedTime = timers.now();
        leaseRevision = Long.parseLong(ObjectJson.resourceVersion(lease));
        cancel(deadline);
        long tryEpoch = epoch + (leading ? 0 : 1);
        deadline = timers.after(started + config.renewDeadlineMillis() - timers.now(), () -> {
            if (tryEpoch == epoch && leading) stopLeading();
        });
        if (!leading) {
            leading = true;
            epoch++;
            callbacks.onStartedLeading();
        }
    }

    private void stopLeading() {
        leading = false;
        epoch++;
        cancel(deadline);
        callbacks.onStoppedLeading();
    }

    private static void cancel(Timers.Cancel c) {
        if (c != null) c.cancel();
    }
    // END SOLUTION
}
