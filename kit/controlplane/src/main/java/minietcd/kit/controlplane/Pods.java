package minietcd.kit.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** What the control plane reads from pods and nodes: requests, allocatable resources, readiness, selectors. */
public final class Pods {
    private Pods() {}

    /** The node a pod is bound to, "" if none. */
    public static String nodeName(ObjectNode pod) {
        return ObjectJson.text(pod, "spec", "nodeName");
    }

    /** The sum of the pod's containers' CPU requests, in millicores. */
    public static long cpuRequest(ObjectNode pod) {
        long sum = 0;
        for (JsonNode c : pod.path("spec").path("containers")) sum += Quantity.millicores(ObjectJson.text(c, "resources", "requests", "cpu"));
        return sum;
    }

    /** The sum of the pod's containers' memory requests, in bytes. */
    public static long memoryRequest(ObjectNode pod) {
        long sum = 0;
        for (JsonNode c : pod.path("spec").path("containers")) sum += Quantity.bytes(ObjectJson.text(c, "resources", "requests", "memory"));
        return sum;
    }

    /** Whether the pod has finished (Succeeded or Failed): it no longer takes room on its node. */
    public static boolean terminated(ObjectNode pod) {
        String phase = ObjectJson.text(pod, "status", "phase");
        return phase.equals("Succeeded") || phase.equals("Failed");
    }

    /** The node's allocatable CPU in millicores (its capacity when it reports no allocatable). */
    public static long allocatableCpu(ObjectNode node) {
        String a = ObjectJson.text(node, "status", "allocatable", "cpu");
        return Quantity.millicores(a.isEmpty() ? ObjectJson.text(node, "status", "capacity", "cpu") : a);
    }

    /** The node's allocatable memory in bytes (its capacity when it reports no allocatable). */
    public static long allocatableMemory(ObjectNode node) {
        String a = ObjectJson.text(node, "status", "allocatable", "memory");
        return Quantity.bytes(a.isEmpty() ? ObjectJson.text(node, "status", "capacity", "memory") : a);
    }

    /** Whether the object's (a node's or a pod's) Ready condition is True. */
    public static boolean ready(ObjectNode node) {
        for (JsonNode c : node.path("status").path("conditions"))
            if (c.path("type").asText().equals("Ready")) return c.path("status").asText().equals("True");
        return false;
    }

    /** Whether the node's labels hold every pair of the pod's {@code spec.nodeSelector}. */
    public static boolean selects(ObjectNode pod, ObjectNode node) {
        Map<String, String> labels = ObjectJson.labels(node);
        for (var it = pod.path("spec").path("nodeSelector").fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().asText().equals(labels.get(e.getKey()))) return false;
        }
        return true;
    }
}
