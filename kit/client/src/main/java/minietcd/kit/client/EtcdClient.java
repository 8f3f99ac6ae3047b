package minietcd.kit.client;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import minietcd.kit.etcd.EtcdReply;
import minietcd.kit.etcd.EtcdRequest;
import minietcd.kit.mvcc.Bytes;
import minietcd.kit.mvcc.KvRequest;
import minietcd.kit.mvcc.KvResponse;
import minietcd.kit.mvcc.Leases;
import minietcd.kit.watch.WatchRequest;

/**
 * etcd's KV, lease and watch API as the kit's records, the way Kubernetes' components reach the
 * store: {@link HttpEtcdClient} over etcd's JSON gateway (the kit's members or a real etcd 3.4),
 * {@link SimEtcdClient} as a node of the simulator, whose requests and streams cross the simulated
 * network.
 *
 * <p>The contract, for every implementation:
 * <ul>
 *   <li>{@link #call} returns at once; its future completes exactly once: with the store's answer,
 *       or exceptionally with an {@link minietcd.kit.mvcc.EtcdException} carrying etcd's code and
 *       message (a refusal, etcd's own timeouts, or the client's deadline: code 4, "context deadline
 *       exceeded"), or with an {@link java.io.IOException} when no answer could be had. A request
 *       that failed may still have been applied; only an answer says it was.</li>
 *   <li>A {@link #watch} stream delivers its messages in order, each once; it ends with a canceled
 *       message, or with {@link WatchListener#broken}, never silently. A client resumes a broken
 *       watch from the revision after the last it saw.</li>
 *   <li>In the simulator, futures complete and listeners run on the simulation's thread, inside
 *       the client node's events: chain work with {@code thenApply}/{@code thenCompose} (never the
 *       {@code ...Async} forms), and never block on a future.</li>
 * </ul>
 */
public interface EtcdClient {
    /** Sends one request. */
    CompletableFuture<EtcdReply> call(EtcdRequest request);

    /** Opens a watch stream with one watcher. */
    Watch watch(WatchRequest request, WatchListener listener);

    /** An open watch stream. */
    interface Watch {
        /** Closes the stream; the listener hears nothing more. */
        void cancel();
    }

    default CompletableFuture<KvResponse.Range> range(KvRequest.Range request) {
        return kv(request).thenApply(KvResponse.Range.class::cast);
    }

    default CompletableFuture<KvResponse.Put> put(KvRequest.Put request) {
        return kv(request).thenApply(KvResponse.Put.class::cast);
    }

    default CompletableFuture<KvResponse.DeleteRange> delete(KvRequest.DeleteRange request) {
        return kv(request).thenApply(KvResponse.DeleteRange.class::cast);
    }

    default CompletableFuture<KvResponse.Txn> txn(KvRequest.Txn request) {
        return kv(request).thenApply(KvResponse.Txn.class::cast);
    }

    /** A linearizable read of one key. */
    default CompletableFuture<KvResponse.Range> get(String key) {
        return range(KvRequest.Range.of(Bytes.of(key)));
    }

    default CompletableFuture<KvResponse.Put> put(String key, String value) {
        return put(KvRequest.Put.of(Bytes.of(key), Bytes.of(value)));
    }

    /** Compacts the history up to {@code revision}; completes with the header's revision. */
    default CompletableFuture<Long> compact(long revision) {
        return call(new EtcdRequest.Compact(revision, false)).thenApply(EtcdReply::revision);
    }

    /** Grants a lease of {@code ttlSeconds}, its id chosen by the server. */
    default CompletableFuture<Leases.Granted> grant(long ttlSeconds) {
        return call(new EtcdRequest.LeaseGrant(ttlSeconds, 0)).thenApply(r -> ((EtcdReply.Granted) r).lease());
    }

    default CompletableFuture<Long> revoke(long leaseId) {
        return call(new EtcdRequest.LeaseRevoke(leaseId)).thenApply(EtcdReply::revision);
    }

    /** Renews a lease once; completes with its new TTL in seconds, 0 if it does not exist. */
    default CompletableFuture<Long> keepAlive(long leaseId) {
        return call(new EtcdRequest.LeaseKeepAlive(List.of(leaseId))).thenApply(r -> ((EtcdReply.KeptAlive) r).leases().get(0).ttl());
    }

    private CompletableFuture<KvResponse> kv(KvRequest request) {
        return call(new EtcdRequest.Kv(request)).thenApply(r -> ((EtcdReply.Kv) r).response());
    }
}
