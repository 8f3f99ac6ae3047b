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
        throw new UnsupportedOperationException("TODO(lab 5 part A): /registry/<prefix>/<namespace>/<name>, or /registry/<prefix>/<name> for a cluster-scoped resource");
    }

    /** The prefix of a namespace's objects, or of all of them when {@code namespace} is "" or the resource is cluster-scoped. */
    String prefix(String namespace) {
        // TODO(lab 5 part A): the key prefix every object of the namespace (or of the resource) has, ending in '/'
        throw new UnsupportedOperationException("TODO(lab 5 part A): the key prefix every object of the namespace (or of the resource) has, ending in '/'");
    }

    @Override
    public CompletableFuture<ObjectNode> create(ObjectNode object) {
        // TODO(lab 5 part A): refuse a resourceVersion; one txn: put only if the key's mod_revision is 0, else AlreadyExists
        throw new UnsupportedOperationException("TODO(lab 5 part A): refuse a resourceVersion; one txn: put only if the key's mod_revision is 0, else AlreadyExists");
    }

    @Override
    public CompletableFuture<ObjectNode> get(String namespace, String name, String resourceVersion) {
        // TODO(lab 5 part A): "" a linearizable read, "0" a serializable one, N a read that must have reached N; 404 when absent
        throw new UnsupportedOperationException("TODO(lab 5 part A): \"\" a linearizable read, \"0\" a serializable one, N a read that must have reached N; 404 when absent");
    }

    @Override
    public CompletableFuture<ObjectNode> update(String namespace, String name, Preconditions preconditions, UnaryOperator<ObjectNode> tryUpdate) {
        // TODO(lab 5 part A): read the key once, then try: check the preconditions, run tryUpdate on a copy, write only what changed, guarded by the mod_revision read; on a lost race go round again from what the failed txn read
        throw new UnsupportedOperationException("TODO(lab 5 part A): read the key once, then try: check the preconditions, run tryUpdate on a copy, write only what changed, guarded by the mod_revision read; on a lost race go round again from what the failed txn read");
    }


    @Override
    public CompletableFuture<ObjectNode> delete(String namespace, String name, Preconditions preconditions) {
        // TODO(lab 5 part A): read, check the preconditions, delete only if the mod_revision is still the one checked; on a lost race go round again from what the failed txn read
        throw new UnsupportedOperationException("TODO(lab 5 part A): read, check the preconditions, delete only if the mod_revision is still the one checked; on a lost race go round again from what the failed txn read");
    }


    @Override
    public CompletableFuture<ObjectList> list(String namespace, ListOptions options) {
        // TODO(lab 5 part A): choose the revision (continue token, resourceVersion), then read pages of the prefix until the limit is filled with matching objects or the store has no more
        throw new UnsupportedOperationException("TODO(lab 5 part A): choose the revision (continue token, resourceVersion), then read pages of the prefix until the limit is filled with matching objects or the store has no more");
    }


    @Override
    public Watch watch(String namespace, WatchOptions options, Listener listener) {
        // TODO(lab 5 part A): start a StoreWatch on this namespace's prefix
        throw new UnsupportedOperationException("TODO(lab 5 part A): start a StoreWatch on this namespace's prefix");
    }
}
