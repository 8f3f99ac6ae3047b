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
    // BEGIN SOLUTION
    private boolean running, busy;
    // END SOLUTION

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
        // BEGIN SOLUTION
        running = true;
        queue.onReady(this::next); // first: a start after the informers synced hears of every object inside addEventHandler
        replicaSets.addEventHandler(new ResourceEventHandler() {
            @Override public void onAdd(ObjectNode rs) { queue.add(Informer.keyOf(rs)); }
            @Override public void onUpdate(ObjectNode before, ObjectNode after) { queue.add(Informer.keyOf(after)); }
            @Override public void onDelete(ObjectNode rs, boolean unknown) {
                expectations.remove(Informer.keyOf(rs));
                queue.add(Informer.keyOf(rs));
            }
        });
        pods.addEventHandler(new ResourceEventHandler() {
            @Override public void onAdd(ObjectNode pod) {
                ownerKey(pod).ifPresent(k -> observed(k, 0));
                queueFor(pod);
            }
            @Override public void onUpdate(ObjectNode before, ObjectNode after) {
                if (!ownerKey(before).equals(ownerKey(after))) queueFor(before);
                queueFor(after);
            }
            @Override public void onDelete(ObjectNode pod, boolean unknown) {
                ownerKey(pod).ifPresent(k -> observed(k, 1));
                queueFor(pod);
            }
        });
        // END SOLUTION
    }

    @Override
    public void stop() {
        // TODO(lab 5 part C): stop taking keys
        // BEGIN SOLUTION
        running = false;
        queue.shutDown();
        // END SOLUTION
    }

    // BEGIN SOLUTION
    private Optional<String> ownerKey(ObjectNode pod) {
        return ReplicaSets.controllerOf(pod).filter(ref -> ref.path("kind").asText().equals("ReplicaSet"))
                .map(ref -> ObjectJson.namespace(pod) + "/" + ref.path("name").asText());
    }

    /** Queues the pod's owner, or every ReplicaSet of its namespace that could adopt it. */
    private void queueFor(ObjectNode pod) {
        Optional<String> owner = ownerKey(pod);
        if (owner.isPresent()) {
            queue.add(owner.get());
            return;
        }
        for (ObjectNode rs : replicaSets.list())
            if (ObjectJson.namespace(rs).equals(ObjectJson.namespace(pod)) && ReplicaSets.selector(rs).matches(ObjectJson.labels(pod))) queue.add(Informer.keyOf(rs));
    }

    /** The informer showed one of the ReplicaSet's creates ({@code which} 0) or deletes (1). */
    private void observed(String rsKey, int which) {
        long[] e = expectations.get(rsKey);
        if (e != null && e[which] > 0) e[which]--;
    }

    /** Met when every create and delete was seen, or failed for sure, or the expectations are older than their TTL. */
    private boolean satisfied(String rsKey) {
        long[] e = expectations.get(rsKey);
        return e == null || (e[0] <= 0 && e[1] <= 0) || timers.now() - e[2] >= EXPECTATIONS_TTL_MS;
    }

    /** Whether a failed call failed for sure; a timeout (504) may have done what it was asked. */
    private static boolean surelyFailed(Throwable failure) {
        Throwable t = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return !(t instanceof minietcd.kit.controlplane.StatusException s && s.code() == 504);
    }

    private void next() {
        if (!running || busy) return;
        Optional<String> key = queue.get();
        if (key.isEmpty()) return;
        busy = true;
        sync(key.get()).whenComplete((ok, failure) -> {
            busy = false;
            queue.done(key.get());
            if (failure != null) queue.addRateLimited(key.get());
            else queue.forget(key.get());
            next();
        });
    }
    // END SOLUTION

    /** One sync of the ReplicaSet with this key: claim its pods, create or delete the difference (if its expectations are met), write its status. */
    CompletableFuture<Void> sync(String key) {
        // TODO(lab 5 part C): the ReplicaSet gone: forget its expectations; else claim the pods (adopting matching orphans, releasing owned pods that no longer match), then, if the expectations are met, create the missing pods in batches or delete the extra ones, and write status.replicas and readyReplicas (with availableReplicas)
        // BEGIN SOLUTION
        Optional<ObjectNode> found = replicaSets.get(key);
        if (found.isEmpty()) {
            expectations.remove(key);
            return CompletableFuture.completedFuture(null);
        }
        ObjectNode rs = found.get();
        LabelSelector selector = ReplicaSets.selector(rs);
        List<ObjectNode> claimed = new ArrayList<>();
        List<CompletableFuture<?>> claims = new ArrayList<>();
        for (ObjectNode pod : pods.list()) {
            if (!ObjectJson.namespace(pod).equals(ObjectJson.namespace(rs)) || Pods.terminated(pod)) continue;
            boolean matches = selector.matches(ObjectJson.labels(pod)), mine = ReplicaSets.ownedBy(pod, rs);
            if (mine && matches) claimed.add(pod);
            else if (mine) claims.add(control.update(Resource.PODS, ObjectJson.namespace(pod), ObjectJson.name(pod), p -> ReplicaSets.setController(p, null)));
            else if (matches && ReplicaSets.controllerOf(pod).isEmpty()) {
                claimed.add(pod);
                claims.add(control.update(Resource.PODS, ObjectJson.namespace(pod), ObjectJson.name(pod), p -> {
                    if (ReplicaSets.controllerOf(p).isPresent()) throw new IllegalStateException("adopted by another controller meanwhile");
                    return ReplicaSets.setController(p, rs);
                }));
            }
        }
        CompletableFuture<Void> claimedAll = CompletableFuture.allOf(claims.toArray(CompletableFuture[]::new));
        return claimedAll.thenCompose(x -> {
                    if (satisfied(key)) return manage(key, rs, claimed);
                    queue.addAfter(key, EXPECTATIONS_TTL_MS - (timers.now() - expectations.get(key)[2])); // look again when they expire, if no event comes first
                    return CompletableFuture.completedFuture(null);
                })
                .thenCompose(x -> writeStatus(rs, claimed.size(), (int) claimed.stream().filter(Pods::ready).count()));
        // END SOLUTION
    }

    // BEGIN SOLUTION
    private CompletableFuture<Void> manage(String key, ObjectNode rs, List<ObjectNode> claimed) {
        int diff = claimed.size() - ReplicaSets.replicas(rs);
        if (diff < 0) {
            int missing = -diff;
            expectations.put(key, new long[] {missing, 0, timers.now()});
            return createInBatches(key, rs, missing, FIRST_BATCH);
        }
        if (diff > 0) {
            List<ObjectNode> victims = new ArrayList<>(claimed);
            victims.sort(Comparator.<ObjectNode>comparingInt(p -> Pods.nodeName(p).isEmpty() ? 0 : 1) // unscheduled first,
                    .thenComparingInt(p -> ObjectJson.text(p, "status", "phase").equals("Running") ? 1 : 0) // then not running,
                    .thenComparing(Informer::keyOf)); // then by name
            expectations.put(key, new long[] {0, diff, timers.now()});
            List<CompletableFuture<?>> deletes = new ArrayList<>();
            for (ObjectNode p : victims.subList(0, diff))
                deletes.add(control.deletePod(ObjectJson.namespace(p), ObjectJson.name(p)).whenComplete((pod, e) -> {
                    if (e != null && surelyFailed(e)) observed(key, 1); // not deleted by us (or already gone): no event of ours will come
                }));
            return CompletableFuture.allOf(deletes.toArray(CompletableFuture[]::new)); // a failed delete fails the sync: it is tried again later
        }
        return CompletableFuture.completedFuture(null);
    }

    /** Creates {@code remaining} pods, {@code batch} at once, doubling; a failed create stops the rest, whose expectations are lowered. */
    private CompletableFuture<Void> createInBatches(String key, ObjectNode rs, int remaining, int batch) {
        if (remaining <= 0) return CompletableFuture.completedFuture(null);
        int n = Math.min(batch, remaining);
        List<CompletableFuture<Boolean>> creates = new ArrayList<>();
        for (int i = 0; i < n; i++)
            creates.add(control.createPod(ReplicaSets.newPod(rs)).handle((pod, e) -> {
                if (e != null && surelyFailed(e)) observed(key, 0); // not created: its event will not come (after a timeout it may)
                return e == null;
            }));
        return CompletableFuture.allOf(creates.toArray(CompletableFuture[]::new)).thenCompose(x -> {
            boolean failed = creates.stream().anyMatch(c -> !c.join());
            if (!failed) return createInBatches(key, rs, remaining - n, batch * 2);
            for (int i = 0; i < remaining - n; i++) observed(key, 0); // never tried
            return CompletableFuture.failedFuture(new IllegalStateException("a create failed: the sync is tried again later"));
        });
    }

    private CompletableFuture<Void> writeStatus(ObjectNode rs, int replicas, int ready) {
        JsonNode now = rs.path("status");
        if (now.path("replicas").asInt(-1) == replicas && now.path("readyReplicas").asInt(-1) == ready && now.path("availableReplicas").asInt(-1) == ready)
            return CompletableFuture.completedFuture(null);
        return control.update(Resource.REPLICASETS, ObjectJson.namespace(rs), ObjectJson.name(rs), o -> {
            (o.get("status") instanceof ObjectNode s ? s : o.putObject("status")).put("replicas", replicas).put("readyReplicas", ready).put("availableReplicas", ready);
            return o;
        }).thenApply(x -> null);
    }
    // END SOLUTION
}
