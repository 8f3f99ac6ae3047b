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
        assertThat(kv.leases().grant(-5, 10).id()).as("the negative lease id a client chose").isEqualTo(-5);
        Leases.Granted chosen = kv.leases().grant(0, 60);
        assertThat(chosen.id()).as("an id the store chose").isNotZero().isNotIn(1235L, -5L);
        assertThatThrownBy(() -> kv.leases().grant(1235, 30)).as("granting a lease id that already exists").hasMessage("etcdserver: lease already exists");
        assertThat(kv.leases().leases()).as("every lease granted, the refused duplicate aside").containsExactlyInAnyOrder(1235L, -5L, chosen.id());
        assertThat(kv.currentRevision()).as("grants make no revision").isEqualTo(rev);
    }

    @Graded(lab = 3, part = "D", points = 4, value = "a put with an unknown lease is refused; revoke deletes every attached key in one revision")
    void revoke() {
        assertThatThrownBy(() -> kv.put(KvRequest.Put.of(b("k"), b("v")).withLease(12345))).as("a put with a lease that does not exist")
                .hasMessage("etcdserver: requested lease not found");
        long id = kv.leases().grant(0, 60).id();
        kv.put(KvRequest.Put.of(b("l1"), b("1")).withLease(id));
        kv.put(KvRequest.Put.of(b("l2"), b("2")).withLease(id));
        kv.put(KvRequest.Put.of(b("free"), b("3")));
        assertThat(kv.leases().timeToLive(id, true).keys()).as("keys attached to the lease, in key order").containsExactly(b("l1"), b("l2"));
        long before = kv.currentRevision();
        assertThat(kv.leases().revoke(id)).as("revision after revoking a lease with two keys").isEqualTo(before + 1);
        assertThat(get(kv, "l1", 0)).as("l1 after its lease was revoked").isNull();
        assertThat(get(kv, "l2", 0)).as("l2 after its lease was revoked").isNull();
        assertThat(get(kv, "free", 0)).as("a key without a lease, after the revoke").isNotNull();
        assertThatThrownBy(() -> kv.leases().revoke(id)).as("revoking a lease that was already revoked").hasMessage("etcdserver: requested lease not found");
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
        assertThat(kv.leases().keepAlive(id)).as("the TTL a keepalive answers (the granted TTL)").isEqualTo(10);
        now.addAndGet(9_000);
        assertThat(kv.leases().expire()).as("leases expired 9 s after a keepalive of a 10 s lease").isZero();
        now.addAndGet(1_500);
        assertThat(kv.leases().expire()).as("leases expired 10.5 s after the keepalive").isEqualTo(1);
        assertThat(get(kv, "e", 0)).as("a key of an expired lease").isNull();
    }

    @Graded(lab = 3, part = "D", points = 3, value = "leases and their keys survive a restart of the store")
    void recovery() {
        long id = kv.leases().grant(0, 30).id();
        kv.put(KvRequest.Put.of(b("r"), b("1")).withLease(id));
        KV again = Stores.open(backend, now::get);
        assertThat(again.leases().leases()).as("leases after a restart").containsExactly(id);
        assertThat(again.leases().timeToLive(id, true).keys()).as("keys attached to the lease after a restart").containsExactly(b("r"));
        again.leases().revoke(id);
        assertThat(get(again, "r", 0)).as("a key of a lease revoked after a restart").isNull();
    }
}
