package minietcd.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import minietcd.kit.controlplane.ObjectJson;
import minietcd.kit.controlplane.PodControl;
import minietcd.kit.controlplane.Preconditions;
import minietcd.kit.controlplane.Resource;
import minietcd.kit.controlplane.StatusException;
import minietcd.kit.harness.ControllerRig;
import minietcd.kit.sim.Faults;
import minietcd.kit.testing.Graded;
import minietcd.kit.testing.Seeds;

/** Lab 5 part C, the instructor's tests: slow-start batches, which pods go first, and no extra pod through faults and quick scaling. */
class HiddenReplicaSetControllerTest {
    /** Helpers of these tests. */
    static final class ReplicaSetTestSupport {
        static ObjectNode scaled(ObjectNode rs, int replicas) {
            ((ObjectNode) rs.get("spec")).put("replicas", replicas);
            return rs;
        }
    }

    @Graded(lab = 5, part = "C", points = 3, value = "pods are created in batches of 1, 2, 4, ...; a failed create stops the batches")
    void batches(Seeds seeds) {
        seeds.run(5, run -> {
            int[] attempts = {0};
            java.util.List<Long> at = new java.util.ArrayList<>();
            ControllerRig[] self = new ControllerRig[1];
            ControllerRig rig = new ControllerRig(run.seed(), Faults.RELIABLE, run.trace(), real -> new PodControl() {
                @Override public CompletableFuture<ObjectNode> createPod(ObjectNode pod) {
                    at.add(self[0] == null ? -1 : self[0].storage().sim().now());
                    return ++attempts[0] == 3 ? CompletableFuture.failedFuture(StatusException.internal("quota exceeded")) : real.createPod(pod);
                }
                @Override public CompletableFuture<ObjectNode> deletePod(String ns, String name) { return real.deletePod(ns, name); }
                @Override public CompletableFuture<ObjectNode> update(Resource r, String ns, String name, UnaryOperator<ObjectNode> change) { return real.update(r, ns, name, change); }
            });
            self[0] = rig;
            rig.storage().await(rig.replicaSets.create(ControllerRig.replicaSet("web", 10)));
            rig.storage().sim().runUntil(() -> rig.ownedPods("default", "web").size() == 10, 60_000);
            assertThat(at.size()).as("creates tried").isGreaterThanOrEqualTo(6);
            assertThat(at.get(1)).as("the second create (a batch of 2) after the first (a batch of 1) answered").isGreaterThan(at.get(0));
            assertThat(at.get(2)).as("the third create: in the same batch as the second").isEqualTo(at.get(1));
            assertThat(at.get(4)).as("after the third failed, a new slow start: the fourth alone, the fifth in the next batch (not a batch of 4 at once)").isGreaterThan(at.get(3));
            assertThat(rig.ownedPods("default", "web")).as("pods once the creates succeed again").hasSize(10);
            assertThat(rig.violations()).as("broken rules").isEmpty();
        });
    }

    @Graded(lab = 5, part = "C", points = 3, value = "a scale-down deletes unscheduled pods first, then those not Running, then by name")
    void deletesTheLeastUsefulFirst(Seeds seeds) {
        seeds.run(5, run -> {
            ControllerRig rig = new ControllerRig(run.seed(), Faults.RELIABLE, run.trace(), null);
            rig.storage().await(rig.replicaSets.create(ControllerRig.replicaSet("web", 4)));
            rig.storage().sim().runUntil(() -> rig.ownedPods("default", "web").size() == 4, 30_000);
            java.util.List<String> names = new java.util.ArrayList<>(rig.ownedPods("default", "web"));
            java.util.Collections.sort(names);
            String running = names.get(3), alsoRunning = names.get(0), pending = names.get(1), unscheduled = names.get(2);
            for (String n : java.util.List.of(running, alsoRunning, pending))
                rig.storage().await(rig.pods.update("default", n, Preconditions.NONE, p -> {
                    ((ObjectNode) p.get("spec")).put("nodeName", "node-a");
                    if (!n.equals(pending)) ((ObjectNode) p.get("status")).put("phase", "Running");
                    return p;
                }));
            rig.storage().sim().runFor(2_000);
            rig.storage().await(rig.replicaSets.update("default", "web", Preconditions.NONE, rs -> ReplicaSetTestSupport.scaled(rs, 3)));
            rig.storage().sim().runFor(5_000);
            assertThat(rig.ownedPods("default", "web")).as("pods after a scale from 4 to 3: the unscheduled one goes").doesNotContain(unscheduled).hasSize(3);
            rig.storage().await(rig.replicaSets.update("default", "web", Preconditions.NONE, rs -> ReplicaSetTestSupport.scaled(rs, 2)));
            rig.storage().sim().runFor(5_000);
            assertThat(rig.ownedPods("default", "web")).as("pods after a scale to 2: the pending one goes").doesNotContain(pending).hasSize(2);
            rig.storage().await(rig.replicaSets.update("default", "web", Preconditions.NONE, rs -> ReplicaSetTestSupport.scaled(rs, 1)));
            rig.storage().sim().runFor(5_000);
            assertThat(rig.ownedPods("default", "web")).as("pods after a scale to 1: of two running, the first by name goes").containsExactly(running);
        });
    }

    @Graded(lab = 5, part = "C", points = 3, value = "a create without an answer is still expected (no second pod for it); a matching orphan that appears later is adopted")
    void answerlessCreatesAndLateOrphans(Seeds seeds) {
        seeds.run(5, run -> {
            int[] creates = {0};
            ControllerRig rig = new ControllerRig(run.seed(), Faults.RELIABLE, run.trace(), real -> new PodControl() {
                @Override public CompletableFuture<ObjectNode> createPod(ObjectNode pod) {
                    CompletableFuture<ObjectNode> made = real.createPod(pod);
                    if (++creates[0] > 1) return made;
                    return CompletableFuture.failedFuture(new StatusException(504, "Timeout", "no answer (the create goes on)", null, null));
                }
                @Override public CompletableFuture<ObjectNode> deletePod(String ns, String name) { return real.deletePod(ns, name); }
                @Override public CompletableFuture<ObjectNode> update(Resource r, String ns, String name, UnaryOperator<ObjectNode> change) { return real.update(r, ns, name, change); }
            });
            rig.storage().await(rig.replicaSets.create(ControllerRig.replicaSet("web", 1)));
            rig.storage().sim().runFor(10_000);
            assertThat(rig.violations()).as("broken rules after a create without an answer").isEmpty();
            assertThat(rig.ownedPods("default", "web")).as("pods of a ReplicaSet of 1 whose first create had no answer (but was made)").hasSize(1);
            assertThat(creates[0]).as("creates sent").isEqualTo(1);
            rig.storage().await(rig.pods.create(minietcd.kit.harness.KubeObjects.pod("default", "late-orphan", "app", "web")));
            rig.storage().sim().runFor(10_000);
            long matching = rig.pods().values().stream().filter(p -> ObjectJson.labels(p).getOrDefault("app", "").equals("web")).count();
            assertThat(matching).as("pods labeled app=web once a matching orphan appeared next to the ReplicaSet's one: adopted, then one deleted").isEqualTo(1);
            assertThat(rig.ownedPods("default", "web")).as("the ReplicaSet's pods").hasSize(1);
        });
    }

    @Graded(lab = 5, part = "C", points = 5, value = "through message loss, a store member's crash and quick scaling up and down, no ReplicaSet ever has a pod too many, and each ends with its replicas")
    void noExtraPodsUnderFaults(Seeds seeds) {
        seeds.run(20, run -> {
            ControllerRig rig = new ControllerRig(run.seed(), Faults.UNRELIABLE, run.trace(), null);
            SplittableRandom random = new SplittableRandom(run.seed());
            for (String name : new String[] {"a", "b"}) {
                try {
                    rig.storage().awaitPersistently(() -> rig.replicaSets.create(ControllerRig.replicaSet(name, 2)));
                } catch (StatusException e) {
                    if (e.code() != 409) throw e; // 409: an earlier try that timed out was applied
                }
            }
            int[] want = {2, 2};
            for (int step = 0; step < 12; step++) {
                int which = random.nextInt(2), replicas = random.nextInt(6);
                if (step == 6) rig.storage().sim().crash(rig.storage().cluster().leader() == 0 ? 1 : rig.storage().cluster().leader());
                try {
                    rig.storage().awaitPersistently(() -> rig.replicaSets.update("default", which == 0 ? "a" : "b", Preconditions.NONE, rs -> {
                        ((ObjectNode) rs.get("spec")).put("replicas", replicas);
                        return rs;
                    }));
                    want[which] = replicas;
                } catch (StatusException e) {
                    // the update may or may not have landed: read it back below
                }
                rig.storage().sim().runFor(random.nextInt(3_000));
            }
            boolean settled = rig.storage().sim().runUntil(() -> {
                ObjectNode a = rig.replicaSet("default", "a"), b = rig.replicaSet("default", "b");
                return a != null && b != null && rig.ownedPods("default", "a").size() == a.path("spec").path("replicas").asInt()
                        && rig.ownedPods("default", "b").size() == b.path("spec").path("replicas").asInt();
            }, 600_000);
            assertThat(rig.violations()).as("broken rules").isEmpty();
            assertThat(settled).as("each ReplicaSet ended with its replicas (a: %s, b: %s)", rig.ownedPods("default", "a"), rig.ownedPods("default", "b")).isTrue();
        });
    }
    @Graded(lab = 5, part = "C", points = 2, value = "started after its informers synced, as a real controller manager starts it, the controller makes only the pods missing")
    void startedAfterTheCachesSynced(Seeds seeds) {
        seeds.run(5, run -> {
            ControllerRig rig = new ControllerRig(run.seed(), Faults.RELIABLE, run.trace(), null, true);
            ObjectNode rs = rig.storage().await(rig.replicaSets.create(ControllerRig.replicaSet("web", 3)));
            for (int i = 0; i < 2; i++) {
                ObjectNode pod = minietcd.kit.controlplane.ReplicaSets.newPod(rs);
                ObjectJson.metadata(pod).put("name", "web-existing-" + i).put("uid", "uid-existing-" + i);
                rig.storage().await(rig.pods.create(pod));
            }
            rig.startAfterSync();
            rig.storage().sim().runFor(10_000);
            assertThat(rig.ownedPods("default", "web")).as("the ReplicaSet's pods, two of them there before the controller started").hasSize(3)
                    .contains("web-existing-0", "web-existing-1");
            assertThat(rig.violations()).as("broken rules").isEmpty();
        });
    }
}
