package minietcd.kit.replica;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import minietcd.kit.etcd.EtcdRequest;
import minietcd.kit.mvcc.Leases;

/**
 * When each lease runs out, on the clock of the entries that granted and renewed it, so that every
 * member judges expiry alike; the leader proposes a revoke for each lease whose time is up (see
 * {@link #due}), and a new leader first gives every lease a whole TTL (as etcd's lessor promotion
 * does). Deterministic; a member's node owns one.
 */
final class LeaseDeadlines {
    /** How long the leader waits before it proposes a lease's revoke again (the first may be lost). */
    static final long REVOKE_RETRY_MS = 1_000;

    /** Every lease's TTL and deadline, in ms. */
    private final Map<Long, long[]> leases = new TreeMap<>();
    /** On the leader: when it last proposed a lease's revoke. */
    private final Map<Long, Long> revoking = new TreeMap<>();

    /** Keeps the deadlines as an applied command sets them (grant, keep-alive, revoke). */
    void applied(Command c) {
        if (c.request() instanceof EtcdRequest.LeaseGrant g) {
            long ttl = Math.max(g.ttl(), Leases.MIN_TTL) * 1000;
            leases.put(g.id(), new long[] {ttl, c.time() + ttl});
        } else if (c.request() instanceof EtcdRequest.LeaseKeepAlive k) {
            for (long id : k.ids()) {
                long[] l = leases.get(id);
                if (l != null) l[1] = c.time() + l[0];
            }
        } else if (c.request() instanceof EtcdRequest.LeaseRevoke r) {
            leases.remove(r.id());
            revoking.remove(r.id());
        }
    }

    /** The leases whose deadline has passed and whose revoke was not proposed lately; each is noted as proposed now. */
    List<Long> due(long now) {
        List<Long> due = new ArrayList<>();
        for (Map.Entry<Long, long[]> l : leases.entrySet()) {
            Long last = revoking.get(l.getKey());
            if (l.getValue()[1] <= now && (last == null || now - last >= REVOKE_RETRY_MS)) due.add(l.getKey());
        }
        for (long id : due) revoking.put(id, now);
        return due;
    }

    /** This member became leader at {@code now}: every lease gets at least a whole TTL from now. */
    void promoted(long now) {
        for (long[] l : leases.values()) l[1] = Math.max(l[1], now + l[0]);
        revoking.clear();
    }

    /** The store was opened or replaced: every lease it holds gets a whole TTL from {@code now}. */
    void reload(Leases store, long now) {
        leases.clear();
        revoking.clear();
        for (long id : store.leases()) {
            long ttl = store.timeToLive(id, false).grantedTtl() * 1000;
            leases.put(id, new long[] {ttl, now + ttl});
        }
    }
}
