package minietcd.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.random.RandomGenerator;
import minietcd.kit.controlplane.Preconditions;
import minietcd.kit.controlplane.StatusException;
import minietcd.kit.harness.ControlPlaneRig;
import minietcd.kit.sim.Faults;
import minietcd.kit.testing.Graded;
import minietcd.kit.testing.Seeds;

/** Lab 5 part D, the instructor's test of the whole lab in one simulation: all of its classes at work together under faults. */
class HiddenControlPlaneTest {
    @Graded(lab = 5, part = "D", points = 6, value = "the whole control plane (the API server, two schedulers and two controller managers, leader-elected and fenced, kubelets, the store) through message loss (1%), a paused leader, a leader cut off from the API server, the API server cut off from the store's leader, killed leaders, a dead kubelet, a store crash, an API server restart, a paused kubelet and compactions: no pod moved, no node overcommitted, no pod too many, every informer's cache ends equal to the store, and every ReplicaSet ends Running on live nodes, its readyReplicas saying so")
    void theWholeControlPlane(Seeds seeds) {
        seeds.run(5, run -> {
            // 1% of messages lost: every call crosses two hops (component to API server, API server to etcd, and Raft's behind it),
            // each lost message costs a call 3 s, and a leader's renewal is two calls against a 10 s deadline. At 2% leadership
            // changed hands every half minute in some seeds, and each new node lifecycle controller starts its 40 s over.
            ControlPlaneRig rig = new ControlPlaneRig(run.seed(), new Faults(0.01, 0.01, 1, 30, true), run.trace(), new double[] {0.9, 1.1, 1.05, 0.95});
            RandomGenerator random = rig.storage().sim().random();
            for (String n : new String[] {"node-1", "node-2", "node-3"}) rig.kubelet(n, "2");
            for (String name : new String[] {"web", "api"}) {
                try {
                    rig.storage().awaitPersistently(() -> rig.replicaSets.create(ControlPlaneRig.replicaSet(name, 3, "500m")));
                } catch (StatusException e) {
                    if (e.code() != 409) throw e; // an earlier try that timed out was applied
                }
            }
            rig.storage().sim().runFor(20_000);
            for (int step = 0; step < 11; step++) {
                switch (step) {
                    case 1 -> rig.managers.stream().filter(ControlPlaneRig.Process::leads).findFirst().ifPresent(p -> p.pause(30_000)); // its standby takes over meanwhile
                    case 2 -> rig.schedulers.stream().filter(ControlPlaneRig.Process::leads).findFirst().ifPresent(p -> p.cutOff(20_000));
                    case 3 -> rig.schedulers.stream().filter(ControlPlaneRig.Process::leads).findFirst().ifPresent(ControlPlaneRig.Process::kill);
                    case 4 -> rig.killKubelet("node-" + (1 + random.nextInt(3)));
                    case 5 -> rig.managers.stream().filter(ControlPlaneRig.Process::leads).findFirst().ifPresent(ControlPlaneRig.Process::kill);
                    case 6 -> {
                        int member = rig.storage().cluster().leader();
                        if (member > 0) {
                            rig.storage().sim().crash(member);
                            rig.storage().sim().schedule(5_000, "restart", () -> rig.storage().sim().restart(member));
                        }
                    }
                    case 7 -> rig.restartApiServer(3_000);
                    case 9 -> {
                        int member = rig.storage().cluster().leader();
                        if (member > 0) rig.cutApiServerFrom(member, 15_000);
                    }
                    case 8 -> rig.pauseKubelet("node-" + (1 + random.nextInt(3)), 25_000); // back after compactions: its informer relists (410)
                    default -> { }
                }
                String which = random.nextBoolean() ? "web" : "api";
                int replicas = 1 + random.nextInt(4);
                if (step == 1) replicas = rig.replicas("default", which) % 4 + 1; // work for the paused leader to find when it wakes up, after its Lease has gone
                int asked = replicas;
                try {
                    rig.storage().awaitPersistently(() -> rig.replicaSets.update("default", which, Preconditions.NONE, rs -> {
                        ((ObjectNode) rs.get("spec")).put("replicas", asked);
                        return rs;
                    }));
                } catch (StatusException e) {
                    // it may or may not have landed: the end state is read from the store
                }
                rig.storage().sim().runFor(5_000 + random.nextInt(10_000));
            }
            boolean settled = rig.storage().sim().runUntil(() -> {
                for (String name : new String[] {"web", "api"}) {
                    int want = rig.replicas("default", name);
                    if (rig.runningOnLiveNodes("default", name) != want || rig.activePods("default", name) != want || rig.readyReplicas("default", name) != want) return false;
                }
                return true;
            }, 300_000);
            rig.storage().sim().runUntil(() -> rig.staleCaches().isEmpty(), 60_000);
            assertThat(rig.staleCaches()).as("informers whose cache is not the store, once the faults stopped").isEmpty();
            assertThat(rig.violations()).as("broken rules").isEmpty();
            assertThat(rig.compactions()).as("the API server's compactions of the store").isPositive();
            assertThat(rig.overcommitted()).as("overcommitted nodes").isEmpty();
            assertThat(settled).as("every ReplicaSet with exactly its replicas, Running on nodes whose kubelet lives, and status.readyReplicas saying so (%s)", rig.describe()).isTrue();
        });
    }
}
