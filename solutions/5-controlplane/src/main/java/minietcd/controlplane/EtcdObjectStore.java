package minietcd.controlplane;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import minietcd.kit.client.EtcdClient;
import minietcd.kit.controlplane.ContinueToken;
import minietcd.kit.controlplane.ListOptions;
import minietcd.kit.controlplane.ObjectJson;
import minietcd.kit.controlplane.ObjectList;
import minietcd.kit.controlplane.ObjectStore;
import minietcd.kit.controlplane.Preconditions;
import minietcd.kit.controlplane.Resource;
import minietcd.kit.controlplane.StatusException;
import minietcd.kit.controlplane.WatchOptions;
import minietcd.kit.mvcc.Bytes;
import minietcd.kit.mvcc.Compare;
import minietcd.kit.mvcc.KeyValue;
import minietcd.kit.mvcc.KvRequest;
import minietcd.kit.mvcc.KvResponse;

/**
 * Lab 5 part A: the API server's storage layer for one resource, over etcd's KV API (see
 * {@link ObjectStore} for the contract). Every write is one txn guarded by the mod_revision the
 * writer read; a lost race goes round again from what the failed txn read, never from a fresh get.
 * The watch is in {@link StoreWatch}.
 */
public final class EtcdObjectStore implements ObjectStore {
    private final EtcdClient client;
    private final Resource resource;

    public EtcdObjectStore(EtcdClient client, Resource resource) {
        this.client = client;
        this.resource = resource;
    }

    @Override
    public Resource resource() {
        return resource;
    }

    /** The key of one object: {@code /registry/pods/default/web-1}, {@code /registry/minions/node-1}. */
    String key(String namespace, String name) {
        // TODO(lab 5 part A): /registry/<prefix>/<namespace>/<name>, or /registry/<prefix>/<name> for a cluster-scoped resource
        // BEGIN SOLUTION
        return resource.namespaced() ? resource.keyPrefix() + namespace + "/" + name : resource.keyPrefix() + name;
        // END SOLUTION
    }

    /** The prefix of a namespace's objects, or of all of them when {@code namespace} is "" or the resource is cluster-scoped. */
    String prefix(String namespace) {
        // TODO(lab 5 part A): the key prefix every object of the namespace (or of the resource) has, ending in '/'
        // BEGIN SOLUTION
        return resource.namespaced() && !namespace.isEmpty() ? resource.keyPrefix() + namespace + "/" : resource.keyPrefix();
        // END SOLUTION
    }

    @Override
    public CompletableFuture<ObjectNode> create(ObjectNode object) {
        // TODO(lab 5 part A): refuse a resourceVersion; one txn: put only if the key's mod_revision is 0, else AlreadyExists
        // BEGIN SOLUTION
        String name = ObjectJson.name(object);
        if (!ObjectJson.resourceVersion(object).isEmpty())
            return CompletableFuture.failedFuture(StatusException.badRequest("resourceVersion should not be set on objects to be created"));
        Bytes key = Bytes.of(key(ObjectJson.namespace(object), name));
        KvRequest.Txn txn = new KvRequest.Txn(List.of(Compare.modRevision(key, Compare.Result.EQUAL, 0)),
                List.of(KvRequest.Put.of(key, ObjectJson.forStorage(object))), List.of());
        return storeCall(client.txn(txn), StatusException.LIST_EXPIRED).thenApply(r -> {
            if (!r.succeeded()) throw StatusException.alreadyExists(resource, name);
            return ObjectJson.withResourceVersion(object.deepCopy(), r.revision());
        });
        // END SOLUTION
    }

    @Override
    public CompletableFuture<ObjectNode> get(String namespace, String name, String resourceVersion) {
        // TODO(lab 5 part A): "" a linearizable read, "0" a serializable one, N a read that must have reached N; 404 when absent
        // BEGIN SOLUTION
        long atLeast;
        try {
            atLeast = parseResourceVersion(resourceVersion);
        } catch (StatusException e) {
            return CompletableFuture.failedFuture(e);
        }
        KvRequest.Range read = KvRequest.Range.of(Bytes.of(key(namespace, name)));
        if (resourceVersion.equals("0")) read = read.withSerializable();
        return storeCall(client.range(read), StatusException.LIST_EXPIRED).thenApply(r -> {
            if (r.revision() < atLeast) throw StatusException.tooLargeResourceVersion(atLeast, r.revision());
            if (r.kvs().isEmpty()) throw StatusException.notFound(resource, name);
            KeyValue kv = r.kvs().get(0);
            return ObjectJson.fromStorage(kv, kv.modRevision());
        });
        // END SOLUTION
    }

    @Override
    public CompletableFuture<ObjectNode> update(String namespace, String name, Preconditions preconditions, UnaryOperator<ObjectNode> tryUpdate) {
        // TODO(lab 5 part A): read the key once, then try: check the preconditions, run tryUpdate on a copy, write only what changed, guarded by the mod_revision read; on a lost race go round again from what the failed txn read
        // BEGIN SOLUTION
        Bytes key = Bytes.of(key(namespace, name));
        return storeCall(client.range(KvRequest.Range.of(key)), StatusException.LIST_EXPIRED)
                .thenCompose(r -> attemptUpdate(key, name, preconditions, tryUpdate, r));
        // END SOLUTION
    }

    // BEGIN SOLUTION
    /** One round of an update, from {@code read}: the key as it is, or as a failed txn found it. */
    private CompletableFuture<ObjectNode> attemptUpdate(Bytes key, String name, Preconditions preconditions, UnaryOperator<ObjectNode> tryUpdate, KvResponse.Range read) {
        if (read.kvs().isEmpty()) throw StatusException.notFound(resource, name);
        KeyValue current = read.kvs().get(0);
        ObjectNode existing = ObjectJson.fromStorage(current, current.modRevision());
        preconditions.check(resource, existing);
        ObjectNode updated = tryUpdate.apply(existing.deepCopy());
        Bytes data = ObjectJson.forStorage(updated);
        if (data.equals(current.value())) return CompletableFuture.completedFuture(existing);
        KvRequest.Txn txn = new KvRequest.Txn(List.of(Compare.modRevision(key, Compare.Result.EQUAL, current.modRevision())),
                List.of(KvRequest.Put.of(key, data)), List.of(KvRequest.Range.of(key)));
        return storeCall(client.txn(txn), StatusException.LIST_EXPIRED).thenCompose(r -> r.succeeded()
                ? CompletableFuture.completedFuture(ObjectJson.withResourceVersion(updated, r.revision()))
                : attemptUpdate(key, name, preconditions, tryUpdate, (KvResponse.Range) r.responses().get(0)));
    }
    // END SOLUTION

    @Override
    public CompletableFuture<ObjectNode> delete(String namespace, String name, Preconditions preconditions) {
        // TODO(lab 5 part A): read, check the preconditions, delete only if the mod_revision is still the one checked; on a lost race go round again from what the failed txn read
        // BEGIN SOLUTION
        Bytes key = Bytes.of(key(namespace, name));
        return storeCall(client.range(KvRequest.Range.of(key)), StatusException.LIST_EXPIRED)
                .thenCompose(r -> tryDelete(key, name, preconditions, r));
        // END SOLUTION
    }

    // BEGIN SOLUTION
    private CompletableFuture<ObjectNode> tryDelete(Bytes key, String name, Preconditions preconditions, KvResponse.Range read) {
        if (read.kvs().isEmpty()) throw StatusException.notFound(resource, name);
        KeyValue current = read.kvs().get(0);
        preconditions.check(resource, ObjectJson.fromStorage(current, current.modRevision()));
        KvRequest.Txn txn = new KvRequest.Txn(List.of(Compare.modRevision(key, Compare.Result.EQUAL, current.modRevision())),
                List.of(KvRequest.DeleteRange.of(key)), List.of(KvRequest.Range.of(key)));
        return storeCall(client.txn(txn), StatusException.LIST_EXPIRED).thenCompose(r -> r.succeeded()
                ? CompletableFuture.completedFuture(ObjectJson.fromStorage(current, r.revision()))
                : tryDelete(key, name, preconditions, (KvResponse.Range) r.responses().get(0)));
    }
    // END SOLUTION

    @Override
    public CompletableFuture<ObjectList> list(String namespace, ListOptions options) {
        // TODO(lab 5 part A): choose the revision (continue token, resourceVersion), then read pages of the prefix until the limit is filled with matching objects or the store has no more
        // BEGIN SOLUTION
        String prefix = prefix(namespace);
        String start = prefix;
        long revision;
        boolean serializable = false;
        String compacted;
        try {
            if (!options.continueToken().isEmpty()) {
                if (!options.resourceVersion().isEmpty() && !options.resourceVersion().equals("0"))
                    throw StatusException.badRequest("specifying resource version is not allowed when using continue");
                ContinueToken token = ContinueToken.decode(options.continueToken());
                start = token.startKey(prefix);
                revision = token.resourceVersion();
                compacted = StatusException.CONTINUE_EXPIRED;
            } else {
                revision = parseResourceVersion(options.resourceVersion());
                serializable = options.resourceVersion().equals("0");
                compacted = StatusException.LIST_EXPIRED;
            }
        } catch (StatusException e) {
            return CompletableFuture.failedFuture(e);
        }
        return page(prefix, start, revision, serializable, options, compacted, new ArrayList<>());
        // END SOLUTION
    }

    // BEGIN SOLUTION
    /** Reads on from {@code start} at {@code revision} (0: the latest) until the page is full or the prefix is done. */
    private CompletableFuture<ObjectList> page(String prefix, String start, long revision, boolean serializable, ListOptions options, String compacted,
                                               List<ObjectNode> items) {
        KvRequest.Range read = KvRequest.Range.of(Bytes.of(start)).withRangeEnd(Bytes.of(prefix).prefixEnd())
                .withLimit(options.limit()).atRevision(revision); // revision 0: the latest
        if (serializable) read = read.withSerializable();
        boolean paging = options.limit() > 0;
        return storeCall(client.range(read), compacted).thenCompose(r -> {
            long at = revision > 0 ? revision : r.revision();
            boolean more = r.more();
            String last = null;
            for (int i = 0; i < r.kvs().size(); i++) {
                if (paging && items.size() >= options.limit()) {
                    more = true;
                    break;
                }
                KeyValue kv = r.kvs().get(i);
                last = kv.key().utf8();
                ObjectNode o = ObjectJson.fromStorage(kv, kv.modRevision());
                if (options.selection().matches(o)) items.add(o);
            }
            if (paging && more && items.size() < options.limit())
                return page(prefix, last + "\0", at, false, options, compacted, items);
            String token = paging && more ? ContinueToken.after(last, prefix, at).encode() : "";
            return CompletableFuture.completedFuture(new ObjectList(items, at, token));
        });
    }

    /** "" and "0" are 0 (the latest); a decimal N is N; anything else is a 400. */
    static long parseResourceVersion(String rv) {
        if (rv.isEmpty()) return 0;
        try {
            long n = Long.parseLong(rv);
            if (n >= 0) return n;
        } catch (NumberFormatException e) {
            // refused below
        }
        throw StatusException.badRequest("invalid resource version: " + rv);
    }

    /** The call, its failure turned into Kubernetes' ({@code compacted} is the message of a 410). */
    static <T> CompletableFuture<T> storeCall(CompletableFuture<T> call, String compacted) {
        return call.handle((r, e) -> {
            if (e != null) throw StatusException.fromStore(e, compacted);
            return r;
        });
    }
    // END SOLUTION

    @Override
    public Watch watch(String namespace, WatchOptions options, Listener listener) {
        // TODO(lab 5 part A): start a StoreWatch on this namespace's prefix
        // BEGIN SOLUTION
        StoreWatch w = new StoreWatch(client, resource, prefix(namespace), options, listener);
        w.start();
        return w;
        // END SOLUTION
    }
}
