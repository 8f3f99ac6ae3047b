package minietcd.kit.components;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import minietcd.kit.controlplane.Components;
import minietcd.kit.controlplane.Informer;
import minietcd.kit.controlplane.LeaseRecord;
import minietcd.kit.controlplane.ListerWatcher;
import minietcd.kit.controlplane.ObjectJson;
import minietcd.kit.controlplane.ObjectStore;
import minietcd.kit.controlplane.Pods;
import minietcd.kit.controlplane.Preconditions;
import minietcd.kit.controlplane.Resource;
import minietcd.kit.controlplane.ResourceEventHandler;
import minietcd.kit.controlplane.StatusException;

/**
 * A kubelet without containers: it registers its Node (Ready, with the capacity it is given),
 * renews its heartbeat Lease in {@code kube-node-lease} every 10 s, and, through an informer of the
 * pods bound to it, reports each as Running (its containers ready) through the status subresource.
 */
public final class Kubelet {
    static final long HEARTBEAT_MS = 10_000;
    private final String node, cpu, memory;
    private final ComponentThread thread;
    private final ApiObjectStore nodes, leases, podStatus;
    private final Informer pods;

    public Kubelet(ApiTransport api, ComponentThread thread, String node, String cpu, String memory) {
        this.node = node;
        this.cpu = cpu;
        this.memory = memory;
        this.thread = thread;
        this.nodes = new ApiObjectStore(api, Resource.NODES, "status", "");
        this.leases = new ApiObjectStore(api, Resource.LEASES);
        this.podStatus = new ApiObjectStore(api, Resource.PODS, "status", "");
        this.pods = Components.informer(ListerWatcher.of(new ApiObjectStore(api, Resource.PODS, "", "spec.nodeName=" + node), ""), Resource.PODS, thread, 10_000); // a resync tries a failed report again
    }

    public void start() {
        thread.execute(() -> {
            register();
            heartbeat();
            pods.addEventHandler(new ResourceEventHandler() {
                @Override public void onAdd(ObjectNode pod) { run(pod); }
                @Override public void onUpdate(ObjectNode before, ObjectNode after) { run(after); }
                @Override public void onDelete(ObjectNode lastKnown, boolean finalStateUnknown) { }
            });
            pods.start();
        });
    }

    private void register() {
        ObjectNode n = ObjectJson.MAPPER.createObjectNode().put("apiVersion", "v1").put("kind", "Node");
        n.putObject("metadata").put("name", node).putObject("labels").put("kubernetes.io/hostname", node).put("kubernetes.io/os", "linux");
        nodes.create(n).exceptionally(e -> null).thenCompose(created -> nodes.update("", node, Preconditions.NONE, this::ready)).whenComplete((r, e) -> {
            if (e != null) {
                System.err.println(node + ": could not register the Node, trying again in 2 s: " + e.getMessage());
                thread.after(2_000, this::register);
            } else {
                System.out.println(node + ": registered, Ready");
            }
        });
    }

    private ObjectNode ready(ObjectNode n) {
        ObjectNode status = n.putObject("status");
        status.putObject("capacity").put("cpu", cpu).put("memory", memory).put("pods", "110");
        status.putObject("allocatable").put("cpu", cpu).put("memory", memory).put("pods", "110");
        status.putArray("conditions").addObject().put("type", "Ready").put("status", "True").put("reason", "KubeletReady")
                .put("message", "kubelet is posting ready status").put("lastHeartbeatTime", Instant.now().toString());
        status.putObject("nodeInfo").put("kubeletVersion", "v1.32.0-minietcd").put("operatingSystem", "linux").put("architecture", "amd64");
        return n;
    }

    /** Renews (or creates) {@code kube-node-lease/NODE}, then again in 10 s. */
    private void heartbeat() {
        long now = thread.now();
        leases.update("kube-node-lease", node, Preconditions.NONE, l -> {
            LeaseRecord r = LeaseRecord.of(l);
            return new LeaseRecord(node, 40, r.acquireTimeMillis(), now, r.leaseTransitions()).writeTo(l);
        }).exceptionallyCompose(e -> StatusException.fromStore(e, "").code() == 404
                ? leases.create(new LeaseRecord(node, 40, now, now, 0).newLease("kube-node-lease", node))
                : java.util.concurrent.CompletableFuture.failedFuture(e)).whenComplete((r, e) -> {
            if (e != null) System.err.println(node + ": heartbeat failed, trying again in 1 s: " + StatusException.fromStore(e, "").getMessage());
            thread.after(e == null ? HEARTBEAT_MS : 1_000, this::heartbeat);
        });
    }

    /** A pod bound here that does not run yet: it runs now. */
    private void run(ObjectNode pod) {
        if (!Pods.nodeName(pod).equals(node) || Pods.terminated(pod) || "Running".equals(pod.path("status").path("phase").asText())) return;
        String started = Instant.now().toString();
        podStatus.update(ObjectJson.namespace(pod), ObjectJson.name(pod), new Preconditions(ObjectJson.uid(pod), ""), p -> {
            ObjectNode status = p.putObject("status").put("phase", "Running").put("hostIP", "127.0.0.1")
                    .put("podIP", "10.244." + (Math.abs(ObjectJson.uid(p).hashCode()) % 250) + "." + (Math.abs(ObjectJson.name(p).hashCode()) % 250 + 1)).put("startTime", started);
            ArrayNode conditions = status.putArray("conditions");
            for (String type : new String[] {"Initialized", "Ready", "ContainersReady", "PodScheduled"})
                conditions.addObject().put("type", type).put("status", "True").put("lastTransitionTime", started);
            ArrayNode containers = status.putArray("containerStatuses");
            for (var c : p.path("spec").path("containers")) {
                ObjectNode s = containers.addObject().put("name", c.path("name").asText()).put("image", c.path("image").asText())
                        .put("ready", true).put("started", true).put("restartCount", 0);
                s.putObject("state").putObject("running").put("startedAt", started);
            }
            return p;
        }).whenComplete((r, e) -> {
            if (e == null) System.out.println(node + ": running " + Informer.keyOf(pod));
            else if (StatusException.fromStore(e, "").code() != 404) System.err.println(node + ": could not report " + Informer.keyOf(pod) + " Running: " + e.getMessage());
        });
    }

    /** Stops watching (the Node and its Lease stay, as a kubelet that dies leaves them). */
    public void stop() {
        thread.execute(pods::stop);
    }

    ObjectStore nodesForTests() { return nodes; }
}
