package minietcd.mvcc;

import static minietcd.mvcc.StoreTest.b;
import static minietcd.mvcc.StoreTest.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import minietcd.kit.backend.MemoryBackend;
import minietcd.kit.testing.Graded;
import minietcd.kit.mvcc.KV;
import minietcd.kit.mvcc.KvRequest;
import minietcd.kit.mvcc.Leases;
import minietcd.kit.mvcc.Stores;

/** Lab 3 part D: leases, on a clock the test moves. */
class LeaseTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final MemoryBackend backend = new MemoryBackend();
    private final KV kv = Stores.open(backend, now::get);

    @Graded(lab = 3, part = "D", points = 4, value = "grant: minimum TTL 2 s, client ids (negative too), duplicates refused, no revision")
    void grant() {
        long rev = kv.currentRevision();
        assertThat(kv.leases().grant(1235, 1).ttl()).as("TTL asked 1 s").isEqualTo(2);
        assertThat(kv.leases().grant(-5, 10).id()).isEqualTo(-5);
        Leases.Granted chosen = kv.leases().grant(0, 60);
        assertThat(chosen.id()).as("an id the store chose").isNotZero().isNotIn(1235L, -5L);
        assertThatThrownBy(() -> kv.leases().grant(1235, 30)).hasMessage("etcdserver: lease already exists");
        assertThat(kv.leases().leases()).containsExactlyInAnyOrder(1235L, -5L, chosen.id());
        assertThat(kv.currentRevision()).as("grants make no revision").isEqualTo(rev);
    }

    @Graded(lab = 3, part = "D", points = 4, value = "a put with an unknown lease is refused; revoke deletes every attached key in one revision")
    void revoke() {
        assertThatThrownBy(() -> kv.put(KvRequest.Put.of(b("k"), b("v")).withLease(12345))).hasMessage("etcdserver: requested lease not found");
        long id = kv.leases().grant(0, 60).id();
        kv.put(KvRequest.Put.of(b("l1"), b("1")).withLease(id));
        kv.put(KvRequest.Put.of(b("l2"), b("2")).withLease(id));
        kv.put(KvRequest.Put.of(b("free"), b("3")));
        assertThat(kv.leases().timeToLive(id, true).keys()).containsExactly(b("l1"), b("l2"));
        long before = kv.currentRevision();
        assertThat(kv.leases().revoke(id)).as("revision after revoking a lease with two keys").isEqualTo(before + 1);
        assertThat(get(kv, "l1", 0)).isNull();
        assertThat(get(kv, "l2", 0)).isNull();
        assertThat(get(kv, "free", 0)).isNotNull();
        assertThatThrownBy(() -> kv.leases().revoke(id)).hasMessage("etcdserver: requested lease not found");
        assertThat(kv.leases().keepAlive(id)).as("keepalive of a revoked lease").isZero();
        assertThat(kv.leases().timeToLive(id, false).ttl()).as("timetolive of an unknown lease").isEqualTo(-1);
    }

    @Graded(lab = 3, part = "D", points = 4, value = "leases expire on the store's clock unless kept alive; timetolive rounds down")
    void expiry() {
        long id = kv.leases().grant(0, 10).id();
        kv.put(KvRequest.Put.of(b("e"), b("1")).withLease(id));
        now.addAndGet(1);
        assertThat(kv.leases().timeToLive(id, false).ttl()).as("TTL left 1 ms after a 10 s grant").isEqualTo(9);
        now.addAndGet(8_000);
        assertThat(kv.leases().keepAlive(id)).isEqualTo(10);
        now.addAndGet(9_000);
        assertThat(kv.leases().expire()).as("leases expired 9 s after a keepalive of a 10 s lease").isZero();
        now.addAndGet(1_500);
        assertThat(kv.leases().expire()).isEqualTo(1);
        assertThat(get(kv, "e", 0)).as("a key of an expired lease").isNull();
    }

    @Graded(lab = 3, part = "D", points = 3, value = "leases and their keys survive a restart of the store")
    void recovery() {
        long id = kv.leases().grant(0, 30).id();
        kv.put(KvRequest.Put.of(b("r"), b("1")).withLease(id));
        KV again = Stores.open(backend, now::get);
        assertThat(again.leases().leases()).containsExactly(id);
        assertThat(again.leases().timeToLive(id, true).keys()).containsExactly(b("r"));
        again.leases().revoke(id);
        assertThat(get(again, "r", 0)).isNull();
    }
}
