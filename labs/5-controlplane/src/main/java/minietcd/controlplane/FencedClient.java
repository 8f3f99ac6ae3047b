package minietcd.controlplane;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import minietcd.kit.client.EtcdClient;
import minietcd.kit.client.WatchListener;
import minietcd.kit.controlplane.Fence;
import minietcd.kit.controlplane.StatusException;
import minietcd.kit.etcd.EtcdReply;
import minietcd.kit.etcd.EtcdRequest;
import minietcd.kit.mvcc.Bytes;
import minietcd.kit.mvcc.Compare;
import minietcd.kit.mvcc.KvRequest;
import minietcd.kit.mvcc.KvResponse;
import minietcd.kit.watch.WatchRequest;

/**
 * Lab 5 part D: an etcd client whose every write is fenced by a leader's Lease, so that a component
 * that lost its leadership (and does not know it yet) cannot change anything. It wraps the client
 * the component's storage layer uses; the storage layer's code does not change.
 *
 * <p>The contract:
 * <ul>
 *   <li>A write (a put, a delete or a txn, even a txn that only reads) goes to etcd as one txn whose compares are the caller's
 *       and {@code mod_revision(fence.leaseKey) == fence.revision}, with the fence given now; a put
 *       or a delete becomes a txn of that one op. Its failure branch is the caller's and, last, a read
 *       of the fence's key.</li>
 *   <li>When that txn fails and its last read shows the Lease at another revision (or gone: revision
 *       0), the call fails with {@link StatusException#fenced} (403), so that no caller takes it for a
 *       lost race and goes round again. Otherwise the caller gets the answer it asked for: for a put or
 *       a delete, the first answer of the txn's success branch (its own), as an
 *       {@code EtcdReply.Kv}; for a txn, the txn's answer without the added read.</li>
 *   <li>With no fence (its component does not lead), a write fails at once with the same 403 and
 *       nothing is sent.</li>
 *   <li>Reads, leases, compactions and watches pass through as they are.</li>
 * </ul>
 */
public final class FencedClient implements EtcdClient {
    private final EtcdClient client;
    private final Supplier<Optional<Fence>> fence;

    public FencedClient(EtcdClient client, Supplier<Optional<Fence>> fence) {
        this.client = client;
        this.fence = fence;
    }

    @Override
    public CompletableFuture<EtcdReply> call(EtcdRequest request) {
        // TODO(lab 5 part D): fence every put, delete and txn (one txn with the fence's compare, the fence key read last on failure); pass anything else through
        throw new UnsupportedOperationException("TODO(lab 5 part D): fence every put, delete and txn (one txn with the fence's compare, the fence key read last on failure); pass anything else through");
    }

    @Override
    public Watch watch(WatchRequest request, WatchListener listener) {
        return client.watch(request, listener);
    }
}
