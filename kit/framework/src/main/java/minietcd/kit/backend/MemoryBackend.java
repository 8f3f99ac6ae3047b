package minietcd.kit.backend;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import minietcd.kit.mvcc.Backend;
import minietcd.kit.mvcc.Revision;

/**
 * A {@link Backend} held in plain collections, for fast tests.
 *
 * <p>Nothing here survives the process, or even {@link #close()}, and a new instance always starts
 * empty. Within one instance it keeps {@link H2Backend}'s promise about commits: {@link #crash()}
 * stands for the process dying, and drops every write since the last {@link #commit()}, as
 * reopening an H2 file after a crash does; a store reopened on this backend then finds exactly what
 * was committed. Putting a revision that is already stored replaces it, as in {@link H2Backend}.
 * Not thread-safe: use it from one thread.
 */
public final class MemoryBackend implements Backend {
    private final TreeMap<Revision, Stored> history = new TreeMap<>();
    private final TreeMap<Long, Long> leases = new TreeMap<>();
    private final Map<String, Long> meta = new HashMap<>();
    /** How to take back each write since the last commit, the latest last. */
    private final List<Runnable> undo = new ArrayList<>();
    private boolean closed;

    @Override
    public void put(Stored change) {
        checkOpen();
        requireComplete(change);
        remember(history, change.revision(), history.put(change.revision(), change));
    }

    /** Notes how to put {@code key} of {@code map} back to {@code previous} (null: absent). */
    private <K, V> void remember(Map<K, V> map, K key, V previous) {
        undo.add(previous == null ? () -> map.remove(key) : () -> map.put(key, previous));
    }

    @Override
    public void remove(Revision revision) {
        checkOpen();
        remember(history, revision, history.remove(revision));
    }

    @Override
    public List<Stored> history() {
        checkOpen();
        return List.copyOf(history.values());
    }

    @Override
    public void putLease(long id, long ttlSeconds) {
        checkOpen();
        remember(leases, id, leases.put(id, ttlSeconds));
    }

    @Override
    public void removeLease(long id) {
        checkOpen();
        remember(leases, id, leases.remove(id));
    }

    @Override
    public Map<Long, Long> leases() {
        checkOpen();
        return Collections.unmodifiableMap(new TreeMap<>(leases));
    }

    @Override
    public void putMeta(String name, long value) {
        checkOpen();
        remember(meta, name, meta.put(Objects.requireNonNull(name, "name"), value));
    }

    @Override
    public long meta(String name, long absent) {
        checkOpen();
        return meta.getOrDefault(name, absent);
    }

    /** Makes every write so far survive a {@link #crash()}: there is no disk behind this backend. */
    @Override
    public void commit() {
        checkOpen();
        undo.clear();
    }

    /**
     * The process died: every write since the last commit is gone, and the backend holds what was
     * committed, for a store opened on it to recover from (the store that wrote here is to be
     * dropped, not closed: closing this backend drops everything).
     */
    public void crash() {
        checkOpen();
        for (int i = undo.size() - 1; i >= 0; i--) undo.get(i).run();
        undo.clear();
    }

    /** Drops everything; later calls throw {@link IllegalStateException}. */
    @Override
    public void close() {
        closed = true;
        history.clear();
        leases.clear();
        meta.clear();
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("memory backend is closed");
    }

    /** Both backends refuse the same incomplete changes, so tests on this one catch what H2 would. */
    static void requireComplete(Stored change) {
        Objects.requireNonNull(change, "change");
        Objects.requireNonNull(change.revision(), "change.revision");
        Objects.requireNonNull(change.kv(), "change.kv");
        Objects.requireNonNull(change.kv().key(), "change.kv.key");
        Objects.requireNonNull(change.kv().value(), "change.kv.value (use Bytes.EMPTY)");
    }
}
