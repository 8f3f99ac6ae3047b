package minietcd.mvcc;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import minietcd.kit.mvcc.Bytes;
import minietcd.kit.mvcc.Compare;
import minietcd.kit.mvcc.EtcdException;
import minietcd.kit.mvcc.KeyValue;
import minietcd.kit.mvcc.KvRequest;
import minietcd.kit.mvcc.KvResponse;

/**
 * Lab 3 part B: requests checked as etcd checks them, and txns run as etcd runs them: every compare,
 * nested ones included, is decided on the store as it was before the txn; the ops of the chosen
 * branches are checked before anything is written; then they run in order, each seeing the writes
 * of the ones before, all in one revision. Put your own helpers for {@link MvccStore} here.
 */
final class Txns {
    /** etcd's default --max-txn-ops. */
    static final int MAX_OPS = 128;
    // BEGIN SOLUTION
    private final MvccStore store;

    Txns(MvccStore store) {
        this.store = store;
    }

    /** The branch a txn takes, and the paths of the txns nested in that branch, in order. */
    record Path(boolean succeeded, List<Path> nested) {}

    static void checkRange(KvRequest.Range r) {
        if (r.key().isEmpty()) throw EtcdException.keyNotProvided();
    }

    static void checkPut(KvRequest.Put r) {
        if (r.key().isEmpty()) throw EtcdException.keyNotProvided();
        if (r.ignoreValue() && !r.value().isEmpty()) throw EtcdException.valueProvided();
        if (r.ignoreLease() && r.lease() != 0) throw EtcdException.leaseProvided();
    }

    static void checkDelete(KvRequest.DeleteRange r) {
        if (r.key().isEmpty()) throw EtcdException.keyNotProvided();
    }

    /** The checks that need no store: sizes, keys, flags, and no key written twice. */
    static void checkTxn(KvRequest.Txn t) {
        checkShape(t);
        checkIntervals(t.success());
        checkIntervals(t.failure());
    }

    private static void checkShape(KvRequest.Txn t) {
        if (t.compare().size() > MAX_OPS || t.success().size() > MAX_OPS || t.failure().size() > MAX_OPS) throw EtcdException.tooManyOps();
        for (List<KvRequest> ops : List.of(t.success(), t.failure()))
            for (KvRequest op : ops) {
                if (op instanceof KvRequest.Range r) checkRange(r);
                else if (op instanceof KvRequest.Put p) checkPut(p);
                else if (op instanceof KvRequest.DeleteRange d) checkDelete(d);
                else if (op instanceof KvRequest.Txn n) checkShape(n);
            }
    }

    Path plan(KvRequest.Txn t) {
        boolean ok = true;
        for (Compare c : t.compare()) ok &= holds(c);
        List<Path> nested = new ArrayList<>();
        for (KvRequest op : ok ? t.success() : t.failure()) if (op instanceof KvRequest.Txn n) nested.add(plan(n));
        return new Path(ok, nested);
    }

    /**
     * The checks of the chosen ops that need the store, as etcd 3.4 makes them: first every put along
     * the path, nested txns included, in op order (for ignore_value or ignore_lease a key that is live
     * at that point of the txn, then the lease); only then every range's revision. Nothing is written
     * yet, so the ops' effect on liveness is followed in {@code live}. (etcd 3.4 panics on an ignore_*
     * put of a key an earlier op deleted; this store refuses the txn.)
     */
    void checkPath(KvRequest.Txn t, Path path) {
        checkPuts(t, path, new java.util.HashMap<>());
        checkRanges(t, path);
    }

    private void checkPuts(KvRequest.Txn t, Path path, java.util.Map<Bytes, Boolean> live) {
        int k = 0;
        for (KvRequest op : path.succeeded() ? t.success() : t.failure()) {
            if (op instanceof KvRequest.Put p) {
                boolean isLive = live.containsKey(p.key()) ? live.get(p.key()) : store.latest(p.key()) != null;
                if ((p.ignoreValue() || p.ignoreLease()) && !isLive) throw EtcdException.keyNotFound();
                if (p.lease() != 0 && !store.leaseExists(p.lease())) throw EtcdException.leaseNotFound();
                live.put(p.key(), true);
            } else if (op instanceof KvRequest.DeleteRange d) {
                for (KeyValue kv : store.live(d.key(), d.rangeEnd())) live.putIfAbsent(kv.key(), true);
                for (var e : live.entrySet()) if (KvRequest.inRange(e.getKey(), d.key(), d.rangeEnd())) e.setValue(false);
            } else if (op instanceof KvRequest.Txn n) checkPuts(n, path.nested().get(k++), live);
        }
    }

    private void checkRanges(KvRequest.Txn t, Path path) {
        int k = 0;
        for (KvRequest op : path.succeeded() ? t.success() : t.failure()) {
            if (op instanceof KvRequest.Range r) store.checkRevisionInTxn(r.revision());
            else if (op instanceof KvRequest.Txn n) checkRanges(n, path.nested().get(k++));
        }
    }

    /** Runs the path inside write {@code w}; a nested txn's own header is 0, as in etcd (the caller sets the outer one). */
    KvResponse.Txn run(MvccStore.Write w, KvRequest.Txn t, Path path) {
        List<KvResponse> responses = new ArrayList<>();
        int k = 0;
        for (KvRequest op : path.succeeded() ? t.success() : t.failure()) {
            if (op instanceof KvRequest.Range r) responses.add(store.rangeAt(r, store.readRevision(r.revision()), header(w)));
            else if (op instanceof KvRequest.Put p) {
                KeyValue prev = store.doPut(w, p);
                responses.add(new KvResponse.Put(header(w), prev));
            } else if (op instanceof KvRequest.DeleteRange d) {
                List<KeyValue> deleted = store.doDelete(w, store.live(d.key(), d.rangeEnd()));
                responses.add(new KvResponse.DeleteRange(header(w), deleted.size(), d.prevKv() ? deleted : List.of()));
            } else if (op instanceof KvRequest.Txn n) responses.add(run(w, n, path.nested().get(k++)));
        }
        return new KvResponse.Txn(0, path.succeeded(), responses);
    }

    /** etcd's header for an op inside a txn, once the op ran: the revision from before the txn until the txn's first change, then the txn's own. */
    private static long header(MvccStore.Write w) {
        return w.changes > 0 ? w.main : w.main - 1;
    }

    /** A compare holds if every key it names satisfies it; no key at all compares as zero, except VALUE, which fails. */
    private boolean holds(Compare c) {
        List<KeyValue> kvs;
        if (c.rangeEnd().isEmpty()) {
            KeyValue kv = store.latest(c.key());
            kvs = kv == null ? List.of() : List.of(kv);
        } else {
            kvs = store.live(c.key(), c.rangeEnd());
        }
        if (kvs.isEmpty()) return c.target() != Compare.Target.VALUE && satisfies(c, new KeyValue(c.key(), 0, 0, 0, Bytes.EMPTY, 0));
        for (KeyValue kv : kvs) if (!satisfies(c, kv)) return false;
        return true;
    }

    private static boolean satisfies(Compare c, KeyValue kv) {
        int cmp = switch (c.target()) {
            case VALUE -> kv.value().compareTo(c.value());
            case VERSION -> Long.compare(kv.version(), c.version());
            case CREATE -> Long.compare(kv.createRevision(), c.createRevision());
            case MOD -> Long.compare(kv.modRevision(), c.modRevision());
            case LEASE -> Long.compare(kv.lease(), c.lease());
        };
        return switch (c.result()) {
            case EQUAL -> cmp == 0;
            case GREATER -> cmp > 0;
            case LESS -> cmp < 0;
            case NOT_EQUAL -> cmp != 0;
        };
    }

    /** A deleted range [start, end), or one key when end is empty. etcd 3.4 compares the end literally, so "\0" makes it empty. */
    private record Interval(Bytes start, Bytes end) {
        boolean contains(Bytes k) {
            if (end.isEmpty()) return start.equals(k);
            return k.compareTo(start) >= 0 && k.compareTo(end) < 0;
        }
    }

    private record Writes(Set<Bytes> puts, List<Interval> deletes) {}

    /** etcd's rule: within one branch (nested txns included) no key is put twice, nor put and deleted. */
    private static Writes checkIntervals(List<KvRequest> ops) {
        List<Interval> deletes = new ArrayList<>();
        for (KvRequest op : ops) if (op instanceof KvRequest.DeleteRange d) deletes.add(new Interval(d.key(), d.rangeEnd()));
        Set<Bytes> puts = new HashSet<>();
        for (KvRequest op : ops) {
            if (!(op instanceof KvRequest.Txn t)) continue;
            Writes then = checkIntervals(t.success()), otherwise = checkIntervals(t.failure());
            for (Bytes k : then.puts()) {
                if (puts.contains(k) || deleted(deletes, k)) throw EtcdException.duplicateKey();
                puts.add(k);
            }
            for (Bytes k : otherwise.puts()) {
                if ((puts.contains(k) && !then.puts().contains(k)) || deleted(deletes, k)) throw EtcdException.duplicateKey();
                puts.add(k);
            }
            deletes.addAll(then.deletes());
            deletes.addAll(otherwise.deletes());
        }
        for (KvRequest op : ops) {
            if (!(op instanceof KvRequest.Put p)) continue;
            if (puts.contains(p.key()) || deleted(deletes, p.key())) throw EtcdException.duplicateKey();
            puts.add(p.key());
        }
        return new Writes(puts, deletes);
    }

    private static boolean deleted(List<Interval> deletes, Bytes k) {
        for (Interval i : deletes) if (i.contains(k)) return true;
        return false;
    }
    // END SOLUTION
}
