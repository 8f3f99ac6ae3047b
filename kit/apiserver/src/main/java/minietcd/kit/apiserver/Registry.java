package minietcd.kit.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import minietcd.kit.client.EtcdClient;
import minietcd.kit.controlplane.Components;
import minietcd.kit.controlplane.Fence;
import minietcd.kit.controlplane.ListOptions;
import minietcd.kit.controlplane.ObjectJson;
import minietcd.kit.controlplane.ObjectList;
import minietcd.kit.controlplane.ObjectStore;
import minietcd.kit.controlplane.PodBinding;
import minietcd.kit.controlplane.Preconditions;
import minietcd.kit.controlplane.Resource;
import minietcd.kit.controlplane.StatusException;
import minietcd.kit.controlplane.WatchOptions;

/**
 * The API server's REST semantics over the storage layer (Kubernetes' generic registry): what
 * create fills in (uid, creationTimestamp, generation, the status a new object starts with), what
 * an update may change (the main resource its spec and metadata, the {@code status} subresource its
 * status), patches applied inside the storage layer's update loop (so a lost race patches the newer
 * object), pod binding, the ReplicaSet scale subresource, and namespaces that must exist. It stores
 * nothing: every call goes to an {@link ObjectStore}. Every method returns at once with a future, as
 * the storage layer does, so the same registry serves HTTP requests ({@link ApiServer}, which waits)
 * and the simulator's API server node (which must not).
 */
final class Registry {
    /** Opens the storage layer of a resource; with a fence, one whose every write holds only under it. */
    interface Opener {
        ObjectStore open(Resource resource, Optional<Fence> fence);
    }

    /** Lab 5's storage layer over {@code etcd}; a fenced store writes through lab 5's fenced client. */
    static Opener over(EtcdClient etcd) {
        return (r, fence) -> Components.objectStore(fence.isEmpty() ? etcd : Components.fencedClient(etcd, () -> fence), r);
    }

    /** The namespaces every cluster starts with. */
    static final List<String> INITIAL_NAMESPACES = List.of("default", "kube-system", "kube-public", "kube-node-lease");
    private static final Pattern SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    private final Opener opener;
    private final Map<Resource, ObjectStore> stores = new LinkedHashMap<>();
    private final Supplier<Instant> clock;
    private final Supplier<String> uids;

    Registry(Opener opener, Supplier<Instant> clock, Supplier<String> uids) {
        this(opener, Optional.empty(), clock, uids);
    }

    private Registry(Opener opener, Optional<Fence> fence, Supplier<Instant> clock, Supplier<String> uids) {
        this.opener = opener;
        for (Resource r : Resource.ALL) stores.put(r, opener.open(r, fence));
        this.clock = clock;
        this.uids = uids;
    }

    /** The same registry writing under {@code fence}: every write it makes fails with 403 once the fence's Lease has changed. */
    Registry fenced(Fence fence) {
        return new Registry(opener, Optional.of(fence), clock, uids);
    }

    ObjectStore store(Resource r) {
        return stores.get(r);
    }

    /** Creates the initial namespaces that are missing. */
    CompletableFuture<Void> bootstrap() {
        List<CompletableFuture<ObjectNode>> made = new ArrayList<>();
        for (String ns : INITIAL_NAMESPACES) {
            ObjectNode o = ObjectJson.MAPPER.createObjectNode();
            o.putObject("metadata").put("name", ns);
            made.add(create(new ApiPath(Resource.NAMESPACES, "", "", ""), o).exceptionallyCompose(e -> StatusException.fromStore(e, "").code() == 409
                    ? CompletableFuture.completedFuture(null) : CompletableFuture.failedFuture(e)));
        }
        return CompletableFuture.allOf(made.toArray(CompletableFuture[]::new));
    }

    CompletableFuture<ObjectNode> create(ApiPath p, ObjectNode body) {
        return CompletableFuture.completedFuture(null).thenCompose(start -> {
            Resource r = p.resource();
            ObjectNode o = body.deepCopy();
            checkKind(r, o);
            o.put("kind", r.kind()).put("apiVersion", r.apiVersion());
            ObjectNode meta = ObjectJson.metadata(o);
            CompletableFuture<?> namespaceExists = CompletableFuture.completedFuture(null);
            if (r.namespaced()) {
                String given = ObjectJson.namespace(o);
                if (!given.isEmpty() && !given.equals(p.namespace()))
                    throw StatusException.badRequest("the namespace of the provided object does not match the namespace sent on the request");
                meta.put("namespace", p.namespace());
                namespaceExists = store(Resource.NAMESPACES).get("", p.namespace(), "0");
            } else {
                meta.remove("namespace");
            }
            String name = ObjectJson.name(o);
            if (name.isEmpty() && !ObjectJson.text(o, "metadata", "generateName").isEmpty()) {
                name = ObjectJson.text(o, "metadata", "generateName") + uids.get().replace("-", "").substring(0, 5);
                meta.put("name", name);
            }
            checkName(r, name);
            meta.put("uid", uids.get()).put("creationTimestamp", now()).put("generation", 1);
            if (r.equals(Resource.PODS)) o.putObject("status").put("phase", "Pending");
            if (r.equals(Resource.NAMESPACES)) o.putObject("status").put("phase", "Active");
            if (r.equals(Resource.REPLICASETS)) {
                if (!o.path("spec").has("replicas")) spec(o).put("replicas", 1);
                o.putObject("status").put("replicas", 0);
            }
            return namespaceExists.thenCompose(ok -> store(r).create(o));
        });
    }

    CompletableFuture<ObjectNode> get(ApiPath p, String resourceVersion) {
        return store(p.resource()).get(p.namespace(), p.name(), resourceVersion).thenApply(o -> p.subresource().equals("scale") ? Scales.of(o) : o);
    }

    /** A list in Kubernetes' shape: {@code PodList} with {@code metadata.resourceVersion} and {@code continue}, and the items. */
    CompletableFuture<ObjectNode> list(ApiPath p, ListOptions options) {
        return listPage(p, options).thenApply(page -> {
            ObjectNode l = ObjectJson.MAPPER.createObjectNode().put("kind", p.resource().kind() + "List").put("apiVersion", p.resource().apiVersion());
            ObjectNode meta = l.putObject("metadata").put("resourceVersion", Long.toString(page.resourceVersion()));
            if (!page.continueToken().isEmpty()) meta.put("continue", page.continueToken());
            page.items().forEach(l.putArray("items")::add);
            return l;
        });
    }

    CompletableFuture<ObjectList> listPage(ApiPath p, ListOptions options) {
        return store(p.resource()).list(p.namespace(), options);
    }

    /** PUT: the main resource takes the body's spec and metadata, the status subresource its status. */
    CompletableFuture<ObjectNode> update(ApiPath p, ObjectNode body) {
        return CompletableFuture.completedFuture(null).thenCompose(start -> {
            checkKind(p.resource(), body);
            if (!ObjectJson.name(body).isEmpty() && !ObjectJson.name(body).equals(p.name()))
                throw StatusException.badRequest("the name of the object (" + ObjectJson.name(body) + ") does not match the name on the URL (" + p.name() + ")");
            if (p.subresource().equals("scale")) return write(p, existing -> Scales.apply(existing, body)).thenApply(Scales::of);
            return write(p, existing -> merged(p, existing, body));
        });
    }

    /** PATCH: the patch applied to the object as the update loop reads it, then written as a PUT of the result would be. */
    CompletableFuture<ObjectNode> patch(ApiPath p, String contentType, JsonNode patch) {
        if (p.subresource().equals("scale")) return write(p, existing -> Scales.apply(existing, Patches.apply(contentType, Scales.of(existing), patch))).thenApply(Scales::of);
        return write(p, existing -> merged(p, existing, Patches.apply(contentType, existing, patch)));
    }

    CompletableFuture<ObjectNode> delete(ApiPath p, Preconditions preconditions) {
        return store(p.resource()).delete(p.namespace(), p.name(), preconditions);
    }

    /** POST pods/NAME/binding: sets spec.nodeName once; a pod already bound is a 409. Completes with the bound pod. */
    CompletableFuture<ObjectNode> bind(ApiPath p, ObjectNode binding) {
        return PodBinding.bind(store(Resource.PODS), p.namespace(), p.name(), ObjectJson.text(binding, "target", "name"));
    }

    /** What a binding's POST answers: a Status of success. */
    static ObjectNode bound() {
        ObjectNode s = ObjectJson.MAPPER.createObjectNode().put("kind", "Status").put("apiVersion", "v1");
        s.putObject("metadata");
        return s.put("status", "Success").put("code", 201);
    }

    ObjectStore.Watch watch(ApiPath p, WatchOptions options, ObjectStore.Listener listener) {
        return store(p.resource()).watch(p.namespace(), options, listener);
    }

    private CompletableFuture<ObjectNode> write(ApiPath p, UnaryOperator<ObjectNode> change) {
        return store(p.resource()).update(p.namespace(), p.name(), Preconditions.NONE, change);
    }

    /**
     * The object an update makes of {@code existing}: a body carrying a resourceVersion other than the
     * current one is a 409; uid and creation time stay; the main resource keeps the status, the status
     * subresource keeps everything else; the generation moves when the spec does.
     */
    private ObjectNode merged(ApiPath p, ObjectNode existing, ObjectNode body) {
        String rv = ObjectJson.resourceVersion(body);
        if (!rv.isEmpty() && !rv.equals(ObjectJson.resourceVersion(existing))) throw StatusException.staleUpdate(p.resource(), p.name());
        ObjectNode next;
        if (p.subresource().equals("status")) {
            next = existing.deepCopy();
            if (body.has("status")) next.set("status", body.get("status").deepCopy());
        } else {
            next = body.deepCopy();
            next.put("kind", p.resource().kind()).put("apiVersion", p.resource().apiVersion());
            ObjectNode meta = ObjectJson.metadata(next);
            for (String kept : List.of("uid", "creationTimestamp", "namespace", "name", "generation"))
                if (existing.path("metadata").has(kept)) meta.set(kept, existing.path("metadata").get(kept).deepCopy());
                else meta.remove(kept);
            if (existing.has("status")) next.set("status", existing.get("status").deepCopy());
            else next.remove("status");
            if (!next.path("spec").equals(existing.path("spec"))) meta.put("generation", existing.path("metadata").path("generation").asLong(1) + 1);
        }
        return next;
    }

    private static void checkKind(Resource r, ObjectNode o) {
        String kind = ObjectJson.text(o, "kind"), apiVersion = ObjectJson.text(o, "apiVersion");
        if (!apiVersion.isEmpty() && !apiVersion.equals(r.apiVersion()))
            throw StatusException.badRequest("the API version in the data (" + apiVersion + ") does not match the expected API version (" + r.apiVersion() + ")");
        if (!kind.isEmpty() && !kind.equals(r.kind()))
            throw StatusException.badRequest("the kind in the data (" + kind + ") does not match the expected kind (" + r.kind() + ")");
    }

    private static void checkName(Resource r, String name) {
        if (name.isEmpty()) throw StatusException.invalid(r, name, "metadata.name: Required value: name or generateName is required");
        if (name.length() > 253 || !SUBDOMAIN.matcher(name).matches())
            throw StatusException.invalid(r, name, "metadata.name: Invalid value: \"" + name + "\": a lowercase RFC 1123 subdomain must consist of lower case "
                    + "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character");
    }

    private static ObjectNode spec(ObjectNode o) {
        return o.get("spec") instanceof ObjectNode s ? s : o.putObject("spec");
    }

    private String now() {
        return clock.get().truncatedTo(ChronoUnit.SECONDS).toString();
    }

}
