package minietcd.kit.server;

/**
 * One unary RPC of the gateway: a request body in, the JSON answer out. Refusals are thrown as
 * {@link minietcd.kit.mvcc.EtcdException} and become etcd's error response. Called with the store's
 * lock held.
 */
@FunctionalInterface
interface Rpc {
    String call(String body);
}
