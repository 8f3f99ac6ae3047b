package minietcd.mvcc;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import minietcd.kit.mvcc.Backend;
import minietcd.kit.mvcc.Bytes;
import minietcd.kit.mvcc.EtcdException;
import minietcd.kit.mvcc.Leases;

/**
 * Lab 3 part D: leases. A lease has a TTL and a deadline on the store's clock; keys attached to it
 * are deleted, all in one revision, when it is revoked or expires. Leases are kept in the backend;
 * after a restart every lease gets a whole TTL again (etcd does the same when a leader takes over).
 * The contract is in {@link Leases}.
 */
public final class Lessor implements Leases {
    /** etcd's largest TTL, in seconds. */
    static final long MAX_TTL = 9_000_000_000L;

    private final MvccStore store;
    private final Backend backend;
    private final LongSupplier clock;
    // BEGIN SOLUTION
    private static final class Lease {
        final long id, ttl;
        long deadline;
        final TreeSet<Bytes> keys = new TreeSet<>();

        Lease(long id, long ttl, long deadline) {
            this.id = id;
            this.ttl = ttl;
            this.deadline = deadline;
        }
    }

    private final Map<Long, Lease> leases = new TreeMap<>();
    /** Ids the store chooses count up from here, skipping any taken. */
    private long nextId = 0x694d_2b3c_0000_0001L;
    // END SOLUTION

    public Lessor(MvccStore store, Backend backend, LongSupplier clock) {
        this.store = store;
        this.backend = backend;
        this.clock = clock;
    }

    @Override
    public Granted grant(long id, long ttlSeconds) {
        // TODO(lab 3 part D): choose an id if 0, refuse a taken one, raise the TTL to the minimum, persist; a grant makes no revision
        // BEGIN SOLUTION
        if (ttlSeconds > MAX_TTL) throw new EtcdException(EtcdException.OUT_OF_RANGE, "etcdserver: too large lease TTL");
        if (id == 0) {
            while (leases.containsKey(nextId)) nextId++;
            id = nextId++;
        } else if (leases.containsKey(id)) {
            throw EtcdException.leaseExists();
        }
        long ttl = Math.max(ttlSeconds, MIN_TTL);
        leases.put(id, new Lease(id, ttl, clock.getAsLong() + ttl * 1000));
        backend.putLease(id, ttl);
        backend.commit();
        return new Granted(store.currentRevision(), id, ttl);
        // END SOLUTION
    }

    @Override
    public long revoke(long id) {
        // TODO(lab 3 part D): forget the lease and delete its keys in one revision; an unknown lease is an error
        // BEGIN SOLUTION
        Lease l = leases.remove(id);
        if (l == null) throw EtcdException.leaseNotFound();
        backend.removeLease(id);
        long rev = store.deleteKeys(new ArrayList<>(l.keys));
        backend.commit(); // one commit for the lease and its keys: a crash keeps both or neither
        return rev;
        // END SOLUTION
    }

    @Override
    public long keepAlive(long id) {
        // TODO(lab 3 part D): push the deadline a whole TTL from now; 0 for an unknown lease
        // BEGIN SOLUTION
        Lease l = leases.get(id);
        if (l == null) return 0;
        l.deadline = clock.getAsLong() + l.ttl * 1000;
        return l.ttl;
        // END SOLUTION
    }

    @Override
    public TimeToLive timeToLive(long id, boolean keys) {
        // TODO(lab 3 part D): remaining whole seconds (rounded down), the granted TTL, and the keys if asked; TTL -1 for an unknown lease
        // BEGIN SOLUTION
        Lease l = leases.get(id);
        if (l == null) return new TimeToLive(store.currentRevision(), id, -1, 0, List.of());
        long remaining = Math.max(0, (l.deadline - clock.getAsLong()) / 1000);
        return new TimeToLive(store.currentRevision(), id, remaining, l.ttl, keys ? List.copyOf(l.keys) : List.of());
        // END SOLUTION
    }

    @Override
    public List<Long> leases() {
        // TODO(lab 3 part D): every lease's id
        // BEGIN SOLUTION
        return List.copyOf(leases.keySet());
        // END SOLUTION
    }

    @Override
    public int expire() {
        // TODO(lab 3 part D): revoke every lease whose deadline has passed, oldest deadline first
        // BEGIN SOLUTION
        long now = clock.getAsLong();
        List<Lease> due = new ArrayList<>();
        for (Lease l : leases.values()) if (l.deadline <= now) due.add(l);
        due.sort(Comparator.comparingLong((Lease l) -> l.deadline).thenComparingLong(l -> l.id));
        for (Lease l : due) revoke(l.id);
        return due.size();
        // END SOLUTION
    }

    /** Whether the lease exists (a put with an unknown lease is refused). */
    boolean exists(long id) {
        // TODO(lab 3 part D): is there such a lease?
        // BEGIN SOLUTION
        return leases.containsKey(id);
        // END SOLUTION
    }

    /** A put attached {@code key} to lease {@code id}. */
    void attach(long id, Bytes key) {
        // TODO(lab 3 part D): remember that key belongs to the lease
        // BEGIN SOLUTION
        Lease l = leases.get(id);
        if (l != null) l.keys.add(key);
        // END SOLUTION
    }

    /** {@code key} left lease {@code id} (deleted, or put with another lease). */
    void detach(long id, Bytes key) {
        // TODO(lab 3 part D): forget that key belongs to the lease
        // BEGIN SOLUTION
        Lease l = leases.get(id);
        if (l != null) l.keys.remove(key);
        // END SOLUTION
    }

    /** Rebuilds the leases from the backend and the live keys' lease fields, each with a whole TTL from now. */
    void recover() {
        // TODO(lab 3 part D): rebuild the leases from the backend, and their keys from the store
        // BEGIN SOLUTION
        // STUB: if (!backend.leases().isEmpty())
        // STUB:     throw new UnsupportedOperationException("TODO(lab 3 part D): rebuild the leases from the backend");
        long now = clock.getAsLong();
        backend.leases().forEach((id, ttl) -> leases.put(id, new Lease(id, ttl, now + ttl * 1000)));
        store.leasedKeys().forEach((key, id) -> attach(id, key));
        // END SOLUTION
    }
}
