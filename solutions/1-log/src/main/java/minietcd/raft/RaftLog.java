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
    // BEGIN SOLUTION
    /** The snapshot that replaced entries 1..snapshot.index(). */
    private Snapshot snapshot = Snapshot.NONE;
    /** entries.get(i) has index snapshot.index() + 1 + i; terms never decrease along the list. */
    private final List<Entry> entries = new ArrayList<>();
    // END SOLUTION

    /** Rebuilds the log from what {@code storage} recovered at start. */
    public RaftLog(RaftStorage storage, RaftStorage.Recovered recovered) {
        this.storage = storage;
        // TODO(lab 1 part A): keep the recovered snapshot and entries
        // BEGIN SOLUTION
        this.snapshot = recovered.snapshot();
        this.entries.addAll(recovered.entries());
        // END SOLUTION
    }

    @Override
    public long firstIndex() {
        // TODO(lab 1 part A): the first index held as an entry: the snapshot's index + 1
        // BEGIN SOLUTION
        return snapshot.index() + 1;
        // END SOLUTION
    }

    @Override
    public long lastIndex() {
        // TODO(lab 1 part A): the last index, or the snapshot's index if no entry follows it
        // BEGIN SOLUTION
        return snapshot.index() + entries.size();
        // END SOLUTION
    }

    @Override
    public long lastTerm() {
        // TODO(lab 1 part A): the last entry's term, or the snapshot's term if no entry follows it
        // BEGIN SOLUTION
        return entries.isEmpty() ? snapshot.term() : entries.get(entries.size() - 1).term();
        // END SOLUTION
    }

    @Override
    public long term(long index) {
        // TODO(lab 1 part A): 0 at index 0, the snapshot's term at its index, an entry's term after it
        // BEGIN SOLUTION
        if (index == snapshot.index()) return snapshot.term();
        if (index < snapshot.index() || index > lastIndex())
            throw new IllegalArgumentException("no term for index " + index + ": the log holds " + snapshot.index() + ".." + lastIndex());
        return entries.get(offset(index)).term();
        // END SOLUTION
    }

    @Override
    public boolean matches(long index, long term) {
        // TODO(lab 1 part A): does the log hold index with this term? (indexes before the snapshot: assume they do)
        // BEGIN SOLUTION
        if (index > lastIndex()) return false;
        if (index < snapshot.index()) return true; // covered by the snapshot, so committed, so it matches
        return term(index) == term;
        // END SOLUTION
    }

    @Override
    public Entry entry(long index) {
        // TODO(lab 1 part A): the entry at an index in [firstIndex, lastIndex]
        // BEGIN SOLUTION
        if (index < firstIndex() || index > lastIndex())
            throw new IllegalArgumentException("no entry " + index + ": the log holds " + firstIndex() + ".." + lastIndex());
        return entries.get(offset(index));
        // END SOLUTION
    }

    @Override
    public List<Entry> entries(long from, int max) {
        // TODO(lab 1 part A): up to max entries from `from` on
        // BEGIN SOLUTION
        if (from < firstIndex() || from > lastIndex() + 1)
            throw new IllegalArgumentException("cannot read from " + from + ": the log holds " + firstIndex() + ".." + lastIndex());
        int start = offset(from);
        return List.copyOf(entries.subList(start, (int) Math.min(entries.size(), (long) start + max)));
        // END SOLUTION
    }

    @Override
    public long append(long term, String command) {
        // TODO(lab 1 part A): add an entry at the end and write it to storage
        // BEGIN SOLUTION
        if (term < lastTerm()) throw new IllegalArgumentException("term " + term + " is older than the last entry's " + lastTerm());
        Entry e = new Entry(lastIndex() + 1, term, command);
        entries.add(e);
        storage.append(List.of(e));
        return e.index();
        // END SOLUTION
    }

    @Override
    public long appendFromLeader(long prevIndex, List<Entry> batch, long committed) {
        // TODO(lab 1 part A): skip entries already held, cut the log at the first conflict (never a committed entry), append the rest
        // BEGIN SOLUTION
        long last = prevIndex + batch.size();
        for (int i = 0; i < batch.size(); i++) {
            Entry e = batch.get(i);
            if (e.index() <= snapshot.index()) continue; // already compacted, so committed and equal
            if (e.index() <= lastIndex() && term(e.index()) == e.term()) continue;
            if (e.index() <= committed)
                throw new IllegalStateException("entry " + e.index() + " conflicts with a committed entry of term " + term(e.index()));
            while (lastIndex() >= e.index()) entries.remove(entries.size() - 1);
            List<Entry> rest = batch.subList(i, batch.size());
            entries.addAll(rest);
            storage.append(rest);
            break;
        }
        return last;
        // END SOLUTION
    }

    @Override
    public Snapshot snapshot() {
        // TODO(lab 1 part C): the latest snapshot
        // BEGIN SOLUTION
        return snapshot;
        // END SOLUTION
    }

    @Override
    public void compact(Snapshot s) {
        // TODO(lab 1 part C): replace the log up to s.index() with s, keeping later entries only if they agree with it
        // BEGIN SOLUTION
        if (s.index() <= snapshot.index()) return;
        boolean agrees = s.index() <= lastIndex() && term(s.index()) == s.term();
        List<Entry> rest = agrees ? new ArrayList<>(entries.subList(offset(s.index()) + 1, entries.size())) : List.of();
        entries.clear();
        entries.addAll(rest);
        snapshot = s;
        storage.saveSnapshot(s);
        // END SOLUTION
    }

    // BEGIN SOLUTION
    private int offset(long index) {
        return (int) (index - snapshot.index() - 1);
    }
    // END SOLUTION
}
