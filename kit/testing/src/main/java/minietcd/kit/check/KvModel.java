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
import minietcd.kit.mvcc.Event;
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
    /** changes.get(r): what revision r changed, change by change, each with the key as it was at r - 1 (none for a create). */
    private final Map<Long, List<Event>> changes = new TreeMap<>();
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
        NavigableMap<Bytes, KeyValue> before = latest(), next = copy(before);
        KeyValue prev = applyPut(next, r, current + 1);
        commit(next, List.of(putEvent(next.get(r.key()), before)));
        return new KvResponse.Put(current, r.prevKv() ? prev : null);
    }

    public KvResponse.DeleteRange deleteRange(KvRequest.DeleteRange r) {
        if (r.key().isEmpty()) throw EtcdException.keyNotProvided();
        NavigableMap<Bytes, KeyValue> before = latest(), next = copy(before);
        List<KeyValue> gone = applyDelete(next, r.key(), r.rangeEnd());
        if (!gone.isEmpty()) commit(next, deleteEvents(gone, before));
        return new KvResponse.DeleteRange(current, gone.size(), r.prevKv() ? gone : List.of());
    }

    public KvResponse.Txn txn(KvRequest.Txn t) {
        staticTxn(t, true);
        NavigableMap<Bytes, KeyValue> before = latest();
        checkPuts(t, before, copy(before)); // etcd checks every put of the path first, then every range
        checkRanges(t, before);
        NavigableMap<Bytes, KeyValue> next = copy(before);
        List<Event> events = new ArrayList<>();
        KvResponse.Txn out = runTxn(t, before, next, events);
        if (!events.isEmpty()) commit(next, events);
        return new KvResponse.Txn(current, out.succeeded(), out.responses());
    }

    /**
     * The changes of one revision, change by change in the order they were made. At the compaction
     * revision only the puts whose key is still alive there are left, with no prev_kv (its history is
     * gone), as compaction drops a key deleted at or before that point, tombstone and all.
     */
    public List<Event> changesAt(long rev) {
        if (rev > current) throw EtcdException.futureRevision();
        if (rev < compacted) throw EtcdException.compacted();
        List<Event> all = changes.getOrDefault(rev, List.of());
        if (rev != compacted) return all;
        List<Event> out = new ArrayList<>();
        for (Event e : all)
            if (e.type() == Event.Type.PUT && e.kv().equals(states.get(rev).get(e.kv().key()))) out.add(new Event(Event.Type.PUT, e.kv(), null));
        return out;
    }

    public long compact(long rev) {
        if (rev <= compacted) throw EtcdException.compacted();
        if (rev > current) throw EtcdException.futureRevision();
        compacted = rev;
        states.keySet().removeIf(r -> r < rev);
        changes.keySet().removeIf(r -> r < rev);
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
        NavigableMap<Bytes, KeyValue> before = latest(), next = copy(before);
        List<KeyValue> gone = new ArrayList<>();
        for (KeyValue kv : before.values()) if (kv.lease() == id) gone.add(next.remove(kv.key()));
        if (!gone.isEmpty()) commit(next, deleteEvents(gone, before));
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

    private void commit(NavigableMap<Bytes, KeyValue> next, List<Event> made) {
        states.put(++current, next);
        changes.put(current, List.copyOf(made));
    }

    /** A put's event: etcd's watch gives a create (version 1) no prev_kv, even when the txn deleted the key first. */
    private static Event putEvent(KeyValue kv, NavigableMap<Bytes, KeyValue> before) {
        return new Event(Event.Type.PUT, kv, kv.version() == 1 ? null : before.get(kv.key()));
    }

    private List<Event> deleteEvents(List<KeyValue> gone, NavigableMap<Bytes, KeyValue> before) {
        List<Event> out = new ArrayList<>();
        for (KeyValue kv : gone) out.add(new Event(Event.Type.DELETE, new KeyValue(kv.key(), 0, current + 1, 0, Bytes.EMPTY, 0), before.get(kv.key())));
        return out;
    }

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
        boolean filtered = r.minModRevision() != 0 || r.maxModRevision() != 0 || r.minCreateRevision() != 0 || r.maxCreateRevision() != 0;
        if (r.sortOrder() == KvRequest.SortOrder.NONE && order == KvRequest.SortOrder.ASCEND && r.limit() > 0 && !filtered) // etcd reads limit + 1 keys in key order, then sorts them
            kvs = new ArrayList<>(kvs.subList(0, (int) Math.min(kvs.size(), r.limit() + 1)));
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

    /** The puts along the txn's path, in op order: the key for ignore_*, as the txn's earlier ops left it, then the lease. */
    private void checkPuts(KvRequest.Txn t, NavigableMap<Bytes, KeyValue> before, NavigableMap<Bytes, KeyValue> scratch) {
        for (KvRequest op : holds(t.compare(), before) ? t.success() : t.failure()) {
            if (op instanceof KvRequest.Put p) {
                if ((p.ignoreValue() || p.ignoreLease()) && !scratch.containsKey(p.key())) throw EtcdException.keyNotFound();
                if (p.lease() != 0 && !leases.containsKey(p.lease())) throw EtcdException.leaseNotFound();
                applyPut(scratch, p, current + 1);
            } else if (op instanceof KvRequest.DeleteRange d) applyDelete(scratch, d.key(), d.rangeEnd());
            else if (op instanceof KvRequest.Txn n) checkPuts(n, before, scratch);
        }
    }

    /** The ranges along the txn's path: any revision but 0 below the compaction point (-1 if none), negative ones too, is compacted. */
    private void checkRanges(KvRequest.Txn t, NavigableMap<Bytes, KeyValue> before) {
        for (KvRequest op : holds(t.compare(), before) ? t.success() : t.failure()) {
            if (op instanceof KvRequest.Range r && r.revision() != 0) {
                if (r.revision() > current) throw EtcdException.futureRevision();
                if (r.revision() < compacted) throw EtcdException.compacted();
            } else if (op instanceof KvRequest.Txn n) checkRanges(n, before);
        }
    }

    /** Runs a checked txn; each op's header is the revision before the txn until its first change, then the txn's; a nested txn's own is 0. */
    private KvResponse.Txn runTxn(KvRequest.Txn t, NavigableMap<Bytes, KeyValue> before, NavigableMap<Bytes, KeyValue> next, List<Event> events) {
        boolean ok = holds(t.compare(), before);
        List<KvResponse> out = new ArrayList<>();
        for (KvRequest op : ok ? t.success() : t.failure()) {
            if (op instanceof KvRequest.Range r) {
                out.add(rangeIn(r.revision() > 0 ? states.get(r.revision()) : next, r, events.isEmpty() ? current : current + 1));
            } else if (op instanceof KvRequest.Put p) {
                KeyValue prev = applyPut(next, p, current + 1);
                events.add(putEvent(next.get(p.key()), before));
                out.add(new KvResponse.Put(current + 1, p.prevKv() ? prev : null));
            } else if (op instanceof KvRequest.DeleteRange d) {
                List<KeyValue> gone = applyDelete(next, d.key(), d.rangeEnd());
                events.addAll(deleteEvents(gone, before));
                out.add(new KvResponse.DeleteRange(events.isEmpty() ? current : current + 1, gone.size(), d.prevKv() ? gone : List.of()));
            } else if (op instanceof KvRequest.Txn n) out.add(runTxn(n, before, next, events));
        }
        return new KvResponse.Txn(0, ok, out);
    }
}
