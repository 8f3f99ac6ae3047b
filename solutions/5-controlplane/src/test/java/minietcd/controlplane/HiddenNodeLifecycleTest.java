package minietcd.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import minietcd.kit.harness.KubeObjects;
import minietcd.kit.harness.NodeLifecycleRig;
import minietcd.kit.sim.Faults;
import minietcd.kit.testing.Graded;
import minietcd.kit.testing.Seeds;

/** Lab 5 part C, the instructor's tests of the node lifecycle controller: nodes without a Lease, kubelets that come back, message loss. */
class HiddenNodeLifecycleTest {
    @Graded(lab = 5, part = "C", points = 3, value = "a node that never had a Lease is counted from when the controller first saw it; a kubelet silent for 30 s that comes back keeps its node and pods")
    void noLeaseAndComingBack(Seeds seeds) {
        seeds.run(5, run -> {
            NodeLifecycleRig rig = new NodeLifecycleRig(run.seed(), Faults.RELIABLE, run.trace());
            rig.kubelet("flaky", 0);
            rig.podOn("stays", "flaky");
            rig.storage().sim().runFor(20_000);
            long created = rig.storage().sim().now();
            rig.create(rig.nodes, KubeObjects.node("no-kubelet", "4", "8Gi", true));
            rig.podOn("goes", "no-kubelet");
            rig.kill("flaky");
            rig.storage().sim().runFor(30_000);
            rig.revive("flaky");
            rig.storage().sim().runUntil(() -> rig.storage().sim().now() >= created + 38_000, 60_000);
            assertThat(rig.ready("no-kubelet")).as("a node without a Lease, 38 s after it appeared").isEqualTo("True");
            rig.storage().sim().runUntil(() -> rig.storage().sim().now() >= created + 48_000, 60_000);
            assertThat(rig.ready("no-kubelet")).as("a node without a Lease, 48 s after it appeared").isEqualTo("Unknown");
            assertThat(rig.podsOn("no-kubelet")).as("its pods").isEmpty();
            rig.storage().sim().runFor(60_000);
            assertThat(rig.ready("flaky")).as("a node whose kubelet was silent for 30 s and came back").isEqualTo("True");
            assertThat(rig.podsOn("flaky")).as("its pods").containsExactly("stays");
        });
    }

    @Graded(lab = 5, part = "C", points = 2, value = "through message loss (2%), only the node whose kubelet died loses its pods, all of them")
    void underMessageLoss(Seeds seeds) {
        seeds.run(10, run -> {
            // 2% of messages lost: at 10% a live kubelet's renewals (each needs four messages, 3 s to time out) failed for 40 s
            // in a row once in the soak's 10,000 seeds (1251), and a node that lives lost its pods, as it would in Kubernetes
            NodeLifecycleRig rig = new NodeLifecycleRig(run.seed(), new Faults(0.02, 0.01, 1, 30, true), run.trace());
            for (String n : new String[] {"a", "b", "c"}) rig.kubelet(n, 0);
            for (int i = 0; i < 6; i++) rig.podOn("p" + i, i % 2 == 0 ? "a" : "b");
            rig.storage().sim().runFor(20_000);
            rig.kill("a");
            rig.storage().sim().runFor(90_000);
            assertThat(rig.podsOn("a")).as("pods on the dead node a, 90 s on").isEmpty();
            assertThat(rig.podsOn("b")).as("pods on node b").containsExactlyInAnyOrder("p1", "p3", "p5");
            assertThat(rig.ready("a")).as("node a").isEqualTo("Unknown");
            assertThat(rig.ready("b")).as("node b").isEqualTo("True");
            assertThat(rig.ready("c")).as("node c").isEqualTo("True");
        });
    }
}
