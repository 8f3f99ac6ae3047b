package minietcd.kit.mvcc;

/**
 * Lab 3: etcd's multi-version key-value store (its mvcc.KV). Every successful write request that
 * changes something creates exactly one new revision; reads see the store at a revision. A fresh
 * store is at revision 1. Single-threaded; must not block; must not read the wall clock (time for
 * leases comes from the clock it was given).
 *
 * <p>Every method validates its request first and, on error, throws an {@link EtcdException}
 * with etcd's code and message and leaves the store exactly as it was.
 */
public interface KV extends AutoCloseable {
    /** The revision of the last write (1 for a fresh store). */
    long currentRevision();

    /** The revision of the last compaction (0 if none). */
    long compactRevision();

    KvResponse.Range range(KvRequest.Range request);

    KvResponse.Put put(KvRequest.Put request);

    KvResponse.DeleteRange deleteRange(KvRequest.DeleteRange request);

    KvResponse.Txn txn(KvRequest.Txn request);

    /**
     * Lab 3 part C: the changes made at one revision, in the order they were made, each with the
     * key as it was at revision - 1 (null if it did not exist, or that history was compacted), as
     * etcd gives prev_kv even when a txn changed the key twice; a PUT that creates the key (version
     * 1) has none, as etcd's watch gives a create none, even when the txn deleted the key first. This is
     * what watchers replay from history. At the compaction revision itself, a delete made at it is
     * gone: compaction drops a key deleted at or before that point, tombstone and all, as etcd does.
     *
     * @throws EtcdException compacted below the compaction revision, future revision above the current one
     */
    java.util.List<Event> changesAt(long revision);

    /** Forgets history before {@code revision}; returns the current revision. */
    long compact(long revision);

    /** Lab 3 part D: the store's leases. */
    Leases leases();

    @Override
    void close();
}
