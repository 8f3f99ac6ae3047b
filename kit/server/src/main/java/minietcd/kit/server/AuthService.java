package minietcd.kit.server;

import minietcd.kit.etcd.GatewayJson;
import minietcd.kit.mvcc.EtcdException;
import minietcd.kit.mvcc.KV;

/**
 * The two auth RPCs etcd answers with auth disabled, as it answers them: {@code
 * /v3/auth/authenticate} is refused (412, code 9) and {@code /v3/auth/user/list} lists no user
 * (a header only). Auth cannot be enabled here; the other auth RPCs are not served.
 */
final class AuthService {
    private final java.util.function.Supplier<? extends KV> kv;
    private final Member member;

    AuthService(java.util.function.Supplier<? extends KV> kv, Member member) {
        this.kv = kv;
        this.member = member;
    }

    String authenticate(String body) {
        GatewayJson.leaseLeases(body); // only checks that the body is JSON
        throw new EtcdException(EtcdException.FAILED_PRECONDITION, "etcdserver: authentication is not enabled");
    }

    String userList(String body) {
        GatewayJson.leaseLeases(body);
        return GatewayJson.compaction(member.header(kv.get().currentRevision())); // {"header":{...}}
    }
}
