package minietcd.kit.mvcc;

import java.util.List;
import java.util.Map;

/**
 * Where the store keeps its history, as etcd keeps it in bbolt: every revision's key-value (or
 * tombstone) by revision, the leases, and a few named numbers (the compacted revision, the
 * consistent index). Writes take effect in memory at once and become durable at {@link #commit()}.
 * On restart the store rebuilds its key index from {@link #history()}.
 */
public interface Backend extends AutoCloseable {
    /** The meta name of the revision of the last compaction. */
    String COMPACT_REVISION = "compact_revision";
    /** The meta name of the last Raft log index applied to the store (a replicated store's). */
    String CONSISTENT_INDEX = "consistent_index";

    /** One stored change. A tombstone's kv holds only the key and the deleting revision. */
    record Stored(Revision revision, KeyValue kv, boolean tombstone) {}

    void put(Stored change);

    /** Forgets one revision (compaction). */
    void remove(Revision revision);

    /** Every stored change, in revision order. */
    List<Stored> history();

    void putLease(long id, long ttlSeconds);

    void removeLease(long id);

    /** Every lease: id to granted TTL in seconds. */
    Map<Long, Long> leases();

    void putMeta(String name, long value);

    long meta(String name, long absent);

    /** Makes every earlier write durable, atomically. */
    void commit();

    /**
     * Commits, and forces the commit to the device even where this backend's commits are not forced
     * each time (an H2 backend opened for a replicated store): for when nothing else holds what was
     * written, such as before a Raft log forgets the entries that the store has applied.
     */
    default void commitForced() {
        commit();
    }

    @Override
    void close();
}
