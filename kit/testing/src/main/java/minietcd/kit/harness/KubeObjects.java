package minietcd.kit.harness;

import com.fasterxml.jackson.databind.node.ObjectNode;
import minietcd.kit.controlplane.ObjectJson;

/** Small Kubernetes objects for lab 5's tests. */
public final class KubeObjects {
    private KubeObjects() {}

    /** A pod of one container, its uid {@code uid-<name>}, with these labels (key, value, key, value, ...). */
    public static ObjectNode pod(String namespace, String name, String... labels) {
        ObjectNode o = ObjectJson.MAPPER.createObjectNode().put("apiVersion", "v1").put("kind", "Pod");
        ObjectNode meta = o.putObject("metadata").put("name", name).put("namespace", namespace).put("uid", "uid-" + name);
        if (labels.length % 2 != 0) throw new IllegalArgumentException("labels come in pairs: " + String.join(", ", labels));
        if (labels.length > 0) {
            ObjectNode l = meta.putObject("labels");
            for (int i = 0; i < labels.length; i += 2) l.put(labels[i], labels[i + 1]);
        }
        o.putObject("spec").putArray("containers").addObject().put("name", "app").put("image", "nginx");
        return o;
    }

    /** A node with no status yet. */
    public static ObjectNode node(String name) {
        ObjectNode o = ObjectJson.MAPPER.createObjectNode().put("apiVersion", "v1").put("kind", "Node");
        o.putObject("metadata").put("name", name).put("uid", "uid-" + name);
        return o;
    }

    /** A Ready node with this much allocatable CPU and memory ({@code "2"}, {@code "4Gi"}) and these labels. */
    public static ObjectNode node(String name, String cpu, String memory, boolean ready, String... labels) {
        ObjectNode o = node(name);
        if (labels.length > 0) {
            ObjectNode l = ((ObjectNode) o.get("metadata")).putObject("labels");
            for (int i = 0; i + 1 < labels.length; i += 2) l.put(labels[i], labels[i + 1]);
        }
        ObjectNode status = o.putObject("status");
        status.putObject("capacity").put("cpu", cpu).put("memory", memory);
        status.putObject("allocatable").put("cpu", cpu).put("memory", memory);
        status.putArray("conditions").addObject().put("type", "Ready").put("status", ready ? "True" : "False");
        return o;
    }

    /** The pod with its container requesting this CPU and memory ({@code "250m"}, {@code "64Mi"}). */
    public static ObjectNode requesting(ObjectNode pod, String cpu, String memory) {
        ObjectNode c = (ObjectNode) pod.path("spec").path("containers").get(0);
        c.putObject("resources").putObject("requests").put("cpu", cpu).put("memory", memory);
        return pod;
    }

    /** The object's resourceVersion as a number. */
    public static long rv(ObjectNode o) {
        return Long.parseLong(ObjectJson.resourceVersion(o));
    }
}
