package minietcd.kit.controlplane;

/**
 * Lab 5 part C: the ReplicaSet controller (kube-controller-manager's), level-triggered. Its
 * handlers turn every change to a ReplicaSet, or to a pod it owns or could adopt, into that
 * ReplicaSet's key in a work queue; a sync of a key reads the caches and makes the world match:
 * it claims the active pods (not terminated) of the namespace that match the selector and that it
 * owns, adopting orphans that match and releasing pods it owns that no longer match; creates the
 * pods missing in batches of 1, 2, 4, ... (a failure stops the batches), or deletes the pods too
 * many (unscheduled first, then those not Running, then by name); and writes {@code status.replicas}
 * (the pods it claimed) and {@code status.readyReplicas} and {@code availableReplicas} (those of them
 * whose Ready condition is True; kubectl's READY column), when they changed. A
 * sync whose create or delete failed is tried again after the queue's backoff.
 * Its expectations keep it from acting on a ReplicaSet again before its informer has seen every
 * create and delete it made for it (a call refused for sure is not waited for; one without an answer
 * is, since it may have been done; expectations older than 60 s no longer hold). Must not block;
 * runs on its component's thread.
 */
public interface ReplicaSetController {
    /**
     * Registers its handlers on the informers (which it does not start) and starts syncing. The
     * informers may have synced already (real components start it once they have, as client-go's WaitForCacheSync has them wait): the handlers then hear of
     * every cached object inside {@code addEventHandler}, and each must be acted on.
     */
    void start();

    void stop();
}
