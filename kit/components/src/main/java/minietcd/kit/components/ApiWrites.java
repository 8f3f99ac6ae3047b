package minietcd.kit.components;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import minietcd.kit.controlplane.Binder;
import minietcd.kit.controlplane.ObjectJson;
import minietcd.kit.controlplane.PodControl;
import minietcd.kit.controlplane.Preconditions;
import minietcd.kit.controlplane.Resource;

/**
 * How real components write through the API server: the scheduler's {@link Binder} (the pods'
 * binding subresource) and the controllers' {@link PodControl} (the server names a pod from its
 * generateName; an update whose change is in the status goes to the status subresource, since the
 * main resource keeps the status as it is).
 */
public final class ApiWrites {
    private ApiWrites() {}

    public static Binder binder(ApiTransport api) {
        ApiObjectStore pods = new ApiObjectStore(api, Resource.PODS);
        return (namespace, name, node) -> {
            ObjectNode binding = ObjectJson.MAPPER.createObjectNode().put("apiVersion", "v1").put("kind", "Binding");
            binding.putObject("metadata").put("name", name).put("namespace", namespace);
            binding.putObject("target").put("apiVersion", "v1").put("kind", "Node").put("name", node);
            return api.send("POST", pods.object(namespace, name) + "/binding", binding);
        };
    }

    public static PodControl podControl(ApiTransport api) {
        return new PodControl() {
            @Override
            public CompletableFuture<ObjectNode> createPod(ObjectNode pod) {
                return new ApiObjectStore(api, Resource.PODS).create(pod);
            }

            @Override
            public CompletableFuture<ObjectNode> deletePod(String namespace, String name) {
                return new ApiObjectStore(api, Resource.PODS).delete(namespace, name, Preconditions.NONE);
            }

            @Override
            public CompletableFuture<ObjectNode> update(Resource resource, String namespace, String name, UnaryOperator<ObjectNode> change) {
                ApiObjectStore main = new ApiObjectStore(api, resource), status = new ApiObjectStore(api, resource, "status", "");
                return main.update(namespace, name, Preconditions.NONE, o -> {
                    ObjectNode changed = change.apply(o.deepCopy());
                    if (o.has("status")) changed.set("status", o.get("status").deepCopy()); // the main resource: metadata and spec
                    else changed.remove("status");
                    return changed;
                }).thenCompose(done -> status.update(namespace, name, Preconditions.NONE, o -> {
                    ObjectNode changed = change.apply(o.deepCopy());
                    return changed.path("status").equals(o.path("status")) ? o : changed;
                }));
            }
        };
    }
}
