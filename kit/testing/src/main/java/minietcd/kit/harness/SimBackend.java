package minietcd.kit.harness;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import minietcd.kit.mvcc.Backend;
import minietcd.kit.mvcc.Revision;

/**
 * A simulated member's backend, which outlives the member's crashes as a database file would: what
 * was committed survives a crash ({@link #crashed()}), what was written after the last commit does
 * not. Reads see every write at once, as H2's do within its one connection.
 */
final class SimBackend implements Backend {
    /** Every stored change by revision, the leases and the meta numbers: one copy as written, one as committed. */
    private record State(TreeMap<Revision, Stored> history, TreeMap<Long, Long> leases, Map<String, Long> meta) {
        State() {
            this(new TreeMap<>(), new TreeMap<>(), new HashMap<>());
        }

        State copy() {
            return new State(new TreeMap<>(history), new TreeMap<>(leases), new HashMap<>(meta));
        }
    }

    private State working = new State();
    private final State committed = new State();
    private final List<Consumer<State>> uncommitted = new ArrayList<>();

    /** The member crashed: writes since the last commit are gone. */
    void crashed() {
        uncommitted.clear();
        working = committed.copy();
    }

    private void write(Consumer<State> change) {
        change.accept(working);
        uncommitted.add(change);
    }

    @Override public void put(Stored change) { write(s -> s.history().put(change.revision(), change)); }
    @Override public void remove(Revision revision) { write(s -> s.history().remove(revision)); }
    @Override public List<Stored> history() { return List.copyOf(working.history().values()); }
    @Override public void putLease(long id, long ttlSeconds) { write(s -> s.leases().put(id, ttlSeconds)); }
    @Override public void removeLease(long id) { write(s -> s.leases().remove(id)); }
    @Override public Map<Long, Long> leases() { return Collections.unmodifiableMap(new TreeMap<>(working.leases())); }
    @Override public void putMeta(String name, long value) { write(s -> s.meta().put(name, value)); }
    @Override public long meta(String name, long absent) { return working.meta().getOrDefault(name, absent); }

    @Override
    public void commit() {
        for (Consumer<State> change : uncommitted) change.accept(committed);
        uncommitted.clear();
    }

    /** Nothing to close: the backend stays for the member's next incarnation. */
    @Override
    public void close() {}
}
