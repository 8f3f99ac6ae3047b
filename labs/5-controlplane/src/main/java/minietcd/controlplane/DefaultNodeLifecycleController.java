package minietcd.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;
import minietcd.kit.controlplane.Informer;
import minietcd.kit.controlplane.LeaseRecord;
import minietcd.kit.controlplane.NodeLifecycleController;
import minietcd.kit.controlplane.ObjectJson;
import minietcd.kit.controlplane.PodControl;
import minietcd.kit.controlplane.Pods;
import minietcd.kit.controlplane.Resource;
import minietcd.kit.controlplane.Timers;

/**
 * Lab 5 part C: the node lifecycle controller (see {@link NodeLifecycleController} for the
 * contract). A monitor pass every 5 s compares, per node, the Lease record it last saw with the one
 * cached now; a change resets that node's clock.
 */
public final class DefaultNodeLifecycleController implements NodeLifecycleController {
    private final Informer nodes, leases, pods;
    private final PodControl control;
    private final Timers timers;
    /** Per node: the Lease record last seen (null while it has none), and when it was first seen so, on this clock. */
    private final Map<String, LeaseRecord> lastRecord = new HashMap<>();
    private final Map<String, Long> seenSince = new HashMap<>();
    private Timers.Cancel next;
    private boolean running;

    public DefaultNodeLifecycleController(Informer nodes, Informer leases, Informer pods, PodControl control, Timers timers) {
        this.nodes = nodes;
        this.leases = leases;
        this.pods = pods;
        this.control = control;
        this.timers = timers;
    }

    @Override
    public void start() {
        // TODO(lab 5 part C): a monitor pass now and every MONITOR_PERIOD_MS
        throw new UnsupportedOperationException("TODO(lab 5 part C): a monitor pass now and every MONITOR_PERIOD_MS");
    }

    @Override
    public void stop() {
        // TODO(lab 5 part C): no more passes
        throw new UnsupportedOperationException("TODO(lab 5 part C): no more passes");
    }

    /** One pass over the nodes: note Lease changes, and take the pods off the nodes whose Lease has been still for the grace period. */
    void monitor() {
        // TODO(lab 5 part C): for each node, the Lease's record (kube-node-lease/NAME) against the last one seen: changed (or the node new): remember it and now; unchanged for GRACE_PERIOD_MS: Ready Unknown (once) and delete its pods that have not terminated; then the next pass
        throw new UnsupportedOperationException("TODO(lab 5 part C): for each node, the Lease's record (kube-node-lease/NAME) against the last one seen: changed (or the node new): remember it and now; unchanged for GRACE_PERIOD_MS: Ready Unknown (once) and delete its pods that have not terminated; then the next pass");
    }

}
