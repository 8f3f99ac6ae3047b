package minietcd.kit.replica;

import java.util.List;
import java.util.Map;
import minietcd.kit.mvcc.Backend;

/**
 * A backend whose {@link #commit()} waits for the replicated store's {@link #flush()}, which it calls
 * once at the end of each event: an event may apply many entries, each with its commits, and they
 * become one backend commit. A replicated store needs no forced commit per write: the Raft log
 * already holds every applied command durably, and the consistent index, written with the writes,
 * says where to resume. What it does need is that the writes of an entry and the index of that entry
 * reach the file together, which one commit of both gives (an H2 backend opened for a replicated
 * store writes its commits to the file in the background; a crash takes it back to a commit).
 */
final class DeferredCommitBackend implements Backend {
    private final Backend backend;
    private boolean pending;

    DeferredCommitBackend(Backend backend) {
        this.backend = backend;
    }

    /** Commits what the store committed since the last flush, in one backend commit. */
    void flush() {
        if (!pending) return;
        pending = false;
        backend.commit();
    }

    /** Commits everything written so far and forces it to the device: the backend now stands for the log up to here. */
    void flushForced() {
        pending = false;
        backend.commitForced();
    }

    @Override public void commit() { pending = true; }
    @Override public void put(Stored change) { backend.put(change); }
    @Override public void remove(minietcd.kit.mvcc.Revision revision) { backend.remove(revision); }
    @Override public List<Stored> history() { return backend.history(); }
    @Override public void putLease(long id, long ttlSeconds) { backend.putLease(id, ttlSeconds); }
    @Override public void removeLease(long id) { backend.removeLease(id); }
    @Override public Map<Long, Long> leases() { return backend.leases(); }
    @Override public void putMeta(String name, long value) { pending = true; backend.putMeta(name, value); }
    @Override public long meta(String name, long absent) { return backend.meta(name, absent); }
    @Override public void close() { backend.close(); }
}
