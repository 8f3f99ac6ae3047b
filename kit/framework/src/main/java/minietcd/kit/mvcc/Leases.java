package minietcd.kit.mvcc;

import java.util.List;

/**
 * Lab 3 part D: leases (etcd's lease.Lessor). A lease lives for its TTL unless kept alive; when
 * it is revoked or expires, every key attached to it is deleted in one revision. Time comes from
 * the clock the store was given, in milliseconds; nothing reads the wall clock.
 */
public interface Leases {
    /** The minimum TTL etcd grants, in seconds: asking for less gives this. */
    long MIN_TTL = 2;

    record Granted(long revision, long id, long ttl) {}

    /** @param ttl remaining seconds, -1 if the lease does not exist; {@code keys} only when asked for */
    record TimeToLive(long revision, long id, long ttl, long grantedTtl, List<Bytes> keys) {
        public TimeToLive {
            keys = List.copyOf(keys);
        }
    }

    /** Grants a lease; {@code id} 0 lets the store choose one. Throws leaseExists for a taken id. */
    Granted grant(long id, long ttlSeconds);

    /** Revokes a lease and deletes its keys; returns the revision after. Throws leaseNotFound. */
    long revoke(long id);

    /** Renews a lease; returns its TTL, or 0 if there is no such lease (not an error). */
    long keepAlive(long id);

    TimeToLive timeToLive(long id, boolean keys);

    /** Every lease's id, in no particular order. */
    List<Long> leases();

    /** Revokes every lease whose time is up; returns how many. */
    int expire();
}
