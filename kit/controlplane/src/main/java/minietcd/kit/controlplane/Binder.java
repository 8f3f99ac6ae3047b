package minietcd.kit.controlplane;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.CompletableFuture;

/** How a scheduler binds a pod: the pods' binding subresource, over the storage layer ({@link #of}) or an API server. */
public interface Binder {
    CompletableFuture<ObjectNode> bind(String namespace, String name, String node);

    static Binder of(ObjectStore pods) {
        return (namespace, name, node) -> PodBinding.bind(pods, namespace, name, node);
    }
}
