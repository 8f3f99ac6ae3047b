package minietcd.controlplane;

import static minietcd.kit.harness.KubeObjects.node;
import static minietcd.kit.harness.KubeObjects.pod;
import static minietcd.kit.harness.KubeObjects.requesting;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import minietcd.kit.controlplane.Binder;
import minietcd.kit.controlplane.Preconditions;
import minietcd.kit.controlplane.StatusException;
import minietcd.kit.harness.SchedulingRig;
import minietcd.kit.sim.Faults;
import minietcd.kit.testing.Graded;
import minietcd.kit.testing.Seeds;

/** Lab 5 part C, the instructor's tests: bursts, failed bindings, deletes, and faults under the scheduler. */
class HiddenSchedulerTest {
    @Graded(lab = 5, part = "C", points = 4, value = "twenty pods created at once: exactly as many bound as fit, no node overcommitted (assumed pods count)")
    void aBurstOfPods(Seeds seeds) {
        seeds.run(10, run -> {
            SchedulingRig rig = new SchedulingRig(run.seed(), Faults.RELIABLE, run.trace());
            for (String n : new String[] {"a", "b", "c", "d"}) rig.storage().await(rig.nodes.create(node(n, "1", "1Gi", true)));
            rig.storage().sim().runFor(1_000);
            List<CompletableFuture<ObjectNode>> creates = new ArrayList<>();
            for (int i = 0; i < 20; i++) creates.add(rig.pods.create(requesting(pod("default", "p" + i), "250m", "64Mi")));
            for (CompletableFuture<ObjectNode> c : creates) rig.storage().await(c);
            rig.storage().sim().runFor(10_000);
            assertThat(rig.violations()).as("broken rules").isEmpty();
            assertThat(rig.bindings()).as("pods bound: four of 250m fit in each of four nodes of 1 CPU").hasSize(16);
        });
    }

    @Graded(lab = 5, part = "C", points = 4, value = "a refused binding forgets its assumption, so the pod still fits when it is decided again; one without an answer is sent again until it has one")
    void aFailedBindingForgetsItsAssumption(Seeds seeds) {
        seeds.run(10, run -> {
            int[] tries = {0};
            SchedulingRig rig = new SchedulingRig(run.seed(), Faults.RELIABLE, run.trace(), real -> (ns, name, node) -> switch (tries[0]++) {
                case 0 -> CompletableFuture.failedFuture(StatusException.internal("the binding was refused"));
                case 1 -> CompletableFuture.failedFuture(new StatusException(504, "Timeout", "the binding timed out (and was not made)", null, null));
                default -> real.bind(ns, name, node);
            });
            rig.storage().await(rig.nodes.create(node("only", "1", "1Gi", true)));
            rig.storage().sim().runFor(1_000);
            rig.storage().await(rig.pods.create(requesting(pod("default", "whole-node"), "1", "512Mi")));
            assertThat(rig.awaitBound(1, 120_000)).as("the pod that takes the whole node bound after a refused and a timed-out binding (bindings: %s)", rig.bindings()).isTrue();
            assertThat(rig.bindings()).containsEntry("default/whole-node", "only");
        });
    }

    @Graded(lab = 5, part = "C", points = 3, value = "a deleted pod frees its room; a pod bound by someone else is left where it is")
    void deletesAndOthersBindings(Seeds seeds) {
        seeds.run(5, run -> {
            SchedulingRig rig = new SchedulingRig(run.seed(), Faults.RELIABLE, run.trace());
            rig.storage().await(rig.nodes.create(node("n", "1", "1Gi", true)));
            rig.storage().await(rig.nodes.create(node("m", "8", "8Gi", true)));
            ObjectNode pinned = requesting(pod("default", "pinned"), "600m", "64Mi");
            ((ObjectNode) pinned.get("spec")).put("nodeName", "n");
            rig.storage().await(rig.pods.create(pinned));
            rig.storage().sim().runFor(1_000);
            ObjectNode picky = requesting(pod("default", "wants-n"), "600m", "64Mi");
            ((ObjectNode) picky.get("spec")).putObject("nodeSelector").put("kubernetes.io/hostname", "n");
            rig.storage().await(rig.nodes.update("", "n", Preconditions.NONE, o -> {
                ((ObjectNode) o.get("metadata")).putObject("labels").put("kubernetes.io/hostname", "n");
                return o;
            }));
            rig.storage().await(rig.pods.create(picky));
            rig.storage().sim().runFor(5_000);
            assertThat(rig.bindings()).as("bindings while the pinned pod fills node n").containsEntry("default/pinned", "n").doesNotContainKey("default/wants-n");
            rig.storage().await(rig.pods.delete("default", "pinned", Preconditions.NONE));
            rig.storage().sim().runFor(5_000);
            assertThat(rig.bindings()).as("bindings once the pinned pod was deleted").containsEntry("default/wants-n", "n");
            assertThat(rig.violations()).as("broken rules").isEmpty();
            ObjectNode nowhere = requesting(pod("default", "nowhere"), "100m", "64Mi");
            ((ObjectNode) nowhere.get("spec")).putObject("nodeSelector").put("zone", "mars");
            rig.storage().await(rig.pods.create(nowhere));
            rig.storage().sim().runFor(3_000);
            assertThat(rig.bindings()).as("a pod whose nodeSelector no node matches").doesNotContainKey("default/nowhere");
            rig.storage().await(rig.pods.update("default", "nowhere", Preconditions.NONE, o -> {
                ((ObjectNode) o.path("spec").path("nodeSelector")).put("zone", "earth").remove("zone");
                return o;
            }));
            rig.storage().sim().runFor(3_000);
            assertThat(rig.bindings()).as("that pod once its nodeSelector was changed to match every node").containsKey("default/nowhere");
            rig.scheduler.stop();
            rig.storage().await(rig.pods.create(requesting(pod("default", "after-stop"), "100m", "64Mi")));
            rig.storage().sim().runFor(5_000);
            assertThat(rig.bindings()).as("bindings after the scheduler stopped").doesNotContainKey("default/after-stop");
        });
    }

    @Graded(lab = 5, part = "C", points = 2, value = "a binding refused with 409 (bound meanwhile) is not tried again, a refused one is decided again, one without an answer is sent again")
    void whichFailedBindingsAreTriedAgain(Seeds seeds) {
        seeds.run(5, run -> {
            java.util.Map<String, Integer> tries = new java.util.TreeMap<>();
            SchedulingRig rig = new SchedulingRig(run.seed(), Faults.RELIABLE, run.trace(), real -> (ns, name, node) -> {
                int n = tries.merge(name, 1, Integer::sum);
                if (name.equals("taken")) return CompletableFuture.failedFuture(StatusException.conflict(minietcd.kit.controlplane.Resource.PODS, name, "pod taken is already assigned to node \"x\""));
                if (name.equals("refused") && n == 1) return CompletableFuture.failedFuture(StatusException.internal("the binding was refused"));
                if (name.equals("unanswered") && n == 1) return CompletableFuture.failedFuture(new StatusException(504, "Timeout", "the binding timed out", null, null));
                return real.bind(ns, name, node);
            });
            rig.storage().await(rig.nodes.create(node("n", "4", "4Gi", true)));
            rig.storage().sim().runFor(1_000);
            for (String p : new String[] {"taken", "refused", "unanswered"}) rig.storage().await(rig.pods.create(requesting(pod("default", p), "100m", "64Mi")));
            rig.storage().sim().runFor(10_000);
            assertThat(tries).as("bindings tried per pod, 10 s on").containsEntry("taken", 1).containsEntry("refused", 2).containsEntry("unanswered", 2);
            assertThat(rig.bindings()).as("bindings").containsEntry("default/refused", "n").containsEntry("default/unanswered", "n").doesNotContainKey("default/taken");
        });
    }

    @Graded(lab = 5, part = "C", points = 4, value = "through message loss and a store member's crash, every pod that fits is bound once (within 10 minutes), never moved, no node overcommitted")
    void underFaults(Seeds seeds) {
        seeds.run(20, run -> {
            SchedulingRig rig = new SchedulingRig(run.seed(), Faults.UNRELIABLE, run.trace());
            for (String n : new String[] {"a", "b", "c"}) {
                for (int tries = 0; tries < 100; tries++) {
                    try {
                        rig.storage().await(rig.nodes.create(node(n, "1", "1Gi", true)));
                        break;
                    } catch (StatusException e) {
                        if (e.code() == 409) break;
                    }
                }
            }
            int created = 0;
            for (int i = 0; i < 12; i++) {
                if (i == 6) rig.storage().sim().crash(rig.storage().cluster().leader() == 0 ? 1 : rig.storage().cluster().leader());
                for (int tries = 0; tries < 100; tries++) {
                    try {
                        rig.storage().await(rig.pods.create(requesting(pod("default", "p" + i), "300m", "64Mi")));
                        break;
                    } catch (StatusException e) {
                        if (e.code() == 409) break;
                    }
                }
                created++;
            }
            // a binding whose answer is lost waits 30 s before it is tried again, and one in ten messages is lost
            boolean all = rig.storage().sim().runUntil(() -> rig.bindings().size() >= 9, 600_000);
            assertThat(rig.violations()).as("broken rules").isEmpty();
            assertThat(all).as("9 of the %d pods bound (3 of 300m fit in each node): %s; the scheduler's informers: %d pods, %d nodes, at %s; its last decision: %s",
                    created, rig.bindings(), rig.podInformer.list().size(), rig.nodeInformer.list().size(), rig.podInformer.lastSyncResourceVersion(),
                    rig.scheduler.lastDecision()).isTrue();
            rig.storage().sim().runFor(10_000);
            assertThat(rig.bindings()).as("pods bound, 10 s later").hasSize(9);
            assertThat(rig.violations()).as("broken rules, 10 s later").isEmpty();
        });
    }
    @Graded(lab = 5, part = "C", points = 2, value = "started after its informers synced, as a real scheduler starts, it binds the pods that were waiting, counting the pods bound before it started")
    void startedAfterTheCachesSynced(Seeds seeds) {
        seeds.run(5, run -> {
            SchedulingRig rig = new SchedulingRig(run.seed(), Faults.RELIABLE, run.trace(), null, true);
            for (String n : new String[] {"a", "b"}) rig.storage().await(rig.nodes.create(node(n, "1", "1Gi", true)));
            ObjectNode bound = requesting(pod("default", "bound-before"), "600m", "64Mi");
            ((ObjectNode) bound.get("spec")).put("nodeName", "a");
            rig.storage().await(rig.pods.create(bound));
            for (int i = 0; i < 2; i++) rig.storage().await(rig.pods.create(requesting(pod("default", "waiting-" + i), "300m", "64Mi")));
            rig.startAfterSync();
            assertThat(rig.awaitBound(3, 30_000)).as("the two waiting pods bound (bindings: %s)", rig.bindings()).isTrue();
            assertThat(rig.bindings()).as("where they went: node a has 400m left, node b 1000m").containsEntry("default/waiting-0", "b").containsEntry("default/waiting-1", "b");
            assertThat(rig.violations()).as("broken rules").isEmpty();
        });
    }
}
