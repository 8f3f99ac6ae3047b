package minietcd.controlplane;

import static minietcd.kit.harness.KubeObjects.pod;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import minietcd.kit.controlplane.ObjectJson;
import minietcd.kit.controlplane.Preconditions;
import minietcd.kit.controlplane.ReplicaSets;
import minietcd.kit.harness.ControllerRig;
import minietcd.kit.sim.Faults;
import minietcd.kit.testing.Graded;
import minietcd.kit.testing.Seeds;

/** Lab 5 part C: the ReplicaSet controller, on the simulated store, checked on what the store holds. */
class ReplicaSetControllerTest {
    static ObjectNode scaled(ObjectNode rs, int replicas) {
        ((ObjectNode) rs.get("spec")).put("replicas", replicas);
        return rs;
    }

    @Graded(lab = 5, part = "C", points = 5, value = "the ReplicaSet controller keeps exactly `replicas` pods it owns, up and down, never one too many, and writes status.replicas and readyReplicas")
    void keepsReplicas(Seeds seeds) {
        seeds.run(5, run -> {
            ControllerRig rig = new ControllerRig(run.seed(), Faults.RELIABLE, run.trace(), null);
            rig.storage().await(rig.replicaSets.create(ControllerRig.replicaSet("web", 3)));
            rig.storage().sim().runUntil(() -> rig.ownedPods("default", "web").size() == 3, 30_000);
            assertThat(rig.ownedPods("default", "web")).as("pods of a ReplicaSet of 3").hasSize(3);
            ObjectNode any = rig.pods().values().iterator().next();
            assertThat(ReplicaSets.controllerOf(any)).as("a pod's controller reference").hasValueSatisfying(ref -> {
                assertThat(ref.path("kind").asText()).as("its kind").isEqualTo("ReplicaSet");
                assertThat(ref.path("uid").asText()).as("its uid: the ReplicaSet's").isEqualTo("uid-web");
            });
            assertThat(ObjectJson.labels(any)).as("a pod's labels, from the template").containsEntry("app", "web");
            rig.storage().await(rig.replicaSets.update("default", "web", Preconditions.NONE, rs -> scaled(rs, 5)));
            rig.storage().sim().runUntil(() -> rig.ownedPods("default", "web").size() == 5, 30_000);
            assertThat(rig.ownedPods("default", "web")).as("pods after a scale to 5").hasSize(5);
            for (String name : rig.ownedPods("default", "web").subList(0, 2)) // two of them run, as a kubelet reports it
                rig.storage().await(rig.pods.update("default", name, Preconditions.NONE, ReplicaSetControllerTest::runningAndReady));
            rig.storage().sim().runFor(10_000);
            assertThat(rig.replicaSet("default", "web").path("status").path("readyReplicas").asInt(-1)).as("status.readyReplicas with 2 of 5 pods Ready").isEqualTo(2);
            rig.storage().await(rig.replicaSets.update("default", "web", Preconditions.NONE, rs -> scaled(rs, 1)));
            rig.storage().sim().runFor(10_000);
            assertThat(rig.ownedPods("default", "web")).as("pods after a scale to 1").hasSize(1);
            assertThat(rig.replicaSet("default", "web").path("status").path("replicas").asInt()).as("status.replicas after a scale to 1").isEqualTo(1);
            assertThat(rig.replicaSet("default", "web").path("status").path("readyReplicas").asInt(-1)).as("status.readyReplicas after a scale to 1 (pods not Running go first)").isEqualTo(1);
            assertThat(rig.violations()).as("broken rules").isEmpty();
        });
    }

    /** A pod as its kubelet reports it once it runs: phase Running, condition Ready. */
    static ObjectNode runningAndReady(ObjectNode pod) {
        ObjectNode status = pod.putObject("status").put("phase", "Running");
        status.putArray("conditions").addObject().put("type", "Ready").put("status", "True");
        return pod;
    }

    @Graded(lab = 5, part = "C", points = 5, value = "a deleted pod is replaced; a matching orphan is adopted instead of a pod made; a pod relabeled away is released and replaced")
    void replacesAdoptsAndReleases(Seeds seeds) {
        seeds.run(5, run -> {
            ControllerRig rig = new ControllerRig(run.seed(), Faults.RELIABLE, run.trace(), null);
            rig.storage().await(rig.pods.create(pod("default", "orphan", "app", "web")));
            rig.storage().sim().runFor(1_000);
            rig.storage().await(rig.replicaSets.create(ControllerRig.replicaSet("web", 3)));
            rig.storage().sim().runUntil(() -> rig.ownedPods("default", "web").size() == 3, 30_000);
            assertThat(rig.ownedPods("default", "web")).as("pods of a ReplicaSet of 3 with a matching orphan").hasSize(3).contains("orphan");
            assertThat(rig.pods()).as("pods in the namespace: the orphan and two made").hasSize(3);
            String made = rig.ownedPods("default", "web").stream().filter(n -> !n.equals("orphan")).findFirst().orElseThrow();
            rig.storage().await(rig.pods.delete("default", made, Preconditions.NONE));
            rig.storage().sim().runFor(5_000);
            assertThat(rig.ownedPods("default", "web")).as("pods after one was deleted").hasSize(3).doesNotContain(made);
            rig.storage().await(rig.pods.update("default", "orphan", Preconditions.NONE, p -> {
                ObjectJson.metadata(p).putObject("labels").put("app", "debugging");
                return p;
            }));
            rig.storage().sim().runFor(5_000);
            assertThat(rig.ownedPods("default", "web")).as("pods after the adopted one was relabeled").hasSize(3).doesNotContain("orphan");
            assertThat(ReplicaSets.controllerOf(rig.pods().get("orphan"))).as("the relabeled pod's controller reference: released").isEmpty();
            assertThat(rig.violations()).as("broken rules").isEmpty();
        });
    }
}
