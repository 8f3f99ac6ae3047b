package minietcd.kit.check;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import minietcd.kit.mvcc.Bytes;
import minietcd.kit.mvcc.Compare;
import minietcd.kit.mvcc.EtcdException;
import minietcd.kit.mvcc.KeyValue;
import minietcd.kit.mvcc.KvRequest;
import minietcd.kit.mvcc.KvResponse;
import minietcd.kit.mvcc.Leases;

/**
 * A plain reference model of etcd's KV, written for obviousness, not speed: the whole key space is
 * copied at every revision. The model-based tests run random requests on it and on a store and
 * compare every answer. It covers the KV requests, compaction and leases with client-chosen ids.
 */
public final class KvModel {
    private final LongSupplier clock;
    /** states.get(r): every live key at revision r (from 1). */
    private final Map<Long, NavigableMap<Bytes, KeyValue>> states = new TreeMap<>();
    /** {@code compacted} is -1 before the first compaction, as etcd's compactMainRev: a fresh store may be compacted at 0, once. */
    private long current = 1, compacted = -1;
    private final Map<Long, long[]> leases = new TreeMap<>(); // id -> {ttl, deadline}

    public KvModel(LongSupplier clock) {
        this.clock = clock;
        states.put(1L, new TreeMap<>());
    }

    public long currentRevision() { return current; }
    public long compactRevision() { return Math.max(0, compacted); }

    /** A restart: leases get a whole TTL again, as the store's recovery gives them. */
    public void restarted() {
        for (long[] l : leases.values()) l[1] = clock.getAsLong() + l[0] * 1000;
    }

    public KvResponse.Range range(KvRequest.Range r) {
        if (r.key().isEmpty()) throw EtcdException.keyNotProvided();
        checkRevision(r.revision());
        return rangeIn(states.get(r.revision() > 0 ? r.revision() : current), r, current);
    }

    public KvResponse.Put put(KvRequest.Put r) {
        staticPut(r);
        dynamicPut(r, latest());
        NavigableMap<Bytes, KeyValue> next = copy(latest());
        KeyValue prev = applyPut(next, r, current + 1);
        commit(next);
        return new KvResponse.Put(current, r.prevKv() ? prev : null);
    }

    public KvResponse.DeleteRange deleteRange(KvRequest.DeleteRange r) {
        if (r.key().isEmpty()) throw EtcdException.keyNotProvided();
        NavigableMap<Bytes, KeyValue> next = copy(latest());
        List<KeyValue> gone = applyDelete(next, r.key(), r.rangeEnd());
        if (!gone.isEmpty()) commit(next);
        return new KvResponse.DeleteRange(current, gone.size(), r.prevKv() ? gone : List.of());
    }

    public KvResponse.Txn txn(KvRequest.Txn t) {
        staticTxn(t, true);
        NavigableMap<Bytes, KeyValue> before = latest();
        NavigableMap<Bytes, KeyValue> next = copy(before); // a scratch copy: an error below leaves the model as it was
        boolean[] changed = {false};
        KvResponse.Txn out = runTxn(t, before, next, changed);
        if (changed[0]) commit(next);
        return reRevision(out, current);
    }

    /** The changes of one revision as the difference between it and the one before, in key order (the model keeps no sub-revisions). */
    public java.util.List<minietcd.kit.mvcc.Event> changesAt(long rev) {
        if (rev > current) throw EtcdException.futureRevision();
        if (rev < compacted) throw EtcdException.compacted();
        java.util.List<minietcd.kit.mvcc.Event> out = new ArrayList<>();
        if (rev <= 1) return out;
        NavigableMap<Bytes, KeyValue> now = states.get(rev), before = states.get(rev - 1);
        java.util.TreeSet<Bytes> keys = new java.util.TreeSet<>(now.keySet());
        if (before != null) keys.addAll(before.keySet());
        for (Bytes k : keys) {
            KeyValue a = before == null ? null : before.get(k), b = now.get(k);
            if (b != null && b.modRevision() == rev) out.add(new minietcd.kit.mvcc.Event(minietcd.kit.mvcc.Event.Type.PUT, b, a));
            else if (b == null && a != null) out.add(new minietcd.kit.mvcc.Event(minietcd.kit.mvcc.Event.Type.DELETE,
                    new KeyValue(k, 0, rev, 0, Bytes.EMPTY, 0), a));
        }
        return out;
    }

    public long compact(long rev) {
        if (rev <= compacted) throw EtcdException.compacted();
        if (rev > current) throw EtcdException.futureRevision();
        compacted = rev;
        states.keySet().removeIf(r -> r < rev);
        return current;
    }

    public Leases.Granted grant(long id, long ttl) {
        if (leases.containsKey(id)) throw EtcdException.leaseExists();
        long t = Math.max(ttl, Leases.MIN_TTL);
        leases.put(id, new long[] {t, clock.getAsLong() + t * 1000});
        return new Leases.Granted(current, id, t);
    }

    public long revoke(long id) {
        if (leases.remove(id) == null) throw EtcdException.leaseNotFound();
        NavigableMap<Bytes, KeyValue> next = copy(latest());
        boolean any = next.values().removeIf(kv -> kv.lease() == id);
        if (any) commit(next);
        return current;
    }

    public long keepAlive(long id) {
        long[] l = leases.get(id);
        if (l == null) return 0;
        l[1] = clock.getAsLong() + l[0] * 1000;
        return l[0];
    }

    public int expire() {
        List<long[]> due = new ArrayList<>();
        for (var e : leases.entrySet()) if (e.getValue()[1] <= clock.getAsLong()) due.add(new long[] {e.getValue()[1], e.getKey()});
        due.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        for (long[] d : due) revoke(d[1]);
        return due.size();
    }

    public List<Long> leases() {
        return List.copyOf(leases.keySet());
    }

    // ---- the rules, plainly --------------------------------------------------------------------

    private NavigableMap<Bytes, KeyValue> latest() { return states.get(current); }

    private void commit(NavigableMap<Bytes, KeyValue> next) { states.put(++current, next); }

    private static NavigableMap<Bytes, KeyValue> copy(NavigableMap<Bytes, KeyValue> m) { return new TreeMap<>(m); }

    private void checkRevision(long rev) {
        if (rev > current) throw EtcdException.futureRevision();
        if (rev > 0 && rev < compacted) throw EtcdException.compacted();
    }

    private static void staticPut(KvRequest.Put r) {
        if (r.key().isEmpty()) throw EtcdException.keyNotProvided();
        if (r.ignoreValue() && !r.value().isEmpty()) throw EtcdException.valueProvided();
        if (r.ignoreLease() && r.lease() != 0) throw EtcdException.leaseProvided();
    }

    private void dynamicPut(KvRequest.Put r, NavigableMap<Bytes, KeyValue> state) {
        if (r.lease() != 0 && !leases.containsKey(r.lease())) throw EtcdException.leaseNotFound();
        if ((r.ignoreValue() || r.ignoreLease()) && !state.containsKey(r.key())) throw EtcdException.keyNotFound();
    }

    private static KeyValue applyPut(NavigableMap<Bytes, KeyValue> state, KvRequest.Put r, long rev) {
        KeyValue prev = state.get(r.key());
        state.put(r.key(), new KeyValue(r.key(), prev == null ? rev : prev.createRevision(), rev, prev == null ? 1 : prev.version() + 1,
                r.ignoreValue() ? prev.value() : r.value(), r.ignoreLease() ? prev.lease() : r.lease()));
        return prev;
    }

    private static List<KeyValue> applyDelete(NavigableMap<Bytes, KeyValue> state, Bytes key, Bytes end) {
        List<KeyValue> gone = new ArrayList<>(select(state, key, end));
        for (KeyValue kv : gone) state.remove(kv.key());
        return gone;
    }

    private static List<KeyValue> select(NavigableMap<Bytes, KeyValue> state, Bytes key, Bytes end) {
        List<KeyValue> out = new ArrayList<>();
        for (KeyValue kv : state.values()) if (KvRequest.inRange(kv.key(), key, end)) out.add(kv);
        return out;
    }

    private static KvResponse.Range rangeIn(NavigableMap<Bytes, KeyValue> state, KvRequest.Range r, long header) {
        List<KeyValue> all = select(state, r.key(), r.rangeEnd());
        List<KeyValue> kvs = new ArrayList<>();
        for (KeyValue kv : all)
            if ((r.minModRevision() == 0 || kv.modRevision() >= r.minModRevision()) && (r.maxModRevision() == 0 || kv.modRevision() <= r.maxModRevision())
                    && (r.minCreateRevision() == 0 || kv.createRevision() >= r.minCreateRevision()) && (r.maxCreateRevision() == 0 || kv.createRevision() <= r.maxCreateRevision()))
                kvs.add(kv);
        KvRequest.SortOrder order = r.sortOrder() == KvRequest.SortOrder.NONE && r.sortTarget() != KvRequest.SortTarget.KEY ? KvRequest.SortOrder.ASCEND : r.sortOrder();
        if (order != KvRequest.SortOrder.NONE) {
            kvs.sort((a, b) -> {
                int c = switch (r.sortTarget()) {
                    case KEY -> a.key().compareTo(b.key());
                    case VERSION -> Long.compare(a.version(), b.version());
                    case CREATE -> Long.compare(a.createRevision(), b.createRevision());
                    case MOD -> Long.compare(a.modRevision(), b.modRevision());
                    case VALUE -> a.value().compareTo(b.value());
                };
                return order == KvRequest.SortOrder.DESCEND ? -c : c;
            });
        }
        boolean more = r.limit() > 0 && kvs.size() > r.limit();
        if (more) kvs = new ArrayList<>(kvs.subList(0, (int) r.limit()));
        if (r.countOnly()) return new KvResponse.Range(header, List.of(), false, all.size());
        if (r.keysOnly()) kvs.replaceAll(KeyValue::withoutValue);
        return new KvResponse.Range(header, kvs, more, all.size());
    }

    private static void staticTxn(KvRequest.Txn t, boolean top) {
        if (t.compare().size() > 128 || t.success().size() > 128 || t.failure().size() > 128) throw EtcdException.tooManyOps();
        for (List<KvRequest> ops : List.of(t.success(), t.failure()))
            for (KvRequest op : ops) {
                if (op instanceof KvRequest.Range r && r.key().isEmpty()) throw EtcdException.keyNotProvided();
                if (op instanceof KvRequest.Put p) staticPut(p);
                if (op instanceof KvRequest.DeleteRange d && d.key().isEmpty()) throw EtcdException.keyNotProvided();
                if (op instanceof KvRequest.Txn n) staticTxn(n, false);
            }
        if (top) {
            writes(t.success());
            writes(t.failure());
        }
    }

    /** Keys put in a branch; throws if one is put twice or put and deleted (etcd's literal intervals). */
    private static Set<Bytes> writes(List<KvRequest> ops) {
        List<Bytes[]> dels = new ArrayList<>();
        for (KvRequest op : ops) if (op instanceof KvRequest.DeleteRange d) dels.add(new Bytes[] {d.key(), d.rangeEnd()});
        Set<Bytes> puts = new HashSet<>();
        for (KvRequest op : ops)
            if (op instanceof KvRequest.Txn n) {
                Set<Bytes> a = writes(n.success()), b = writes(n.failure());
                for (Bytes k : a) { if (!puts.add(k) || deleted(dels, k)) throw EtcdException.duplicateKey(); }
                for (Bytes k : b) { if ((puts.contains(k) && !a.contains(k)) || deleted(dels, k)) throw EtcdException.duplicateKey(); puts.add(k); }
                collectDeletes(n.success(), dels);
                collectDeletes(n.failure(), dels);
            }
        for (KvRequest op : ops) if (op instanceof KvRequest.Put p && (!puts.add(p.key()) || deleted(dels, p.key()))) throw EtcdException.duplicateKey();
        return puts;
    }

    private static void collectDeletes(List<KvRequest> ops, List<Bytes[]> into) {
        for (KvRequest op : ops) {
            if (op instanceof KvRequest.DeleteRange d) into.add(new Bytes[] {d.key(), d.rangeEnd()});
            if (op instanceof KvRequest.Txn n) { collectDeletes(n.success(), into); collectDeletes(n.failure(), into); }
        }
    }

    private static boolean deleted(List<Bytes[]> dels, Bytes k) {
        for (Bytes[] d : dels) if (d[1].isEmpty() ? d[0].equals(k) : k.compareTo(d[0]) >= 0 && k.compareTo(d[1]) < 0) return true;
        return false;
    }

    private boolean holds(List<Compare> cmps, NavigableMap<Bytes, KeyValue> state) {
        for (Compare c : cmps) {
            List<KeyValue> kvs = select(state, c.key(), c.rangeEnd());
            if (kvs.isEmpty()) {
                if (c.target() == Compare.Target.VALUE || !test(c, new KeyValue(c.key(), 0, 0, 0, Bytes.EMPTY, 0))) return false;
            } else for (KeyValue kv : kvs) if (!test(c, kv)) return false;
        }
        return true;
    }

    private static boolean test(Compare c, KeyValue kv) {
        int cmp = switch (c.target()) {
            case VALUE -> kv.value().compareTo(c.value());
            case VERSION -> Long.compare(kv.version(), c.version());
            case CREATE -> Long.compare(kv.createRevision(), c.createRevision());
            case MOD -> Long.compare(kv.modRevision(), c.modRevision());
            case LEASE -> Long.compare(kv.lease(), c.lease());
        };
        return switch (c.result()) { case EQUAL -> cmp == 0; case GREATER -> cmp > 0; case LESS -> cmp < 0; case NOT_EQUAL -> cmp != 0; };
    }

    private KvResponse.Txn runTxn(KvRequest.Txn t, NavigableMap<Bytes, KeyValue> before, NavigableMap<Bytes, KeyValue> next, boolean[] changed) {
        boolean ok = holds(t.compare(), before);
        List<KvResponse> out = new ArrayList<>();
        for (KvRequest op : ok ? t.success() : t.failure()) {
            if (op instanceof KvRequest.Range r) {
                checkRevision(r.revision());
                out.add(rangeIn(r.revision() > 0 ? states.get(r.revision()) : next, r, 0));
            } else if (op instanceof KvRequest.Put p) {
                dynamicPut(p, next); // against the txn's state so far
                KeyValue prev = applyPut(next, p, current + 1);
                changed[0] = true;
                out.add(new KvResponse.Put(0, p.prevKv() ? prev : null));
            } else if (op instanceof KvRequest.DeleteRange d) {
                List<KeyValue> gone = applyDelete(next, d.key(), d.rangeEnd());
                changed[0] |= !gone.isEmpty();
                out.add(new KvResponse.DeleteRange(0, gone.size(), d.prevKv() ? gone : List.of()));
            } else if (op instanceof KvRequest.Txn n) out.add(runTxn(n, before, next, changed));
        }
        return new KvResponse.Txn(0, ok, out);
    }

    private static KvResponse.Txn reRevision(KvResponse.Txn t, long rev) {
        List<KvResponse> ops = new ArrayList<>();
        for (KvResponse r : t.responses()) {
            if (r instanceof KvResponse.Range x) ops.add(new KvResponse.Range(rev, x.kvs(), x.more(), x.count()));
            else if (r instanceof KvResponse.Put x) ops.add(new KvResponse.Put(rev, x.prevKv()));
            else if (r instanceof KvResponse.DeleteRange x) ops.add(new KvResponse.DeleteRange(rev, x.deleted(), x.prevKvs()));
            else if (r instanceof KvResponse.Txn x) ops.add(reRevision(x, rev));
        }
        return new KvResponse.Txn(rev, t.succeeded(), ops);
    }
}
