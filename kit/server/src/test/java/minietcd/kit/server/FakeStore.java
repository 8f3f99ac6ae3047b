package minietcd.kit.server;

import java.lang.reflect.Proxy;
import java.util.List;
import minietcd.kit.mvcc.EtcdException;
import minietcd.kit.mvcc.KvResponse;
import minietcd.kit.mvcc.Leases;
import minietcd.kit.watch.Watchable;

/**
 * A stand-in store for testing the transport without a lab class: an empty store at revision 1.
 * A range answers with nothing found, a put is refused as etcd refuses an empty key, keepalive
 * knows no lease; the rest is not needed by these tests and throws.
 */
final class FakeStore {
    private FakeStore() {}

    static Watchable open() {
        Leases leases = (Leases) Proxy.newProxyInstance(Leases.class.getClassLoader(), new Class<?>[] {Leases.class}, (p, m, a) -> switch (m.getName()) {
            case "expire" -> 0;
            case "keepAlive" -> 0L;
            case "leases" -> List.of();
            default -> throw new UnsupportedOperationException(m.getName());
        });
        return (Watchable) Proxy.newProxyInstance(Watchable.class.getClassLoader(), new Class<?>[] {Watchable.class}, (p, m, a) -> switch (m.getName()) {
            case "currentRevision" -> 1L;
            case "compactRevision" -> 0L;
            case "range" -> new KvResponse.Range(1, List.of(), false, 0);
            case "put" -> throw EtcdException.keyNotProvided();
            case "leases" -> leases;
            case "tick", "close" -> null;
            default -> throw new UnsupportedOperationException(m.getName());
        });
    }
}
