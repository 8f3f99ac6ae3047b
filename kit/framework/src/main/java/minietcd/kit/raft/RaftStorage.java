package minietcd.kit.raft;

import java.util.List;

/**
 * The durable part of a Raft node: hard state, log entries and the latest snapshot, written
 * through a write-ahead log. Writes are buffered until {@link #sync()}; a node must sync before it
 * answers with anything that depends on them (a granted vote, an acknowledged entry).
 */
public interface RaftStorage {
    /** What survived on disk, as read at start. */
    record Recovered(HardState hardState, Snapshot snapshot, List<Entry> entries) {
        public Recovered {
            entries = List.copyOf(entries);
        }
    }

    /** Reads the disk: the last hard state, the last snapshot and the entries after it. */
    Recovered load();

    void saveHardState(HardState state);

    /**
     * Appends entries with consecutive indexes. The first may repeat an index already stored: the
     * stored entries from that index on are replaced (a follower truncating a conflicting suffix).
     *
     * @throws IllegalArgumentException if the entries are not consecutive or would leave a gap
     */
    void append(List<Entry> entries);

    /** Stores a snapshot and forgets the entries it covers; entries after it that agree with it are kept. */
    void saveSnapshot(Snapshot snapshot);

    /** Makes every earlier write durable. */
    void sync();

    /** Whether something was written since the last sync. */
    boolean dirty();
}
