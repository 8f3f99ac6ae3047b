package minietcd.kit.backend;

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
 * <p>Nothing here survives the process, or even {@link #close()}: {@link #commit()} has nothing to
 * make durable and does nothing, and a new instance always starts empty. Putting a revision that is
 * already stored replaces it, as in {@link H2Backend}. Not thread-safe: use it from one thread.
 */
public final class MemoryBackend implements Backend {
    private final TreeMap<Revision, Stored> history = new TreeMap<>();
    private final TreeMap<Long, Long> leases = new TreeMap<>();
    private final Map<String, Long> meta = new HashMap<>();
    private boolean closed;

    @Override
    public void put(Stored change) {
        checkOpen();
        requireComplete(change);
        history.put(change.revision(), change);
    }

    @Override
    public void remove(Revision revision) {
        checkOpen();
        history.remove(revision);
    }

    @Override
    public List<Stored> history() {
        checkOpen();
        return List.copyOf(history.values());
    }

    @Override
    public void putLease(long id, long ttlSeconds) {
        checkOpen();
        leases.put(id, ttlSeconds);
    }

    @Override
    public void removeLease(long id) {
        checkOpen();
        leases.remove(id);
    }

    @Override
    public Map<Long, Long> leases() {
        checkOpen();
        return Collections.unmodifiableMap(new TreeMap<>(leases));
    }

    @Override
    public void putMeta(String name, long value) {
        checkOpen();
        meta.put(Objects.requireNonNull(name, "name"), value);
    }

    @Override
    public long meta(String name, long absent) {
        checkOpen();
        return meta.getOrDefault(name, absent);
    }

    /** Does nothing: there is no disk behind this backend. */
    @Override
    public void commit() {
        checkOpen();
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
