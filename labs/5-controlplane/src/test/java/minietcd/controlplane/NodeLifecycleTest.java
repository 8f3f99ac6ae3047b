package minietcd.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import minietcd.kit.harness.NodeLifecycleRig;
import minietcd.kit.sim.Faults;
import minietcd.kit.testing.Graded;
import minietcd.kit.testing.Seeds;

/** Lab 5 part C: the node lifecycle controller, on the simulated store, checked on what the store holds. */
class NodeLifecycleTest {
    @Graded(lab = 5, part = "C", points = 4, value = "a node whose kubelet stops renewing its Lease is marked Ready Unknown 40 to 45 s after its last renewal, and its pods are deleted; the others are left alone")
    void aSilentNodeLosesItsPods(Seeds seeds) {
        seeds.run(5, run -> {
            NodeLifecycleRig rig = new NodeLifecycleRig(run.seed(), Faults.RELIABLE, run.trace());
            for (String n : new String[] {"node-1", "node-2"}) rig.kubelet(n, 0);
            rig.podOn("on-1", "node-1");
            rig.podOn("on-2", "node-2");
            rig.storage().sim().runFor(30_000 + rig.storage().sim().random().nextInt(10_000));
            rig.kill("node-1");
            long last = rig.lastRenewal("node-1");
            rig.storage().sim().runUntil(() -> rig.storage().sim().now() >= last + 39_000, 60_000);
            assertThat(rig.ready("node-1")).as("node-1's Ready condition 39 s after its kubelet's last renewal").isEqualTo("True");
            assertThat(rig.podsOn("node-1")).as("node-1's pods 39 s after its kubelet's last renewal").containsExactly("on-1");
            rig.storage().sim().runUntil(() -> rig.storage().sim().now() >= last + 46_000, 60_000);
            assertThat(rig.ready("node-1")).as("node-1's Ready condition 46 s after its kubelet's last renewal (grace 40 s, a pass every 5 s)").isEqualTo("Unknown");
            assertThat(rig.podsOn("node-1")).as("node-1's pods 46 s after its kubelet's last renewal").isEmpty();
            assertThat(rig.ready("node-2")).as("node-2, whose kubelet renews").isEqualTo("True");
            assertThat(rig.podsOn("node-2")).as("node-2's pods").containsExactly("on-2");
        });
    }

    @Graded(lab = 5, part = "C", points = 2, value = "the grace period runs on the controller's clock from the Lease's last change: a kubelet whose clock is an hour behind keeps its node")
    void aKubeletClockAnHourOff(Seeds seeds) {
        seeds.run(5, run -> {
            NodeLifecycleRig rig = new NodeLifecycleRig(run.seed(), Faults.RELIABLE, run.trace());
            rig.kubelet("behind", -3_600_000);
            rig.kubelet("ahead", 3_600_000);
            rig.podOn("p", "behind");
            rig.storage().sim().runFor(120_000);
            assertThat(rig.ready("behind")).as("a node whose kubelet's clock is an hour behind, after two minutes of renewals").isEqualTo("True");
            assertThat(rig.ready("ahead")).as("a node whose kubelet's clock is an hour ahead").isEqualTo("True");
            assertThat(rig.podsOn("behind")).as("its pods").containsExactly("p");
        });
    }
}
