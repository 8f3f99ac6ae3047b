package minietcd.kit.components;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import minietcd.kit.controlplane.ListOptions;
import minietcd.kit.controlplane.ObjectJson;
import minietcd.kit.controlplane.ObjectList;
import minietcd.kit.controlplane.ObjectStore;
import minietcd.kit.controlplane.Preconditions;
import minietcd.kit.controlplane.Resource;
import minietcd.kit.controlplane.Selection;
import minietcd.kit.controlplane.StatusException;
import minietcd.kit.controlplane.WatchEvent;
import minietcd.kit.controlplane.WatchOptions;

/**
 * The {@link ObjectStore} contract over a Kubernetes API server's REST API instead of etcd, so that
 * lab 5's informer, scheduler, controllers and elector run as real components: create is a POST,
 * update a GET and a PUT carrying the resourceVersion read (a 409 goes round again), delete a
 * DELETE with preconditions, list and watch GETs. {@code subresource} ("status" or "") is where its
 * updates go; {@code fieldSelector} ("" for none) narrows every list and watch on the server (a
 * kubelet's pods: {@code spec.nodeName=NAME}), since a component's calls carry no selection of their own.
 */
public final class ApiObjectStore implements ObjectStore {
    /** How many times an update goes round on 409 Conflict before giving up. */
    static final int UPDATE_ROUNDS = 10;
    private final ApiTransport api;
    private final Resource resource;
    private final String subresource, fieldSelector;

    public ApiObjectStore(ApiTransport api, Resource resource, String subresource, String fieldSelector) {
        this.api = api;
        this.resource = resource;
        this.subresource = subresource;
        this.fieldSelector = fieldSelector;
    }

    public ApiObjectStore(ApiTransport api, Resource resource) {
        this(api, resource, "", "");
    }

    @Override
    public Resource resource() {
        return resource;
    }

    /** {@code /api/v1/namespaces/NS/pods}, {@code /apis/apps/v1/...}, {@code /api/v1/nodes}: the collection of a namespace ("" for all). */
    String collection(String namespace) {
        String root = resource.group().isEmpty() ? "/api/" + resource.version() : "/apis/" + resource.group() + "/" + resource.version();
        return resource.namespaced() && !namespace.isEmpty() ? root + "/namespaces/" + namespace + "/" + resource.plural() : root + "/" + resource.plural();
    }

    String object(String namespace, String name) {
        return collection(namespace) + "/" + name;
    }

    @Override
    public CompletableFuture<ObjectNode> create(ObjectNode object) {
        return api.send("POST", collection(ObjectJson.namespace(object)), object);
    }

    @Override
    public CompletableFuture<ObjectNode> get(String namespace, String name, String resourceVersion) {
        return api.send("GET", object(namespace, name) + (resourceVersion.isEmpty() ? "" : "?resourceVersion=" + resourceVersion), null);
    }

    @Override
    public CompletableFuture<ObjectNode> update(String namespace, String name, Preconditions preconditions, UnaryOperator<ObjectNode> tryUpdate) {
        return round(namespace, name, preconditions, tryUpdate, 1);
    }

    private CompletableFuture<ObjectNode> round(String namespace, String name, Preconditions preconditions, UnaryOperator<ObjectNode> tryUpdate, int round) {
        return get(namespace, name, "").thenCompose(existing -> {
            preconditions.check(resource, existing);
            ObjectNode updated = tryUpdate.apply(existing.deepCopy());
            if (updated.equals(existing)) return CompletableFuture.completedFuture(existing);
            ObjectJson.metadata(updated).put("resourceVersion", ObjectJson.resourceVersion(existing));
            String path = object(namespace, name) + (subresource.isEmpty() ? "" : "/" + subresource);
            return api.send("PUT", path, updated).exceptionallyCompose(e -> {
                StatusException s = StatusException.fromStore(e, "");
                if (s.code() == 409 && round < UPDATE_ROUNDS) return round(namespace, name, preconditions, tryUpdate, round + 1);
                return CompletableFuture.failedFuture(s);
            });
        });
    }

    @Override
    public CompletableFuture<ObjectNode> delete(String namespace, String name, Preconditions preconditions) {
        ObjectNode options = ObjectJson.MAPPER.createObjectNode().put("apiVersion", "v1").put("kind", "DeleteOptions");
        ObjectNode pre = options.putObject("preconditions");
        if (!preconditions.uid().isEmpty()) pre.put("uid", preconditions.uid());
        if (!preconditions.resourceVersion().isEmpty()) pre.put("resourceVersion", preconditions.resourceVersion());
        return api.send("DELETE", object(namespace, name), options);
    }

    @Override
    public CompletableFuture<ObjectList> list(String namespace, ListOptions options) {
        checkSelection(options.selection());
        List<String> query = new ArrayList<>();
        if (!options.resourceVersion().isEmpty()) query.add("resourceVersion=" + options.resourceVersion());
        if (options.limit() > 0) query.add("limit=" + options.limit());
        if (!options.continueToken().isEmpty()) query.add("continue=" + encode(options.continueToken()));
        if (!fieldSelector.isEmpty()) query.add("fieldSelector=" + encode(fieldSelector));
        return api.send("GET", collection(namespace) + (query.isEmpty() ? "" : "?" + String.join("&", query)), null).thenApply(l -> {
            List<ObjectNode> items = new ArrayList<>();
            for (JsonNode item : l.path("items")) {
                ObjectNode o = (ObjectNode) item;
                o.put("apiVersion", resource.apiVersion()).put("kind", resource.kind()); // a list's items carry neither
                items.add(o);
            }
            return new ObjectList(items, Long.parseLong(l.path("metadata").path("resourceVersion").asText("0")), l.path("metadata").path("continue").asText(""));
        });
    }

    @Override
    public Watch watch(String namespace, WatchOptions options, Listener listener) {
        checkSelection(options.selection());
        String query = "?watch=true&resourceVersion=" + options.resourceVersion() + (options.allowBookmarks() ? "&allowWatchBookmarks=true" : "")
                + (fieldSelector.isEmpty() ? "" : "&fieldSelector=" + encode(fieldSelector));
        boolean[] ended = {false};
        ApiTransport.Watching w = api.watch(collection(namespace) + query, line -> {
            if (ended[0]) return;
            WatchEvent e;
            try {
                JsonNode event = ObjectJson.MAPPER.readTree(line);
                e = new WatchEvent(WatchEvent.Type.valueOf(event.path("type").asText()), (ObjectNode) event.get("object"));
            } catch (Exception bad) {
                ended[0] = true;
                listener.ended("the API server sent what is not a watch event: " + line);
                return;
            }
            listener.onEvent(e);
            if (e.type() == WatchEvent.Type.ERROR) ended[0] = true;
        }, why -> {
            if (ended[0]) return;
            ended[0] = true;
            listener.ended(why);
        });
        return () -> {
            ended[0] = true;
            w.close();
        };
    }

    private void checkSelection(Selection selection) {
        if (!selection.equals(Selection.EVERYTHING))
            throw new IllegalArgumentException("an ApiObjectStore takes its field selector when it is made, not per call: " + selection);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
