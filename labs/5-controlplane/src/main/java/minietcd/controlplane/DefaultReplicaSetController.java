package minietcd.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import minietcd.kit.controlplane.Components;
import minietcd.kit.controlplane.Informer;
import minietcd.kit.controlplane.LabelSelector;
import minietcd.kit.controlplane.ObjectJson;
import minietcd.kit.controlplane.PodControl;
import minietcd.kit.controlplane.Pods;
import minietcd.kit.controlplane.ReplicaSetController;
import minietcd.kit.controlplane.ReplicaSets;
import minietcd.kit.controlplane.Resource;
import minietcd.kit.controlplane.ResourceEventHandler;
import minietcd.kit.controlplane.Timers;
import minietcd.kit.controlplane.WorkQueue;

/**
 * Lab 5 part C: the ReplicaSet controller (see {@link ReplicaSetController} for the contract). One
 * worker syncs one ReplicaSet at a time; the expectations hold the next sync of that ReplicaSet until
 * the informer has seen the creates and deletes of the last one. A sync whose create or delete
 * failed fails, and its key is queued again with the queue's backoff.
 */
public final class DefaultReplicaSetController implements ReplicaSetController {
    /** client-go's slow start: the first batch of creates. */
    static final int FIRST_BATCH = 1;
    /** How long expectations hold at most: a create or delete without an answer may never show up. */
    static final long EXPECTATIONS_TTL_MS = 60_000;

    private final Informer replicaSets, pods;
    private final PodControl control;
    private final Timers timers;
    private final WorkQueue queue;
    /** Per ReplicaSet key: the creates and deletes made whose events the pod informer has not shown yet, and when they were set. */
    private final Map<String, long[]> expectations = new HashMap<>();

    public DefaultReplicaSetController(Informer replicaSets, Informer pods, PodControl control, Timers timers) {
        this.replicaSets = replicaSets;
        this.pods = pods;
        this.control = control;
        this.timers = timers;
        this.queue = Components.workQueue(timers);
    }

    @Override
    public void start() {
        // TODO(lab 5 part C): queue a ReplicaSet's key on every change to it; on a pod's add, update or delete, count it against its owner's expectations and queue its owner (or, for an orphan, every ReplicaSet that selects it); take keys one at a time
        throw new UnsupportedOperationException("TODO(lab 5 part C): queue a ReplicaSet's key on every change to it; on a pod's add, update or delete, count it against its owner's expectations and queue its owner (or, for an orphan, every ReplicaSet that selects it); take keys one at a time");
    }

    @Override
    public void stop() {
        // TODO(lab 5 part C): stop taking keys
        throw new UnsupportedOperationException("TODO(lab 5 part C): stop taking keys");
    }


    /** One sync of the ReplicaSet with this key: claim its pods, create or delete the difference (if its expectations are met), write its status. */
    CompletableFuture<Void> sync(String key) {
        // TODO(lab 5 part C): the ReplicaSet gone: forget its expectations; else claim the pods (adopting matching orphans, releasing owned pods that no longer match), then, if the expectations are met, create the missing pods in batches or delete the extra ones, and write status.replicas and readyReplicas (with availableReplicas)
        throw new UnsupportedOperationException("TODO(lab 5 part C): the ReplicaSet gone: forget its expectations; else claim the pods (adopting matching orphans, releasing owned pods that no longer match), then, if the expectations are met, create the missing pods in batches or delete the extra ones, and write status.replicas and readyReplicas (with availableReplicas)");
    }

}
