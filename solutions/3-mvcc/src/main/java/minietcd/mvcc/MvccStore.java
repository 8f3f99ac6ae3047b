package minietcd.mvcc;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import minietcd.kit.mvcc.Backend;
import minietcd.kit.mvcc.Bytes;
import minietcd.kit.mvcc.EtcdException;
import minietcd.kit.mvcc.Event;
import minietcd.kit.mvcc.KV;
import minietcd.kit.mvcc.KeyValue;
import minietcd.kit.mvcc.KvRequest;
import minietcd.kit.mvcc.KvResponse;
import minietcd.kit.mvcc.Leases;
import minietcd.kit.mvcc.Revision;

/**
 * Lab 3: etcd's multi-version store. The key index ({@link KeyIndex} per key, in key order) says
 * which revision of a key a read at some revision sees; the revisions themselves are kept in memory
 * and in the {@link Backend}, from which a restarted store rebuilds everything. Requests, validation
 * and errors are etcd 3.4's; the contract is in {@link KV}. Txns are in {@link Txns}.
 */
public final class MvccStore implements KV {
    static final String COMPACT_REVISION = "compact_revision";

    private final Backend backend;
    private final Lessor lessor;
    // BEGIN SOLUTION
    /** Every key that has history, in key order. */
    private final NavigableMap<Bytes, KeyIndex> index = new TreeMap<>();
    /** Every stored change not compacted away, by revision (tombstones too). */
    private final NavigableMap<Revision, Backend.Stored> revisions = new TreeMap<>();
    /** The revision of the last write; 1 for a fresh store. */
    private long currentRevision = 1;
    /** The revision of the last compaction; -1 before the first, as etcd counts it (so a fresh store may be compacted at 0, once). */
    private long compactRevision = -1;
    /** The write in progress: its main revision and how many changes it made so far; null between writes. */
    private Write write;

    /** One write request in progress: all its changes share {@code main}. */
    static final class Write {
        final long main;
        int changes;

        Write(long main) {
            this.main = main;
        }

        Revision next() {
            return new Revision(main, changes++);
        }
    }
    // END SOLUTION

    /** Opens the store on {@code backend}, rebuilding it from what the backend holds; {@code clock} gives lease time in milliseconds. */
    public MvccStore(Backend backend, LongSupplier clock) {
        this.backend = backend;
        this.lessor = new Lessor(this, backend, clock);
        recover();
    }

    @Override
    public long currentRevision() {
        // TODO(lab 3 part A): the revision of the last write (1 for a fresh store)
        // BEGIN SOLUTION
        return currentRevision;
        // END SOLUTION
    }

    @Override
    public long compactRevision() {
        // TODO(lab 3 part C): the revision of the last compaction (0 if none)
        // BEGIN SOLUTION
        return Math.max(0, compactRevision);
        // END SOLUTION
    }

    @Override
    public Leases leases() {
        return lessor;
    }

    // ---- part A: put, delete, range -------------------------------------------------------

    @Override
    public KvResponse.Range range(KvRequest.Range r) {
        // TODO(lab 3 part A): validate, check the revision (future? compacted?), collect the keys alive at it, then filter, sort, limit
        // BEGIN SOLUTION
        Txns.checkRange(r);
        checkRevision(r.revision());
        return rangeAt(r, readRevision(r.revision()), currentRevision);
        // END SOLUTION
    }

    @Override
    public KvResponse.Put put(KvRequest.Put r) {
        // TODO(lab 3 part A): validate, then write the key at a new revision (create revision, mod revision, version as etcd keeps them)
        // BEGIN SOLUTION
        Txns.checkPut(r);
        checkPutAgainstStore(r);
        Write w = begin();
        KeyValue prev = doPut(w, r);
        return new KvResponse.Put(end(w), prev);
        // END SOLUTION
    }

    @Override
    public KvResponse.DeleteRange deleteRange(KvRequest.DeleteRange r) {
        // TODO(lab 3 part A): validate, then delete every live key in the range at one new revision (none deleted: no new revision)
        // BEGIN SOLUTION
        Txns.checkDelete(r);
        Write w = begin();
        List<KeyValue> deleted = doDelete(w, live(r.key(), r.rangeEnd()));
        return new KvResponse.DeleteRange(end(w), deleted.size(), r.prevKv() ? deleted : List.of());
        // END SOLUTION
    }

    // ---- part B: txn ------------------------------------------------------------------------

    @Override
    public KvResponse.Txn txn(KvRequest.Txn t) {
        // TODO(lab 3 part B): validate, evaluate every compare on the store as it is, check the chosen ops, then run them in one revision
        // BEGIN SOLUTION
        Txns txns = new Txns(this);
        Txns.checkTxn(t);
        Txns.Path path = txns.plan(t);
        txns.checkPath(t, path);
        Write w = begin();
        KvResponse.Txn response = txns.run(w, t, path);
        return new KvResponse.Txn(end(w), response.succeeded(), response.responses());
        // END SOLUTION
    }

    // ---- part C: compaction and recovery --------------------------------------------------------

    @Override
    public long compact(long rev) {
        // TODO(lab 3 part C): reject a revision at or below the last compaction (-1 for a store never compacted, as in etcd: compacting at 0 works once), or in the future; compact every key index; forget what no index keeps
        // BEGIN SOLUTION
        if (rev <= compactRevision) throw EtcdException.compacted();
        if (rev > currentRevision) throw EtcdException.futureRevision();
        Set<Revision> keep = new HashSet<>();
        for (Iterator<KeyIndex> it = index.values().iterator(); it.hasNext(); ) if (it.next().compact(rev, keep)) it.remove();
        for (Iterator<Revision> it = revisions.headMap(new Revision(rev, Long.MAX_VALUE), true).keySet().iterator(); it.hasNext(); ) {
            Revision old = it.next();
            if (keep.contains(old)) continue;
            it.remove();
            backend.remove(old);
        }
        compactRevision = rev;
        backend.putMeta(COMPACT_REVISION, rev);
        backend.commit();
        return currentRevision;
        // END SOLUTION
    }

    @Override
    public List<Event> changesAt(long rev) {
        // TODO(lab 3 part C): the stored changes of main revision rev in order, as PUT or DELETE events with the key as it was at rev - 1
        // BEGIN SOLUTION
        if (rev > currentRevision) throw EtcdException.futureRevision();
        if (rev < compactRevision) throw EtcdException.compacted();
        List<Event> out = new ArrayList<>();
        for (Backend.Stored s : revisions.subMap(new Revision(rev, 0), true, new Revision(rev, Long.MAX_VALUE), true).values()) {
            Revision before = index.get(s.kv().key()).before(new Revision(rev, 0)); // as etcd: the key at rev - 1
            Backend.Stored prev = before == null ? null : revisions.get(before);
            boolean created = !s.tombstone() && s.kv().version() == 1; // etcd gives a create no prev_kv, even if the key lived at rev - 1
            out.add(new Event(s.tombstone() ? Event.Type.DELETE : Event.Type.PUT, s.kv(), prev == null || prev.tombstone() || created ? null : prev.kv()));
        }
        return out;
        // END SOLUTION
    }

    /** Rebuilds the key index, the revisions and the leases from the backend. */
    private void recover() {
        // TODO(lab 3 part C): replay the backend's history in revision order into the key index; restore the revisions and the compaction point
        // BEGIN SOLUTION
        // STUB: if (!backend.history().isEmpty())
        // STUB:     throw new UnsupportedOperationException("TODO(lab 3 part C): rebuild the store from the backend's history");
        // STUB: lessor.recover();
        compactRevision = backend.meta(COMPACT_REVISION, -1);
        currentRevision = Math.max(1, compactRevision);
        for (Backend.Stored s : backend.history()) {
            KeyIndex ki = index.computeIfAbsent(s.kv().key(), KeyIndex::new);
            if (s.tombstone()) {
                if (ki.live()) ki.tombstone(s.revision());
            } else {
                ki.restore(new Revision(s.kv().createRevision(), 0), s.revision(), s.kv().version());
            }
            revisions.put(s.revision(), s);
            currentRevision = Math.max(currentRevision, s.revision().main());
        }
        lessor.recover();
        // END SOLUTION
    }

    @Override
    public void close() {
        backend.close();
    }

    // BEGIN SOLUTION
    // ---- used by Txns and Lessor --------------------------------------------------------------

    /** Throws etcd's errors for a read revision in the future or compacted away (0 or less: latest). */
    void checkRevision(long rev) {
        if (rev > currentRevision) throw EtcdException.futureRevision();
        if (rev > 0 && rev < compactRevision) throw EtcdException.compacted();
    }

    /**
     * etcd 3.4's check of a range's revision inside a txn, which is not a plain range's: any revision
     * other than 0 below the compaction point is compacted, negative ones included (so -1 passes only
     * on a store never compacted, whose point is -1), and one above the current revision is future.
     */
    void checkRevisionInTxn(long rev) {
        if (rev == 0) return;
        if (rev > currentRevision) throw EtcdException.futureRevision();
        if (rev < compactRevision) throw EtcdException.compacted();
    }

    /** The revision a read sees: the one asked for, else the latest (inside a write, the write's own). */
    long readRevision(long asked) {
        if (asked > 0) return asked;
        return write != null && write.changes > 0 ? write.main : currentRevision;
    }

    boolean leaseExists(long id) {
        return lessor.exists(id);
    }

    /** Put checks that need the store: the lease must exist; ignore_value and ignore_lease need the key. */
    void checkPutAgainstStore(KvRequest.Put r) {
        if (r.lease() != 0 && !lessor.exists(r.lease())) throw EtcdException.leaseNotFound();
        if ((r.ignoreValue() || r.ignoreLease()) && latest(r.key()) == null) throw EtcdException.keyNotFound();
    }

    KvResponse.Range rangeAt(KvRequest.Range r, long rev, long headerRevision) {
        List<KeyValue> all = keysAt(r.key(), r.rangeEnd(), rev);
        List<KeyValue> kvs = new ArrayList<>();
        for (KeyValue kv : all) {
            if (r.minModRevision() != 0 && kv.modRevision() < r.minModRevision()) continue;
            if (r.maxModRevision() != 0 && kv.modRevision() > r.maxModRevision()) continue;
            if (r.minCreateRevision() != 0 && kv.createRevision() < r.minCreateRevision()) continue;
            if (r.maxCreateRevision() != 0 && kv.createRevision() > r.maxCreateRevision()) continue;
            kvs.add(kv);
        }
        KvRequest.SortOrder order = r.sortOrder();
        if (order == KvRequest.SortOrder.NONE && r.sortTarget() != KvRequest.SortTarget.KEY) {
            order = KvRequest.SortOrder.ASCEND;
            // etcd 3.4's quirk: with no order given and no filter, the limit is applied before the sort, in key order: limit + 1 keys are read, then sorted
            boolean filtered = r.minModRevision() != 0 || r.maxModRevision() != 0 || r.minCreateRevision() != 0 || r.maxCreateRevision() != 0;
            if (r.limit() > 0 && !filtered && kvs.size() > r.limit() + 1) kvs = new ArrayList<>(kvs.subList(0, (int) r.limit() + 1));
        }
        if (order != KvRequest.SortOrder.NONE) {
            Comparator<KeyValue> by = switch (r.sortTarget()) {
                case KEY -> Comparator.comparing(KeyValue::key);
                case VERSION -> Comparator.comparingLong(KeyValue::version);
                case CREATE -> Comparator.comparingLong(KeyValue::createRevision);
                case MOD -> Comparator.comparingLong(KeyValue::modRevision);
                case VALUE -> Comparator.comparing(KeyValue::value);
            };
            kvs.sort(order == KvRequest.SortOrder.DESCEND ? by.reversed() : by);
        }
        boolean more = false;
        if (r.limit() > 0 && kvs.size() > r.limit()) {
            kvs = new ArrayList<>(kvs.subList(0, (int) r.limit()));
            more = true;
        }
        if (r.countOnly()) return new KvResponse.Range(headerRevision, List.of(), false, all.size());
        if (r.keysOnly()) kvs.replaceAll(KeyValue::withoutValue);
        return new KvResponse.Range(headerRevision, kvs, more, all.size());
    }

    /** The keys of [key, end) as they were at {@code rev}, in key order. */
    List<KeyValue> keysAt(Bytes key, Bytes end, long rev) {
        List<KeyValue> out = new ArrayList<>();
        for (KeyIndex ki : keyIndexes(key, end)) {
            KeyIndex.Found f = ki.get(rev);
            if (f != null) out.add(revisions.get(f.modified()).kv());
        }
        return out;
    }

    /** The live keys of [key, end) now (inside a write, with its changes). */
    List<KeyValue> live(Bytes key, Bytes end) {
        return keysAt(key, end, readRevision(0));
    }

    /** A key as it is now, or null. */
    KeyValue latest(Bytes key) {
        KeyIndex ki = index.get(key);
        if (ki == null || !ki.live()) return null;
        KeyIndex.Found f = ki.get(readRevision(0));
        return f == null ? null : revisions.get(f.modified()).kv();
    }

    private Collection<KeyIndex> keyIndexes(Bytes key, Bytes end) {
        if (end.isEmpty()) {
            KeyIndex ki = index.get(key);
            return ki == null ? List.of() : List.of(ki);
        }
        if (end.equals(Bytes.ZERO)) return index.tailMap(key, true).values();
        if (end.compareTo(key) <= 0) return List.of();
        return index.subMap(key, true, end, false).values();
    }

    Write begin() {
        if (write != null) throw new IllegalStateException("a write is already in progress");
        write = new Write(currentRevision + 1);
        return write;
    }

    /** Ends a write: if it changed anything, that is the new revision, committed to the backend. Returns the response header's revision. */
    long end(Write w) {
        write = null;
        if (w.changes == 0) return currentRevision;
        currentRevision = w.main;
        backend.commit();
        return currentRevision;
    }

    /** Writes one key; returns the previous version of it if the request asked for it. */
    KeyValue doPut(Write w, KvRequest.Put r) {
        KeyValue prev = latest(r.key());
        Bytes value = r.ignoreValue() ? prev.value() : r.value();
        long lease = r.ignoreLease() ? prev.lease() : r.lease();
        Revision rev = w.next();
        KeyIndex ki = index.get(r.key());
        KeyIndex.Found now = ki == null || !ki.live() ? null : ki.get(readRevision(0)); // as etcd does: creation and version from the index
        KeyValue kv = new KeyValue(r.key(), now == null ? rev.main() : now.created().main(), rev.main(),
                now == null ? 1 : now.version() + 1, value, lease);
        index.computeIfAbsent(r.key(), KeyIndex::new).put(rev);
        store(new Backend.Stored(rev, kv, false));
        if (prev != null && prev.lease() != 0 && prev.lease() != lease) lessor.detach(prev.lease(), r.key());
        if (lease != 0) lessor.attach(lease, r.key());
        return r.prevKv() ? prev : null;
    }

    /** Deletes the given live keys; returns them as they were. */
    List<KeyValue> doDelete(Write w, List<KeyValue> keys) {
        for (KeyValue kv : keys) {
            Revision rev = w.next();
            index.get(kv.key()).tombstone(rev);
            store(new Backend.Stored(rev, new KeyValue(kv.key(), 0, rev.main(), 0, Bytes.EMPTY, 0), true));
            if (kv.lease() != 0) lessor.detach(kv.lease(), kv.key());
        }
        return keys;
    }

    /** Lab 3 part D: deletes a revoked lease's keys, all in one revision; returns the revision after. */
    long deleteKeys(Collection<Bytes> keys) {
        Write w = begin();
        List<KeyValue> live = new ArrayList<>();
        for (Bytes k : keys) {
            KeyValue kv = latest(k);
            if (kv != null) live.add(kv);
        }
        doDelete(w, live);
        return end(w);
    }

    /** Live keys with their leases, for the lessor's recovery. */
    Map<Bytes, Long> leasedKeys() {
        Map<Bytes, Long> out = new TreeMap<>();
        for (KeyIndex ki : index.values()) {
            if (!ki.live()) continue;
            KeyValue kv = latest(ki.key());
            if (kv != null && kv.lease() != 0) out.put(kv.key(), kv.lease());
        }
        return out;
    }

    private void store(Backend.Stored s) {
        revisions.put(s.revision(), s);
        backend.put(s);
    }
    // END SOLUTION
}
