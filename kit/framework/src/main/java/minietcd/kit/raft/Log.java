package minietcd.kit.raft;

import java.util.List;

/**
 * Lab 1 part A: the replicated log of one node, persisted through {@link RaftStorage}.
 *
 * <p>The log holds a snapshot (possibly empty) followed by entries with consecutive indexes:
 * {@code snapshot().index() + 1 == firstIndex() <= lastIndex() + 1}. Every change is written to
 * the storage as it is made; syncing is the caller's job (it knows when it is about to answer).
 * Implementations are single-threaded and must not block.
 */
public interface Log {
    /** The first index still held as an entry: the snapshot's index + 1. */
    long firstIndex();

    /** The last index in the log (the snapshot's index when no entry follows it; 0 for an empty log). */
    long lastIndex();

    /** The term of the last entry (the snapshot's term when no entry follows it; 0 for an empty log). */
    long lastTerm();

    /**
     * The term of the entry at {@code index}, for an index from the snapshot's on: the snapshot's
     * term at the snapshot's index (0 at index 0 while there is no snapshot, whose index and term
     * are 0), an entry's term after it. Indexes the snapshot covered have no term any more.
     *
     * @throws IllegalArgumentException if index is below the snapshot's index or above lastIndex
     */
    long term(long index);

    /**
     * Whether the log holds an entry at {@code index} with {@code term}: false above lastIndex;
     * true below the snapshot's index (what a snapshot covers was committed, so it matches); else
     * whether {@link #term} at index is {@code term} (so true for 0/0 and for the snapshot's own
     * index and term).
     */
    boolean matches(long index, long term);

    /** The entry at {@code index}, which must be in [firstIndex, lastIndex]. */
    Entry entry(long index);

    /** Up to {@code max} entries from {@code from} on (from must be in [firstIndex, lastIndex + 1]). */
    List<Entry> entries(long from, int max);

    /** The leader appends a new entry in {@code term}; returns its index. */
    long append(long term, String command);

    /**
     * A follower stores the entries that the leader sent after {@code prevIndex} (which the caller
     * checked matches): entries it already holds with the same term are kept, the first entry
     * whose term differs and everything after it are replaced, and new entries are appended.
     * Never removes an entry at or below {@code committed}.
     *
     * @return the index of the last entry of the leader's batch, now in the log
     * @throws IllegalStateException if the batch would remove a committed entry
     */
    long appendFromLeader(long prevIndex, List<Entry> entries, long committed);

    /** The latest snapshot, or {@link Snapshot#NONE}. */
    Snapshot snapshot();

    /**
     * Lab 1 part C: replaces the log up to {@code snapshot.index()} with the snapshot. Entries after
     * it are kept if the log's entry at the snapshot's index has the snapshot's term, and dropped
     * otherwise (a follower receiving a leader's snapshot that its log contradicts).
     */
    void compact(Snapshot snapshot);
}
