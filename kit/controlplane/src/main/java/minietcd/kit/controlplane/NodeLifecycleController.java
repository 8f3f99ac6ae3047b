package minietcd.kit.controlplane;

/**
 * Lab 5 part C: the node lifecycle controller (kube-controller-manager's), which notices nodes whose
 * kubelet has stopped. Every kubelet renews its Lease {@code kube-node-lease/NODE} every 10 s. At
 * {@link #start} and then every {@link #MONITOR_PERIOD_MS} on its clock the controller looks at every
 * node its node informer holds: it keeps, on its own clock, when it last saw the node's Lease record change
 * ({@link LeaseRecord}, as an elector does), or when it first saw the node while it has no Lease. A
 * node whose Lease has not changed for {@link #GRACE_PERIOD_MS} is not ready: its Ready condition
 * (added if it has none) becomes {@code {"type": "Ready", "status": "Unknown", "reason":
 * "NodeStatusUnknown", "message": "Kubelet stopped posting node status."}} through
 * {@link PodControl#update}, unless its status is {@code Unknown} already, and every pod bound to it
 * that has not terminated is deleted, at every pass while it has any (a delete that failed is tried
 * again at the next pass), so that its owner makes another, which the scheduler puts on a node that is Ready. It never compares the
 * Lease's renewTime with its own clock, and never marks a node Ready (its kubelet does that).
 * Must not block; runs on its component's thread.
 */
public interface NodeLifecycleController {
    long MONITOR_PERIOD_MS = 5_000, GRACE_PERIOD_MS = 40_000;

    /** Starts monitoring (the informers, which it does not start, may have synced already). */
    void start();

    void stop();
}
