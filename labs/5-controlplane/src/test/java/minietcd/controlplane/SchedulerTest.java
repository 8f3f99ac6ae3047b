package minietcd.controlplane;

import static minietcd.kit.harness.KubeObjects.node;
import static minietcd.kit.harness.KubeObjects.pod;
import static minietcd.kit.harness.KubeObjects.requesting;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;
import minietcd.kit.controlplane.Scheduler;
import minietcd.kit.harness.SchedulingRig;
import minietcd.kit.sim.Faults;
import minietcd.kit.testing.Graded;
import minietcd.kit.testing.Seeds;

/** Lab 5 part C: the scheduler, on the simulated store, checked on what the store holds. */
class SchedulerTest {
    static Map<String, Integer> podsPerNode(SchedulingRig rig) {
        Map<String, Integer> count = new TreeMap<>();
        for (String node : rig.bindings().values()) count.merge(node, 1, Integer::sum);
        return count;
    }

    @Graded(lab = 5, part = "C", points = 5, value = "the scheduler binds every pod that fits, never beyond a node's CPU or memory, counting the pods it assumed but has not seen bound")
    void bindsWithoutOvercommit(Seeds seeds) {
        seeds.run(5, run -> {
            SchedulingRig rig = new SchedulingRig(run.seed(), Faults.RELIABLE, run.trace());
            for (String n : new String[] {"node-a", "node-b", "node-c"}) rig.storage().await(rig.nodes.create(node(n, "1", "1Gi", true)));
            rig.storage().sim().runFor(1_000);
            for (int i = 0; i < 9; i++) rig.storage().await(rig.pods.create(requesting(pod("default", "p" + i), "300m", "100Mi")));
            assertThat(rig.awaitBound(9, 30_000)).as("all 9 pods bound (bindings: %s; the scheduler's last decision: %s)", rig.bindings(), rig.scheduler.lastDecision()).isTrue();
            assertThat(rig.violations()).as("broken rules").isEmpty();
            assertThat(podsPerNode(rig)).as("pods per node: three of 300m fit in 1 CPU (the scheduler's last decision: %s)", rig.scheduler.lastDecision()).containsEntry("node-a", 3).containsEntry("node-b", 3).containsEntry("node-c", 3);
            rig.storage().await(rig.pods.create(requesting(pod("default", "one-too-many"), "300m", "100Mi")));
            rig.storage().sim().runFor(5_000);
            assertThat(rig.bindings()).as("bindings after a tenth pod that fits nowhere").doesNotContainKey("default/one-too-many");
            assertThat(rig.violations()).as("broken rules").isEmpty();
        });
    }

    @Graded(lab = 5, part = "C", points = 4, value = "a pod goes only to a Ready node whose labels match its nodeSelector")
    void filters(Seeds seeds) {
        seeds.run(5, run -> {
            SchedulingRig rig = new SchedulingRig(run.seed(), Faults.RELIABLE, run.trace());
            rig.storage().await(rig.nodes.create(node("big-but-down", "64", "256Gi", false)));
            rig.storage().await(rig.nodes.create(node("plain", "4", "8Gi", true)));
            rig.storage().await(rig.nodes.create(node("fast", "2", "4Gi", true, "disk", "ssd")));
            rig.storage().sim().runFor(1_000);
            ObjectNode picky = requesting(pod("default", "picky"), "100m", "64Mi");
            ((ObjectNode) picky.get("spec")).putObject("nodeSelector").put("disk", "ssd");
            rig.storage().await(rig.pods.create(picky));
            rig.storage().await(rig.pods.create(requesting(pod("default", "any"), "100m", "64Mi")));
            assertThat(rig.awaitBound(2, 30_000)).as("both pods bound (bindings: %s)", rig.bindings()).isTrue();
            assertThat(rig.bindings()).as("where the pods went").containsEntry("default/picky", "fast").containsEntry("default/any", "plain");
            assertThat(rig.scheduler.lastDecision()).extracting(Scheduler.Verdict::reason).as("the last decision's verdicts").contains("not Ready");
            rig.storage().await(rig.pods.create(requesting(pod("default", "needs-32"), "32", "1Gi")));
            rig.storage().sim().runFor(3_000);
            assertThat(rig.bindings()).as("a pod of 32 CPUs while the only node that has them is not Ready").doesNotContainKey("default/needs-32");
            rig.storage().await(rig.nodes.update("", "big-but-down", minietcd.kit.controlplane.Preconditions.NONE, o -> {
                ((ObjectNode) o.path("status").path("conditions").get(0)).put("status", "True");
                return o;
            }));
            rig.storage().sim().runFor(3_000);
            assertThat(rig.bindings()).as("the pod of 32 CPUs once that node became Ready").containsEntry("default/needs-32", "big-but-down");
        });
    }

    @Graded(lab = 5, part = "C", points = 3, value = "memory counts as CPU does: a node without the memory is filtered out, and the freer memory scores higher")
    void memoryCounts(Seeds seeds) {
        seeds.run(5, run -> {
            SchedulingRig rig = new SchedulingRig(run.seed(), Faults.RELIABLE, run.trace());
            rig.storage().await(rig.nodes.create(node("small-memory", "4", "1Gi", true)));
            rig.storage().await(rig.nodes.create(node("large-memory", "4", "8Gi", true)));
            rig.storage().sim().runFor(1_000);
            rig.storage().await(rig.pods.create(requesting(pod("default", "hungry"), "100m", "2Gi")));
            rig.storage().sim().runFor(2_000);
            assertThat(rig.bindings()).as("a pod of 2Gi").containsEntry("default/hungry", "large-memory");
            assertThat(rig.scheduler.lastDecision()).extracting(Scheduler.Verdict::node, Scheduler.Verdict::reason).as("the verdicts for it")
                    .contains(org.assertj.core.groups.Tuple.tuple("small-memory", "Insufficient memory"), org.assertj.core.groups.Tuple.tuple("large-memory", ""));
            rig.storage().await(rig.pods.create(requesting(pod("default", "light"), "100m", "64Mi")));
            rig.storage().sim().runFor(2_000);
            assertThat(rig.bindings()).as("a pod of 64Mi: large-memory still has 6 of 8Gi free, small-memory all of 1Gi").containsEntry("default/light", "small-memory");
            assertThat(rig.scheduler.lastDecision()).as("the least-allocated scores for the light pod: (95 + 74) / 2 on large-memory, (97 + 93) / 2 on small-memory (percent free CPU and memory after it)")
                    .extracting(Scheduler.Verdict::node, Scheduler.Verdict::score)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("large-memory", 84L), org.assertj.core.groups.Tuple.tuple("small-memory", 95L));
            assertThat(rig.violations()).as("broken rules").isEmpty();
        });
    }

    @Graded(lab = 5, part = "C", points = 4, value = "the least allocated node wins, ties going to the first name; a pod no node fits waits until a node that fits appears")
    void scoresAndWaits(Seeds seeds) {
        seeds.run(5, run -> {
            SchedulingRig rig = new SchedulingRig(run.seed(), Faults.RELIABLE, run.trace());
            rig.storage().await(rig.nodes.create(node("n2", "2", "2Gi", true)));
            rig.storage().await(rig.nodes.create(node("n1", "2", "2Gi", true)));
            rig.storage().sim().runFor(1_000);
            rig.storage().await(rig.pods.create(requesting(pod("default", "first"), "500m", "256Mi")));
            rig.storage().sim().runFor(2_000);
            assertThat(rig.bindings()).as("the first pod, two equal nodes").containsEntry("default/first", "n1");
            rig.storage().await(rig.pods.create(requesting(pod("default", "second"), "500m", "256Mi")));
            rig.storage().sim().runFor(2_000);
            assertThat(rig.bindings()).as("the second pod: n2 is the less allocated now").containsEntry("default/second", "n2");
            rig.storage().await(rig.pods.create(requesting(pod("default", "huge"), "3", "1Gi")));
            rig.storage().sim().runFor(5_000);
            assertThat(rig.bindings()).as("a pod of 3 CPUs, nodes of 2").doesNotContainKey("default/huge");
            assertThat(rig.scheduler.lastDecision()).extracting(Scheduler.Verdict::reason).as("why not").containsOnly("Insufficient cpu");
            rig.storage().await(rig.nodes.create(node("n3", "4", "4Gi", true)));
            rig.storage().sim().runFor(5_000);
            assertThat(rig.bindings()).as("the pod of 3 CPUs once a node of 4 joined").containsEntry("default/huge", "n3");
            assertThat(rig.violations()).as("broken rules").isEmpty();
        });
    }
}
