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

    /** Opens the store on {@code backend}, rebuilding it from what the backend holds; {@code clock} gives lease time in milliseconds. */
    public MvccStore(Backend backend, LongSupplier clock) {
        this.backend = backend;
        this.lessor = new Lessor(this, backend, clock);
        recover();
    }

    @Override
    public long currentRevision() {
        // TODO(lab 3 part A): the revision of the last write (1 for a fresh store)
        throw new UnsupportedOperationException("TODO(lab 3 part A): the revision of the last write (1 for a fresh store)");
    }

    @Override
    public long compactRevision() {
        // TODO(lab 3 part C): the revision of the last compaction (0 if none)
        throw new UnsupportedOperationException("TODO(lab 3 part C): the revision of the last compaction (0 if none)");
    }

    @Override
    public Leases leases() {
        return lessor;
    }

    // ---- part A: put, delete, range -------------------------------------------------------

    @Override
    public KvResponse.Range range(KvRequest.Range r) {
        // TODO(lab 3 part A): validate, check the revision (future? compacted?), collect the keys alive at it, then filter, sort, limit
        throw new UnsupportedOperationException("TODO(lab 3 part A): validate, check the revision (future? compacted?), collect the keys alive at it, then filter, sort, limit");
    }

    @Override
    public KvResponse.Put put(KvRequest.Put r) {
        // TODO(lab 3 part A): validate, then write the key at a new revision (create revision, mod revision, version as etcd keeps them)
        throw new UnsupportedOperationException("TODO(lab 3 part A): validate, then write the key at a new revision (create revision, mod revision, version as etcd keeps them)");
    }

    @Override
    public KvResponse.DeleteRange deleteRange(KvRequest.DeleteRange r) {
        // TODO(lab 3 part A): validate, then delete every live key in the range at one new revision (none deleted: no new revision)
        throw new UnsupportedOperationException("TODO(lab 3 part A): validate, then delete every live key in the range at one new revision (none deleted: no new revision)");
    }

    // ---- part B: txn ------------------------------------------------------------------------

    @Override
    public KvResponse.Txn txn(KvRequest.Txn t) {
        // TODO(lab 3 part B): validate, evaluate every compare on the store as it is, check the chosen ops, then run them in one revision
        throw new UnsupportedOperationException("TODO(lab 3 part B): validate, evaluate every compare on the store as it is, check the chosen ops, then run them in one revision");
    }

    // ---- part C: compaction and recovery --------------------------------------------------------

    @Override
    public long compact(long rev) {
        // TODO(lab 3 part C): reject a revision at or below the last compaction (-1 for a store never compacted, as in etcd: compacting at 0 works once), or in the future; compact every key index; forget what no index keeps
        throw new UnsupportedOperationException("TODO(lab 3 part C): reject a revision at or below the last compaction (-1 for a store never compacted, as in etcd: compacting at 0 works once), or in the future; compact every key index; forget what no index keeps");
    }

    @Override
    public List<Event> changesAt(long rev) {
        // TODO(lab 3 part C): the stored changes of main revision rev in order, as PUT or DELETE events with the key as it was at rev - 1
        throw new UnsupportedOperationException("TODO(lab 3 part C): the stored changes of main revision rev in order, as PUT or DELETE events with the key as it was at rev - 1");
    }

    /** Rebuilds the key index, the revisions and the leases from the backend. */
    private void recover() {
        // TODO(lab 3 part C): replay the backend's history in revision order into the key index; restore the revisions and the compaction point
        if (!backend.history().isEmpty())
            throw new UnsupportedOperationException("TODO(lab 3 part C): rebuild the store from the backend's history");
        lessor.recover();
    }

    @Override
    public void close() {
        backend.close();
    }

}
