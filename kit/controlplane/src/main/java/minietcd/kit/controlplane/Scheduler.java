package minietcd.kit.controlplane;

import java.util.List;

/**
 * Lab 5 part C: the scheduler (kube-scheduler's scheduling cycle). It takes pods that have no node
 * from its pod informer's handlers into a work queue, and for each in turn: filters the nodes (Ready,
 * matching the pod's {@code nodeSelector}, and with room for the pod's CPU and memory requests once
 * the requests of the pods bound there and of the pods it has assumed there are counted), scores the
 * rest by least allocated (the node whose CPU and memory would be the least used after the pod wins;
 * a tie goes to the first name), assumes the pod on the winner and binds it through the binding
 * subresource. A binding refused forgets the assumption and tries the pod again later (after the
 * queue's backoff; not after a 404: the pod is gone); a 409 says the pod is bound already, so the
 * assumption stands until the informer shows where. A binding with no answer (a timeout, 504) may
 * have happened, or may still: it is sent again to the same node (after 1 s, 2, 4, ..., at most
 * 30 s) until an answer comes, and its room stays taken meanwhile; a pod no
 * node fits waits until a node is added or changes, or a bound pod is deleted. Must not block; runs
 * on its component's thread.
 */
public interface Scheduler {
    /**
     * Registers its handlers on the informers (which it does not start) and starts scheduling. The
     * informers may have synced already (real components start it once they have, as client-go's WaitForCacheSync has them wait): the handlers then hear of
     * every cached object inside {@code addEventHandler}, and each must be acted on.
     */
    void start();

    void stop();

    /** The last pod it decided on (or found no node for), node by node in name order: the scheduler's "why" table. */
    List<Verdict> lastDecision();

    /**
     * One node's part in a decision. The filters are tried in this order, the first that fails
     * giving the reason: "not Ready", "node selector", "Insufficient cpu", "Insufficient memory".
     *
     * @param pod    the pod's key ({@code namespace/name})
     * @param node   the node's name
     * @param reason "" when it passed the filters, else the first filter it failed
     * @param score  when it passed, its least-allocated score: the free CPU percentage after the
     *               pod and the free memory percentage after it, each an integer rounded down
     *               ({@code (allocatable - used) * 100 / allocatable}), averaged rounding down; else 0
     */
    record Verdict(String pod, String node, String reason, long score) {}
}
