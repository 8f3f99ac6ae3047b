package minietcd.tutorial;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import minietcd.kit.controlplane.Preconditions;
import minietcd.kit.controlplane.StatusException;
import minietcd.kit.harness.ControlPlaneRig;
import minietcd.kit.harness.KubeObjects;
import minietcd.kit.replica.StoreNode;
import minietcd.kit.sim.Faults;
import minietcd.kit.sim.Trace;

/**
 * The live demo of chapters 0 and 5: lab 5's whole control plane in the kit's simulator (the rig of
 * its hidden test, without faults unless asked for): the store's three members, the API server, two
 * schedulers and two controller managers (leader-elected), three kubelets. The learner creates and
 * scales a ReplicaSet, creates a pod, and kills a kubelet, a leading component or the store's leader;
 * the view shows who leads, each node's pods, and the keys under {@code /registry/} with their revisions.
 */
final class ControlPlaneDemo extends Demo {
    static final String[] NODES = {"node-1", "node-2", "node-3"};
    /** How many of the latest-written keys the view lists. */
    static final int KEYS = 14;

    private final ControlPlaneRig rig;
    private String last = "";

    ControlPlaneDemo(long seed, LabCode code) {
        super(seed, code, "labs 1 to 5");
        if (code.name().equals(LabCode.YOURS)) new StoreDemo(seed, code); // labs 1 to 4 first: a TODO there is the one to do first
        this.rig = run(() -> {
            ControlPlaneRig r = new ControlPlaneRig(seed, Faults.RELIABLE, Trace.off(), new double[] {1, 1, 1, 1});
            for (String n : NODES) r.kubelet(n, "2");
            r.storage().sim().runUntil(() -> r.schedulers.stream().anyMatch(ControlPlaneRig.Process::leads)
                    && r.managers.stream().anyMatch(ControlPlaneRig.Process::leads) && r.snapshot().nodesReady().size() == NODES.length, 60_000);
            return r;
        });
    }

    @Override String kind() { return "controlplane"; }
    @Override protected long now() { return rig.storage().sim().now(); }

    /**
     * {@code step}: run {@code arg} ms; {@code replicaset}: create the ReplicaSet {@code web} with
     * {@code arg} replicas (0 to 9) or scale it to that; {@code pod}: create a pod named {@code key};
     * {@code kill-kubelet}: node-{@code arg}'s kubelet; {@code kill-scheduler}, {@code kill-manager}: the
     * leading one; {@code kill-store-leader}: the store's leader (it restarts 5 s later).
     */
    @Override
    protected void act(Action a) {
        switch (a.kind()) {
            case "step" -> rig.storage().sim().runFor(a.arg());
            case "replicaset" -> {
                if (a.arg() < 0 || a.arg() > 9) throw new IllegalArgumentException("the demo's ReplicaSet takes 0 to 9 replicas, not " + a.arg());
                int replicas = (int) a.arg();
                if (rig.replicas("default", "web") < 0) {
                    call(() -> rig.replicaSets.create(ControlPlaneRig.replicaSet("web", replicas, "500m")));
                    last = "ReplicaSet web created with " + replicas + " replicas of 500m CPU each (a node has 2 CPUs)";
                } else {
                    call(() -> rig.replicaSets.update("default", "web", Preconditions.NONE, rs -> {
                        ((ObjectNode) rs.get("spec")).put("replicas", replicas);
                        return rs;
                    }));
                    last = "ReplicaSet web scaled to " + replicas;
                }
            }
            case "pod" -> {
                String name = a.key();
                if (!name.matches("[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?")) throw new IllegalArgumentException("a pod's name is 1 to 32 of a-z, 0-9 and -, starting and ending with a letter or digit: " + name);
                ObjectNode pod = KubeObjects.pod("default", name);
                ((ObjectNode) pod.path("spec").path("containers").get(0)).putObject("resources").putObject("requests").put("cpu", "500m").put("memory", "64Mi");
                try {
                    call(() -> rig.pods.create(pod));
                    last = "pod " + name + " created: the API server stored it at /registry/pods/default/" + name;
                } catch (StatusException e) {
                    last = "pod " + name + ": " + e.getMessage();
                }
            }
            case "kill-kubelet" -> {
                if (a.arg() < 1 || a.arg() > NODES.length) throw new IllegalArgumentException("no node-" + a.arg() + " (1 to " + NODES.length + ")");
                String node = NODES[(int) a.arg() - 1];
                if (!rig.snapshot().kubelets().getOrDefault(node, false)) throw new IllegalArgumentException(node + "'s kubelet is dead already");
                rig.killKubelet(node);
                last = node + "'s kubelet killed: its Lease stops being renewed, and after 40 s the node lifecycle controller marks the node NotReady";
            }
            case "kill-scheduler" -> last = kill(rig.schedulers, "scheduler");
            case "kill-manager" -> last = kill(rig.managers, "controller manager");
            case "kill-store-leader" -> {
                int member = rig.storage().cluster().leader();
                if (member <= 0) throw new IllegalArgumentException("the store has no leader just now: step on");
                rig.storage().sim().crash(member);
                rig.storage().sim().schedule(5_000, "restart store member " + member, () -> rig.storage().sim().restart(member));
                last = "the store's leader, member " + member + ", killed (it restarts in 5 s); the others elect a new leader";
            }
            default -> throw new IllegalArgumentException("no action " + a.kind() + " (step, replicaset, pod, kill-kubelet, kill-scheduler, kill-manager, kill-store-leader)");
        }
    }

    private String kill(List<ControlPlaneRig.Process> processes, String what) {
        ControlPlaneRig.Process leader = processes.stream().filter(ControlPlaneRig.Process::leads).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no " + what + " leads just now: step on"));
        leader.kill();
        return leader.identity + " (the leader) killed: its standby takes the Lease once it expires (15 s)";
    }

    /** Runs the simulation until the call is answered, making it again while it times out. */
    private <T> void call(java.util.function.Supplier<java.util.concurrent.CompletableFuture<T>> call) {
        rig.storage().awaitPersistently(call);
    }

    @Override
    ObjectNode state(ObjectMapper json) {
        ObjectNode s = json.createObjectNode().put("demo", kind()).put("seed", seed()).put("code", code())
                .put("now", rig.storage().sim().now()).put("last", last);
        ArrayNode members = s.putArray("members");
        long revision = 0;
        for (int id = 1; id <= 3; id++) {
            ObjectNode m = members.addObject().put("id", id).put("up", rig.storage().sim().isUp(id));
            StoreNode n = rig.storage().cluster().node(id);
            if (n == null) continue;
            m.put("role", n.raft().state().role.name()).put("term", n.raft().state().term);
            revision = Math.max(revision, n.store().currentRevision());
        }
        s.put("revision", revision);
        ArrayNode components = s.putArray("components");
        for (List<ControlPlaneRig.Process> group : List.of(rig.schedulers, rig.managers))
            for (ControlPlaneRig.Process p : group) components.addObject().put("name", p.identity).put("alive", !p.timers.dead()).put("leads", p.leads());
        ControlPlaneRig.Snapshot view = rig.snapshot();
        ArrayNode nodes = s.putArray("nodes");
        for (String n : NODES) {
            ObjectNode node = nodes.addObject().put("name", n).put("kubelet", view.kubelets().getOrDefault(n, false)).put("ready", view.nodesReady().getOrDefault(n, false));
            ArrayNode pods = node.putArray("pods");
            for (ObjectNode p : view.pods()) if (p.path("spec").path("nodeName").asText().equals(n)) pods.add(pod(p));
        }
        ArrayNode pending = s.putArray("pending");
        for (ObjectNode p : view.pods()) if (p.path("spec").path("nodeName").asText().isEmpty()) pending.add(pod(p));
        ArrayNode sets = s.putArray("replicaSets");
        for (ObjectNode rs : view.replicaSets())
            sets.addObject().put("name", rs.path("metadata").path("name").asText()).put("replicas", rs.path("spec").path("replicas").asInt())
                    .put("readyReplicas", rs.path("status").path("readyReplicas").asInt(0));
        ArrayNode behind = s.putArray("behind"); // informers whose cache is not the store just now: the watch's lag, seen
        for (String stale : rig.staleCaches()) behind.add(stale.contains(" holds") ? stale.substring(0, stale.indexOf(" holds")) : stale);
        ArrayNode keys = s.putArray("keys");
        view.keys().entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())).limit(KEYS)
                .forEach(e -> keys.addObject().put("key", e.getKey()).put("revision", e.getValue()));
        return s;
    }

    private static ObjectNode pod(JsonNode p) {
        ObjectNode o = ObjectMapperHolder.JSON.createObjectNode().put("name", p.path("metadata").path("name").asText())
                .put("phase", p.path("status").path("phase").asText("Pending")).put("resourceVersion", p.path("metadata").path("resourceVersion").asText());
        o.put("owner", p.path("metadata").path("ownerReferences").path(0).path("name").asText(""));
        o.put("deleting", p.path("metadata").has("deletionTimestamp"));
        return o;
    }

    private static final class ObjectMapperHolder {
        static final ObjectMapper JSON = new ObjectMapper();
    }
}
