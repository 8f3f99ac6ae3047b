package minietcd.kit.controlplane;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code binding} subresource of a pod, Kubernetes' way of scheduling it: one update that sets
 * {@code spec.nodeName} if it is not set yet. A pod is bound once and never moved: binding a bound
 * pod is a 409, whatever node it names.
 */
public final class PodBinding {
    private PodBinding() {}

    /** Binds pod {@code namespace/name} to {@code node} through the pods' storage layer; completes with the bound pod. */
    public static CompletableFuture<ObjectNode> bind(ObjectStore pods, String namespace, String name, String node) {
        if (node == null || node.isEmpty()) return CompletableFuture.failedFuture(StatusException.invalid(Resource.PODS, name, "target.name: Required value"));
        return pods.update(namespace, name, Preconditions.NONE, pod -> {
            String current = ObjectJson.text(pod, "spec", "nodeName");
            if (!current.isEmpty()) throw StatusException.conflict(Resource.PODS, name, "pod " + name + " is already assigned to node \"" + current + "\"");
            (pod.get("spec") instanceof ObjectNode spec ? spec : pod.putObject("spec")).put("nodeName", node);
            return pod;
        });
    }
}
