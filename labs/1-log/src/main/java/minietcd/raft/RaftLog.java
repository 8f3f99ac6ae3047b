package minietcd.raft;

import java.util.ArrayList;
import java.util.List;
import minietcd.kit.raft.Entry;
import minietcd.kit.raft.Log;
import minietcd.kit.raft.RaftStorage;
import minietcd.kit.raft.Snapshot;

/**
 * Lab 1 part A (and the compaction of part C): the replicated log of one node.
 *
 * <p>In memory it is the latest snapshot followed by the entries after it; every change is also
 * written to {@link RaftStorage}, so that after a crash the constructor can rebuild exactly what
 * was synced. The contract of each method is in {@link Log}.
 */
public final class RaftLog implements Log {
    private final RaftStorage storage;

    /** Rebuilds the log from what {@code storage} recovered at start. */
    public RaftLog(RaftStorage storage, RaftStorage.Recovered recovered) {
        this.storage = storage;
        // TODO(lab 1 part A): keep the recovered snapshot and entries
        throw new UnsupportedOperationException("TODO(lab 1 part A): keep the recovered snapshot and entries");
    }

    @Override
    public long firstIndex() {
        // TODO(lab 1 part A): the first index held as an entry: the snapshot's index + 1
        throw new UnsupportedOperationException("TODO(lab 1 part A): the first index held as an entry: the snapshot's index + 1");
    }

    @Override
    public long lastIndex() {
        // TODO(lab 1 part A): the last index, or the snapshot's index if no entry follows it
        throw new UnsupportedOperationException("TODO(lab 1 part A): the last index, or the snapshot's index if no entry follows it");
    }

    @Override
    public long lastTerm() {
        // TODO(lab 1 part A): the last entry's term, or the snapshot's term if no entry follows it
        throw new UnsupportedOperationException("TODO(lab 1 part A): the last entry's term, or the snapshot's term if no entry follows it");
    }

    @Override
    public long term(long index) {
        // TODO(lab 1 part A): 0 at index 0, the snapshot's term at its index, an entry's term after it
        throw new UnsupportedOperationException("TODO(lab 1 part A): 0 at index 0, the snapshot's term at its index, an entry's term after it");
    }

    @Override
    public boolean matches(long index, long term) {
        // TODO(lab 1 part A): does the log hold index with this term? (indexes before the snapshot: assume they do)
        throw new UnsupportedOperationException("TODO(lab 1 part A): does the log hold index with this term? (indexes before the snapshot: assume they do)");
    }

    @Override
    public Entry entry(long index) {
        // TODO(lab 1 part A): the entry at an index in [firstIndex, lastIndex]
        throw new UnsupportedOperationException("TODO(lab 1 part A): the entry at an index in [firstIndex, lastIndex]");
    }

    @Override
    public List<Entry> entries(long from, int max) {
        // TODO(lab 1 part A): up to max entries from `from` on
        throw new UnsupportedOperationException("TODO(lab 1 part A): up to max entries from `from` on");
    }

    @Override
    public long append(long term, String command) {
        // TODO(lab 1 part A): add an entry at the end and write it to storage
        throw new UnsupportedOperationException("TODO(lab 1 part A): add an entry at the end and write it to storage");
    }

    @Override
    public long appendFromLeader(long prevIndex, List<Entry> batch, long committed) {
        // TODO(lab 1 part A): skip entries already held, cut the log at the first conflict (never a committed entry), append the rest
        throw new UnsupportedOperationException("TODO(lab 1 part A): skip entries already held, cut the log at the first conflict (never a committed entry), append the rest");
    }

    @Override
    public Snapshot snapshot() {
        // TODO(lab 1 part C): the latest snapshot
        throw new UnsupportedOperationException("TODO(lab 1 part C): the latest snapshot");
    }

    @Override
    public void compact(Snapshot s) {
        // TODO(lab 1 part C): replace the log up to s.index() with s, keeping later entries only if they agree with it
        throw new UnsupportedOperationException("TODO(lab 1 part C): replace the log up to s.index() with s, keeping later entries only if they agree with it");
    }

}
