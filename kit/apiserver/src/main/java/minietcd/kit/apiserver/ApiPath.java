package minietcd.kit.apiserver;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import minietcd.kit.controlplane.Resource;
import minietcd.kit.controlplane.StatusException;

/**
 * A request path of the Kubernetes API, read: {@code /api/v1/namespaces/default/pods/web/status}
 * is the {@code status} subresource of pod {@code web} in namespace {@code default}.
 *
 * @param resource    the resource
 * @param namespace   the namespace, "" for a cluster-scoped resource or a list across namespaces
 * @param name        the object's name, "" for the collection
 * @param subresource "" or {@code status}, {@code binding}, {@code scale}
 */
public record ApiPath(Resource resource, String namespace, String name, String subresource) {
    private static final List<String> SUBRESOURCES = List.of("status", "binding", "scale");

    public boolean isCollection() {
        return name.isEmpty();
    }

    /**
     * Reads a resource path; empty if the path is not one (discovery and the like are answered elsewhere).
     *
     * @throws StatusException 404 for a path under {@code /api} or {@code /apis} that names no resource this server has
     */
    public static Optional<ApiPath> parse(String path) {
        List<String> s = Arrays.stream(path.split("/")).filter(p -> !p.isEmpty()).toList();
        String group, version;
        int i;
        if (s.size() >= 3 && s.get(0).equals("api")) {
            group = "";
            version = s.get(1);
            i = 2;
        } else if (s.size() >= 4 && s.get(0).equals("apis")) {
            group = s.get(1);
            version = s.get(2);
            i = 3;
        } else {
            return Optional.empty();
        }
        List<String> rest = s.subList(i, s.size());
        String namespace = "";
        if (rest.size() >= 3 && rest.get(0).equals("namespaces") && find(group, version, rest.get(2)).filter(Resource::namespaced).isPresent()) {
            namespace = rest.get(1);
            rest = rest.subList(2, rest.size());
        }
        if (rest.isEmpty() || rest.size() > 3) throw notFound(path);
        Resource r = find(group, version, rest.get(0)).orElseThrow(() -> notFound(path));
        String name = rest.size() >= 2 ? rest.get(1) : "";
        String sub = rest.size() == 3 ? rest.get(2) : "";
        if (!sub.isEmpty() && !SUBRESOURCES.contains(sub)) throw notFound(path);
        if (!r.namespaced() && !namespace.isEmpty()) throw notFound(path);
        if (r.namespaced() && namespace.isEmpty() && !name.isEmpty()) throw notFound(path);
        return Optional.of(new ApiPath(r, namespace, name, sub));
    }

    private static Optional<Resource> find(String group, String version, String plural) {
        return Resource.ALL.stream().filter(r -> r.group().equals(group) && r.version().equals(version) && r.plural().equals(plural)).findFirst();
    }

    private static StatusException notFound(String path) {
        return new StatusException(404, "NotFound", "the server could not find the requested resource (" + path + ")", null, null);
    }
}
