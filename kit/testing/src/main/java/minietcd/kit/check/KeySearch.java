package minietcd.kit.check;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import minietcd.kit.check.History.Op;
import minietcd.kit.check.History.Result;
import minietcd.kit.check.Linearizability.Verdict;

/**
 * The search for one key of a history (see {@link Linearizability}): Wing &amp; Gong's walk over the
 * ops in time order with Lowe's memo ({@link SearchMemo}), placing ops the register allows and
 * backing up when stuck, within a budget of steps.
 */
final class KeySearch {
    /** A call or a return of a known op in the time-ordered, doubly linked list the search walks. */
    private static final class Entry {
        final int op;
        final boolean call;
        final long time;
        Entry match; // a call's return
        Entry prev, next;

        Entry(int op, boolean call, long time) { this.op = op; this.call = call; this.time = time; }
    }

    /**
     * One placement, to undo: the op, its call entry (null for an unknown op), the walk's state before
     * it, and for an unknown op the list of effects it was picked from and its place there.
     */
    private record Frame(int op, Entry call, String before, Chain chain, long deadline, int[] effects, int at) {}

    /**
     * A run of unknown ops placed one after another, and the value before it. The run is only worth
     * placing if the known op after it could not have come before it: see {@link #run}.
     */
    private record Chain(String from) {}

    /** Stands, in the memo, for every value that no op of the key reads or compares against. */
    private static final Object UNOBSERVED = new Object();

    /** Stands, in the memo, for "not in a run of unknown ops". */
    private static final Object NO_CHAIN = new Object();

    /** What an unknown op does, as far as the ops of its key can tell: unknown ops that do the same are interchangeable. */
    private record Effect(History.Kind kind, String expected, Object value) {}

    final String key;
    final long budget;
    final int failed, knownTotal;
    /** The ops that take part (not failed, not unknown GETs): the known ones, then the unknown ones, each in invocation order. */
    final List<Op> ops = new ArrayList<>();
    final Entry head = new Entry(-1, false, Long.MIN_VALUE);
    /** The values some op of the key reads (GET) or compares against (CAS); all others look alike. */
    final Set<String> observed = new HashSet<>();
    /** Each observed value's number, each op's observed value's number (or -1), and how many ops not yet placed observe each value. */
    final Map<String, Integer> valueId = new HashMap<>();
    final int[] observes, observers;
    /**
     * How the memo counts the unknown ops placed (see {@link #kindNow}): each op's kind once its
     * value is no longer observed; for each observed value, the unknown ops that write it; the
     * count of each kind placed, and which counts are not zero.
     */
    final int[] deadKind;
    final int[][] writers;
    final int[] counts;
    final BitSet nonZero = new BitSet();
    final boolean[] unknownPlaced;
    /** The unknown ops by effect, each list in invocation order; and each unknown op's effect. */
    final int[][] members;
    final int[] effectOf;
    /** The effects of unknown PUTs and DELETEs, which may come at any value; and of CASes, by expected value. */
    final int[] anyValue;
    final Map<String, int[]> casFrom = new HashMap<>();

    // The walk's state.
    final BitSet known = new BitSet();
    final int[] placedOf; // how many of each effect's unknown ops are placed: always the first so many
    final Deque<Frame> stack = new ArrayDeque<>();
    final SearchMemo memo = new SearchMemo();
    String value; // the key's value after the ops placed; null: absent
    Chain chain; // the run of unknown ops just placed, or null

    int placedKnown;
    long steps;

    // The furthest the walk got, for the explanation.
    int[] best = new int[0];
    int bestKnown = -1;
    String bestValue;

    KeySearch(String key, List<Op> all, long budget) {
        this.key = key;
        this.budget = budget;
        List<Op> unknown = new ArrayList<>();
        int f = 0;
        for (Op op : all) {
            if (op.result() instanceof Result.Failed) { f++; continue; }
            boolean isUnknown = op.result() instanceof Result.Unknown;
            if (isUnknown && op.call().kind() == History.Kind.GET) continue; // no effect and no answer: nothing to place
            (isUnknown ? unknown : ops).add(op);
            if (op.call().kind() == History.Kind.CAS && op.call().expected() != null) observed.add(op.call().expected());
            if (op.call().kind() == History.Kind.GET && op.result() instanceof Result.Ok ok && ok.value() != null) observed.add(ok.value());
        }
        failed = f;
        knownTotal = ops.size();
        ops.sort(Comparator.comparingLong(Op::invoked)); // stable: ties keep the recorded order
        unknown.sort(Comparator.comparingLong(Op::invoked));
        ops.addAll(unknown);

        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < knownTotal; i++) {
            Entry call = new Entry(i, true, ops.get(i).invoked());
            call.match = new Entry(i, false, ops.get(i).completed());
            entries.add(call);
            entries.add(call.match);
        }
        // By time; at one instant calls before returns, so that touching ops overlap.
        entries.sort(Comparator.<Entry>comparingLong(e -> e.time).thenComparing(e -> !e.call).thenComparingInt(e -> e.op));
        Entry last = head;
        for (Entry e : entries) { last.next = e; e.prev = last; last = e; }

        effectOf = new int[ops.size()];
        Arrays.fill(effectOf, -1);
        Map<Effect, List<Integer>> byEffect = new LinkedHashMap<>();
        for (int i = knownTotal; i < ops.size(); i++) {
            History.Call c = ops.get(i).call();
            byEffect.computeIfAbsent(new Effect(c.kind(), c.expected(), seen(c.value())), x -> new ArrayList<>()).add(i);
        }
        members = new int[byEffect.size()][];
        List<Integer> any = new ArrayList<>();
        Map<String, List<Integer>> cas = new HashMap<>();
        int e = 0;
        for (var same : byEffect.entrySet()) {
            members[e] = same.getValue().stream().mapToInt(Integer::intValue).toArray();
            for (int op : members[e]) effectOf[op] = e;
            if (same.getKey().kind() == History.Kind.CAS) cas.computeIfAbsent(same.getKey().expected(), x -> new ArrayList<>()).add(e);
            else any.add(e);
            e++;
        }
        anyValue = any.stream().mapToInt(Integer::intValue).toArray();
        cas.forEach((expected, list) -> casFrom.put(expected, list.stream().mapToInt(Integer::intValue).toArray()));
        placedOf = new int[members.length];

        for (String v : observed) valueId.put(v, valueId.size());
        observes = new int[ops.size()];
        observers = new int[valueId.size()];
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            String v = op.call().kind() == History.Kind.CAS ? op.call().expected()
                    : op.call().kind() == History.Kind.GET && op.result() instanceof Result.Ok ok ? ok.value() : null;
            observes[i] = v == null ? -1 : valueId.get(v);
            if (v != null) observers[observes[i]]++;
        }
        deadKind = new int[ops.size()];
        Map<List<Object>, Integer> dead = new HashMap<>();
        List<List<Integer>> writing = new ArrayList<>();
        for (int i = 0; i < valueId.size(); i++) writing.add(new ArrayList<>());
        for (int i = knownTotal; i < ops.size(); i++) {
            History.Call c = ops.get(i).call();
            deadKind[i] = c.kind() == History.Kind.DELETE ? effectOf[i]
                    : dead.computeIfAbsent(Arrays.asList(c.kind(), c.expected()), x -> members.length + dead.size());
            if (c.value() != null && valueId.containsKey(c.value())) writing.get(valueId.get(c.value())).add(i);
        }
        writers = new int[writing.size()][];
        for (int i = 0; i < writers.length; i++) writers[i] = writing.get(i).stream().mapToInt(Integer::intValue).toArray();
        counts = new int[members.length + dead.size()];
        unknownPlaced = new boolean[ops.size()];
    }

    /**
     * A value as the key's ops see it. Two values no op reads or compares against are alike for
     * every op: GET and CAS tell them apart from the values they name but not from each other,
     * DELETE only asks whether there is a value at all, and PUT overwrites it.
     */
    Object seen(String v) {
        return v == null || observed.contains(v) ? v : UNOBSERVED;
    }

    /** The same, as the ops not yet placed see it: a value none of them reads or compares against is like any other such. */
    Object seenNow(String v) {
        if (v == null) return null;
        Integer id = valueId.get(v);
        return id != null && observers[id] > 0 ? v : UNOBSERVED;
    }

    /**
     * What an unknown op counts as in the memo now: its effect, or, once no op left observes the
     * value it writes, only its kind and expected value. Two unknown ops of one kind, both
     * invoked, can trade places in any order that works from here.
     */
    private int kindNow(int u) {
        return seenNow(ops.get(u).call().value()) == UNOBSERVED ? deadKind[u] : effectOf[u];
    }

    private void count(int kind, int by) {
        counts[kind] += by;
        nonZero.set(kind, counts[kind] > 0);
    }

    /** An op that observes value number x is placed (on) or unplaced (off); the unknown ops that write x may change kind. */
    private void observer(int x, boolean on) {
        if (x < 0) return;
        boolean flips = observers[x] == (on ? 1 : 0); // the last observer goes, or the first comes back
        if (flips) for (int w : writers[x]) if (unknownPlaced[w]) count(kindNow(w), -1);
        observers[x] += on ? -1 : 1;
        if (flips) for (int w : writers[x]) if (unknownPlaced[w]) count(kindNow(w), 1);
    }

    private void unknown(int u, boolean on) {
        if (!on) count(kindNow(u), -1);
        unknownPlaced[u] = on;
        placedOf[effectOf[u]] += on ? 1 : -1;
        if (on) count(kindNow(u), 1);
    }

    /**
     * The walk. Its candidates at each point are the known ops invoked by the earliest deadline
     * among the known ops left (the first return still in the list), tried first, then the
     * unknown ops invoked by that deadline. Three shortcuts keep it small, each safe because it
     * only skips orders that can be rearranged into ones it tries, no longer:
     * <ul>
     *   <li>A read (an op with a known answer that never changes the value: a GET, a DELETE of
     *   nothing, a CAS that did not succeed) that fits as a candidate is placed at once, and the
     *   other candidates are not tried: any order that works can be changed into one where the
     *   read comes now, by moving it here, since it changes nothing and nothing left must precede it.</li>
     *   <li>Unknown ops with the same effect are interchangeable once invoked, so only the first
     *   unplaced one of each effect is tried: an effect's ops are always placed in invocation order.</li>
     *   <li>A run of unknown ops is followed only by a known op that would not fit before the run.
     *   Were it a read that fits both, it could go before the run; a PUT or a DELETE would wipe out
     *   what the run did, and a CAS that succeeds both times means the run changed nothing; so
     *   the run can be moved later or left out.</li>
     * </ul>
     */
    Verdict run() {
        remember();
        Entry entry = head.next;
        int[] effects = null; // null: trying known ops; else the unknown ops' effects to try
        int at = 0; // the next of those to try
        long deadline = 0;
        boolean arrived = true; // at a configuration not looked at yet
        while (placedKnown < knownTotal) {
            if (++steps > budget) return new Verdict.Unknown(key, steps - 1);
            if (arrived) {
                arrived = false;
                entry = head.next;
                effects = null;
                Entry read = fittingRead();
                if (read != null) {
                    if (place(read.op, read, 0, null, 0)) arrived = true;
                    else effects = new int[0]; // the read's configuration failed before, so this one fails too
                }
            } else if (effects == null) {
                if (entry == null) throw new IllegalStateException("the walk ran off the list with known ops unplaced");
                if (!entry.call) { // the deadline: now the unknown ops
                    deadline = entry.time;
                    effects = effectsAt(value, deadline);
                    at = 0;
                } else if (!wouldFitBeforeChain(entry.op) && place(entry.op, entry, 0, null, 0)) arrived = true;
                else entry = entry.next;
            } else if (at < effects.length) {
                int e = effects[at++];
                if (placedOf[e] < members[e].length) {
                    int op = members[e][placedOf[e]];
                    if (ops.get(op).invoked() <= deadline && place(op, null, deadline, effects, at - 1)) arrived = true;
                }
            } else {
                // No candidate leads anywhere: undo the last placement and go on with the candidates after it.
                if (stack.isEmpty()) return new Verdict.NotLinearizable(key, explain());
                Frame top = stack.pop();
                value = top.before();
                chain = top.chain();
                if (top.call() != null) {
                    observer(observes[top.op()], false);
                    known.clear(top.op());
                    placedKnown--;
                    unlift(top.call());
                    entry = top.call().next;
                    // A known read is only ever placed at once, and after it there is nothing else to try.
                    effects = readOnly(ops.get(top.op())) ? new int[0] : null;
                } else {
                    unknown(top.op(), false);
                    observer(observes[top.op()], false);
                    effects = top.effects();
                    at = top.at() + 1;
                    deadline = top.deadline();
                }
            }
        }
        return new Verdict.Linearizable(1, steps);
    }

    /**
     * The effects of the unknown ops that could come next at this value, invoked by the deadline,
     * in the order of their first op's invocation (which is their numbering). Within a run of
     * unknown ops only CASes can follow: a PUT or a DELETE would wipe out what the run did so far,
     * and the run could start with it instead.
     */
    private int[] effectsAt(String v, long deadline) {
        int[] cas = casFrom.getOrDefault(v, new int[0]), any = chain == null ? anyValue : new int[0];
        int[] out = new int[any.length + cas.length];
        int n = 0, i = 0, j = 0;
        while (i < any.length || j < cas.length) {
            int e = j >= cas.length || (i < any.length && any[i] < cas[j]) ? any[i++] : cas[j++];
            if (ops.get(members[e][0]).invoked() > deadline) break;
            out[n++] = e;
        }
        return Arrays.copyOf(out, n);
    }

    /** After a run of unknown ops, whether a known op would have fit before it (so it need not be tried after it). */
    private boolean wouldFitBeforeChain(int op) {
        return chain != null && Linearizability.allows(ops.get(op), chain.from());
    }

    /** A read among the known candidates that fits the value now, or null. */
    private Entry fittingRead() {
        for (Entry e = head.next; e != null && e.call; e = e.next) {
            steps++;
            if (readOnly(ops.get(e.op)) && Linearizability.allows(ops.get(e.op), value) && !wouldFitBeforeChain(e.op)) return e;
        }
        return null;
    }

    /** Whether an op, wherever it fits, leaves the value as it is. */
    private static boolean readOnly(Op op) {
        if (!(op.result() instanceof Result.Ok ok)) return false;
        return switch (op.call().kind()) {
            case GET -> true;
            case DELETE -> ok.deleted() == 0;
            case CAS -> !ok.succeeded();
            case PUT -> false;
        };
    }

    /** Places op next if the register allows it and the configuration it leads to is new. */
    private boolean place(int op, Entry call, long deadline, int[] effects, int at) {
        Op o = ops.get(op);
        if (!Linearizability.allows(o, value)) return false;
        String next = Linearizability.after(o, value);
        observer(observes[op], true); // placed, it observes no more
        // An unknown op that changes nothing is never worth placing: leaving it out keeps every option open.
        if (call == null && Objects.equals(seenNow(next), seenNow(value))) {
            observer(observes[op], false);
            return false;
        }
        Chain nextChain = call != null ? null : chain != null ? chain : new Chain(value);
        if (call == null) unknown(op, true);
        else known.set(op);
        if (!memo.add(known, seenNow(next), nextChain == null ? NO_CHAIN : seenNow(nextChain.from()), counts, nonZero)) {
            // this configuration, or a better one, was explored already
            if (call == null) unknown(op, false);
            else known.clear(op);
            observer(observes[op], false);
            return false;
        }
        stack.push(new Frame(op, call, value, chain, deadline, effects, at));
        value = next;
        chain = nextChain;
        if (call != null) {
            placedKnown++;
            lift(call);
        }
        if (placedKnown > bestKnown) remember();
        return true;
    }

    private void remember() {
        bestKnown = placedKnown;
        bestValue = value;
        best = new int[stack.size()];
        int i = best.length;
        for (Frame f : stack) best[--i] = f.op(); // the stack iterates from its top
    }

    /** Takes a placed op's call and return out of the list. */
    private static void lift(Entry call) {
        call.prev.next = call.next;
        if (call.next != null) call.next.prev = call.prev;
        Entry ret = call.match;
        ret.prev.next = ret.next;
        if (ret.next != null) ret.next.prev = ret.prev;
    }

    /** Puts them back, in the reverse order. */
    private static void unlift(Entry call) {
        Entry ret = call.match;
        ret.prev.next = ret;
        if (ret.next != null) ret.next.prev = ret;
        call.prev.next = call;
        if (call.next != null) call.next.prev = call;
    }

    // ---- the explanation --------------------------------------------------------------------

    private String explain() {
        BitSet inBest = new BitSet();
        for (int i : best) inBest.set(i);
        // The earliest deadline among the known ops left, and the ops invoked by then: the candidates.
        int due = -1;
        for (int i = 0; i < knownTotal; i++)
            if (!inBest.get(i) && (due < 0 || ops.get(i).completed() < ops.get(due).completed())) due = i;
        long deadline = ops.get(due).completed();
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) if (!inBest.get(i) && ops.get(i).invoked() <= deadline) candidates.add(i);

        StringBuilder out = new StringBuilder();
        out.append("key ").append(key).append(" is not linearizable: no order of its ").append(ops.size()).append(" ops")
                .append(failed > 0 ? " (" + failed + " failed ones left out)" : "")
                .append(" fits both real time and a single register.\n");
        if (best.length == 0) out.append("Not even a first op can be placed; the register starts absent.\n");
        else {
            out.append("The longest valid order found places ").append(bestKnown).append(" of the ").append(knownTotal)
                    .append(" ops with known answers (value after each op on the right):\n");
            int from = Math.max(0, best.length - 10);
            if (from > 0) out.append("    ... ").append(from).append(" earlier ops\n");
            String v = null;
            for (int i = 0; i < best.length; i++) {
                v = Linearizability.after(ops.get(best[i]), v);
                if (i >= from) out.append(String.format("    %3d. %s   => %s%n", i + 1, ops.get(best[i]).describe(), History.show(v)));
            }
            out.append("after which ").append(key).append(" is ").append(History.show(bestValue)).append(".\n");
        }
        out.append("Of the ops left, ").append(ops.get(due).describe()).append(" is due first: it completed at ").append(deadline)
                .append(",\nso it must take effect before any op invoked later. The ops that could come next, and why none leads anywhere:\n");
        int shown = 0;
        for (int i : candidates) {
            if (++shown > 12) {
                out.append("    ... and ").append(candidates.size() - 12).append(" more\n");
                break;
            }
            Op op = ops.get(i);
            String why = !Linearizability.allows(op, bestValue) ? Linearizability.whyNot(op, bestValue)
                    : op.result() instanceof Result.Unknown ? "it may or may not have taken effect, and neither way helps"
                    : "it fits here, but then the ops after it cannot all be placed";
            out.append("    ").append(op.describe()).append(": ").append(why).append('\n');
        }
        out.append(context(candidates));
        return out.toString();
    }

    /** The key's ops near the stuck point, by invocation time. */
    private String context(List<Integer> candidates) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) order.add(i);
        order.sort(Comparator.<Integer>comparingLong(i -> ops.get(i).invoked()).thenComparingInt(i -> i));
        int lo = order.size(), hi = -1;
        Set<Integer> focus = new HashSet<>(); // the known candidates and the last ops placed (unknown ops may be invoked long before)
        for (int i : candidates) if (i < knownTotal) focus.add(i);
        for (int i = Math.max(0, best.length - 3); i < best.length; i++) focus.add(best[i]);
        for (int i = 0; i < order.size(); i++) if (focus.contains(order.get(i))) { lo = Math.min(lo, i); hi = Math.max(hi, i); }
        lo = Math.max(0, lo - 3);
        hi = Math.min(order.size() - 1, Math.max(hi + 3, lo + 6));
        if (hi - lo > 30) hi = lo + 30;
        Map<Integer, Integer> position = new HashMap<>();
        Set<Integer> next = new HashSet<>(candidates);
        for (int i = 0; i < best.length; i++) position.put(best[i], i + 1);
        StringBuilder out = new StringBuilder("Ops of key " + key + " around that point, by invocation time"
                + " (n. = place in the order above, ? = could come next):\n");
        if (lo > 0) out.append("    ... ").append(lo).append(" earlier\n");
        for (int i = lo; i <= hi; i++) {
            int op = order.get(i);
            String mark = position.containsKey(op) ? String.format("%3d.", position.get(op)) : next.contains(op) ? "   ?" : "    ";
            out.append("  ").append(mark).append(' ').append(ops.get(op).describe()).append('\n');
        }
        if (hi < order.size() - 1) out.append("    ... ").append(order.size() - 1 - hi).append(" later\n");
        return out.toString();
    }
}
