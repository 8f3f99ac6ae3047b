package minietcd.kit.controlplane;

import java.util.List;
import java.util.Optional;

/**
 * One kind of Kubernetes object as the API server serves and stores it.
 *
 * @param group         the API group, "" for the core group ({@code v1})
 * @param version       the group's version, e.g. {@code v1}
 * @param plural        the resource's name in URLs, e.g. {@code pods}
 * @param kind          the objects' {@code kind}, e.g. {@code Pod}
 * @param namespaced    whether its objects live in a namespace
 * @param storagePrefix where its objects live in etcd under {@code /registry/}: the plural, except
 *                      for nodes, which Kubernetes keeps under {@code /registry/minions/}
 * @param shortNames    kubectl's short names, e.g. {@code po}
 */
public record Resource(String group, String version, String plural, String kind, boolean namespaced, String storagePrefix, List<String> shortNames) {
    public static final Resource NAMESPACES = new Resource("", "v1", "namespaces", "Namespace", false, "namespaces", List.of("ns"));
    public static final Resource NODES = new Resource("", "v1", "nodes", "Node", false, "minions", List.of("no"));
    public static final Resource PODS = new Resource("", "v1", "pods", "Pod", true, "pods", List.of("po"));
    public static final Resource EVENTS = new Resource("", "v1", "events", "Event", true, "events", List.of("ev"));
    public static final Resource REPLICASETS = new Resource("apps", "v1", "replicasets", "ReplicaSet", true, "replicasets", List.of("rs"));
    public static final Resource LEASES = new Resource("coordination.k8s.io", "v1", "leases", "Lease", true, "leases", List.of());

    /** Every resource the kit's API server serves. */
    public static final List<Resource> ALL = List.of(NAMESPACES, NODES, PODS, EVENTS, REPLICASETS, LEASES);

    public Resource {
        shortNames = List.copyOf(shortNames);
    }

    /** The objects' {@code apiVersion}: {@code v1}, {@code apps/v1}, ... */
    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** The name Kubernetes' messages give it: {@code pods}, {@code replicasets.apps}, ... */
    public String qualifiedName() {
        return group.isEmpty() ? plural : plural + "." + group;
    }

    /** The etcd key prefix of all its objects: {@code /registry/pods/}. */
    public String keyPrefix() {
        return "/registry/" + storagePrefix + "/";
    }

    public static Optional<Resource> byPlural(String plural) {
        return ALL.stream().filter(r -> r.plural.equals(plural)).findFirst();
    }
}
