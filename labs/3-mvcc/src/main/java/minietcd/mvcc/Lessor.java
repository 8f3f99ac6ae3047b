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

    public Lessor(MvccStore store, Backend backend, LongSupplier clock) {
        this.store = store;
        this.backend = backend;
        this.clock = clock;
    }

    @Override
    public Granted grant(long id, long ttlSeconds) {
        // TODO(lab 3 part D): choose an id if 0, refuse a taken one, raise the TTL to the minimum, persist; a grant makes no revision
        throw new UnsupportedOperationException("TODO(lab 3 part D): choose an id if 0, refuse a taken one, raise the TTL to the minimum, persist; a grant makes no revision");
    }

    @Override
    public long revoke(long id) {
        // TODO(lab 3 part D): forget the lease and delete its keys in one revision; an unknown lease is an error
        throw new UnsupportedOperationException("TODO(lab 3 part D): forget the lease and delete its keys in one revision; an unknown lease is an error");
    }

    @Override
    public long keepAlive(long id) {
        // TODO(lab 3 part D): push the deadline a whole TTL from now; 0 for an unknown lease
        throw new UnsupportedOperationException("TODO(lab 3 part D): push the deadline a whole TTL from now; 0 for an unknown lease");
    }

    @Override
    public TimeToLive timeToLive(long id, boolean keys) {
        // TODO(lab 3 part D): remaining whole seconds (rounded down), the granted TTL, and the keys if asked; TTL -1 for an unknown lease
        throw new UnsupportedOperationException("TODO(lab 3 part D): remaining whole seconds (rounded down), the granted TTL, and the keys if asked; TTL -1 for an unknown lease");
    }

    @Override
    public List<Long> leases() {
        // TODO(lab 3 part D): every lease's id
        throw new UnsupportedOperationException("TODO(lab 3 part D): every lease's id");
    }

    @Override
    public int expire() {
        // TODO(lab 3 part D): revoke every lease whose deadline has passed, oldest deadline first
        throw new UnsupportedOperationException("TODO(lab 3 part D): revoke every lease whose deadline has passed, oldest deadline first");
    }

    /** Whether the lease exists (a put with an unknown lease is refused). */
    boolean exists(long id) {
        // TODO(lab 3 part D): is there such a lease?
        throw new UnsupportedOperationException("TODO(lab 3 part D): is there such a lease?");
    }

    /** A put attached {@code key} to lease {@code id}. */
    void attach(long id, Bytes key) {
        // TODO(lab 3 part D): remember that key belongs to the lease
        throw new UnsupportedOperationException("TODO(lab 3 part D): remember that key belongs to the lease");
    }

    /** {@code key} left lease {@code id} (deleted, or put with another lease). */
    void detach(long id, Bytes key) {
        // TODO(lab 3 part D): forget that key belongs to the lease
        throw new UnsupportedOperationException("TODO(lab 3 part D): forget that key belongs to the lease");
    }

    /** Rebuilds the leases from the backend and the live keys' lease fields, each with a whole TTL from now. */
    void recover() {
        // TODO(lab 3 part D): rebuild the leases from the backend, and their keys from the store
        if (!backend.leases().isEmpty())
            throw new UnsupportedOperationException("TODO(lab 3 part D): rebuild the leases from the backend");
    }
}
