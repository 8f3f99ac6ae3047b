package minietcd.kit.controlplane;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * How a controller writes (client-go's PodControl and the typed clients behind it): create a pod
 * (the server names it from its {@code generateName} and gives it a uid), delete one, and update an
 * object through the update loop of part A (a pod's owner references, a ReplicaSet's status).
 */
public interface PodControl {
    CompletableFuture<ObjectNode> createPod(ObjectNode pod);

    CompletableFuture<ObjectNode> deletePod(String namespace, String name);

    CompletableFuture<ObjectNode> update(Resource resource, String namespace, String name, UnaryOperator<ObjectNode> change);

    /**
     * Over the storage layer, doing what the API server does on create: a name from
     * {@code generateName} and a uid, both from {@code ids} (a seeded source in the simulator).
     */
    static PodControl of(java.util.function.Function<Resource, ObjectStore> stores, Supplier<String> ids) {
        return new PodControl() {
            @Override
            public CompletableFuture<ObjectNode> createPod(ObjectNode pod) {
                ObjectNode p = pod.deepCopy();
                ObjectNode meta = ObjectJson.metadata(p);
                if (ObjectJson.name(p).isEmpty()) meta.put("name", ObjectJson.text(p, "metadata", "generateName") + ids.get().substring(0, 5));
                meta.put("uid", ids.get());
                if (!p.has("status")) p.putObject("status").put("phase", "Pending");
                return stores.apply(Resource.PODS).create(p);
            }

            @Override
            public CompletableFuture<ObjectNode> deletePod(String namespace, String name) {
                return stores.apply(Resource.PODS).delete(namespace, name, Preconditions.NONE);
            }

            @Override
            public CompletableFuture<ObjectNode> update(Resource resource, String namespace, String name, UnaryOperator<ObjectNode> change) {
                return stores.apply(resource).update(namespace, name, Preconditions.NONE, change);
            }
        };
    }
}
