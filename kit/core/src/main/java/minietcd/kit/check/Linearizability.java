package minietcd.kit.check;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import minietcd.kit.check.History.Op;
import minietcd.kit.check.History.Result;

/**
 * Decides whether a key-value history is linearizable: whether every op can be given one instant
 * between its invocation and its completion such that, taken in the order of those instants, the
 * ops behave like a single copy of the store.
 *
 * <p>The model: each key is its own register, holding a string or nothing (absent), and keys do not
 * interact, so the history is split by key and each key is checked alone. PUT sets the value. GET
 * returns it. DELETE removes it and deleted 1 if it was there, 0 if not. CAS sets the new value if
 * and only if the current one equals the expected one (null expected: the key is absent), and says
 * whether it did. Every {@link Result.Ok} answer must match the model at the op's instant.
 *
 * <p>Uncertain outcomes: a {@link Result.Failed} op never happened and is left out. A
 * {@link Result.Unknown} op (a timeout, a lost connection, an op never completed) has no answer to
 * match and no deadline: it may take effect at any instant after its invocation, or never.
 *
 * <p>Real time: op A must come before op B only if A completed strictly before B was invoked. Ops
 * whose times touch (A completes at t, B is invoked at t) count as concurrent, since a coarse clock
 * cannot tell which came first.
 *
 * <p>The search is Wing &amp; Gong's, with Lowe's memo as porcupine does it: try to place, one at a
 * time, each op that nothing still unplaced must precede; back up when stuck; and remember every
 * (set of placed ops, register value) already reached, so that one configuration is explored once
 * (see {@link Memo} for how unknown ops count in it).
 * A key succeeds once every op with a known answer is placed; unknown ops left over simply never
 * happened. Since an unknown op has no deadline, it stays a candidate until the end; so that it
 * does not multiply the search, it is tried only after the known candidates, and never when it
 * would leave the value as it is. Each key's search may take at most {@code budget} steps (one
 * step: one entry of the history looked at).
 *
 * <p>No clock and no threads here: the same history always gets the same verdict, in the same steps.
 */
public final class Linearizability {
    /** Enough for histories of thousands of ops with modest concurrency. */
    public static final long DEFAULT_BUDGET = 10_000_000;

    private Linearizability() {}

    /** The outcome of a check. Only {@link Linearizable} passes: a test must fail on anything else. */
    public sealed interface Verdict {
        /** True only for {@link Linearizable}. */
        boolean ok();

        /** The verdict in words, for a test's failure message. */
        String describe();

        /** Returns this verdict if it is {@link Linearizable}, else throws an AssertionError that describes it. */
        default Verdict requireLinearizable() {
            if (!ok()) throw new AssertionError(describe());
            return this;
        }

        /** Every key checked has an order that works; {@code steps} is the search's total over the keys. */
        record Linearizable(int keys, long steps) implements Verdict {
            public boolean ok() { return true; }
            public String describe() { return "linearizable (" + keys + " keys, " + steps + " search steps)"; }
        }

        /** No order works for {@code key}; {@code explanation} shows where the search got stuck. */
        record NotLinearizable(String key, String explanation) implements Verdict {
            public boolean ok() { return false; }
            public String describe() { return explanation; }
        }

        /**
         * The search for {@code key} ran out of budget after {@code steps} steps without an answer.
         * Unknown never passes: a test that gets it must fail (raise the budget or check a smaller
         * history), since the history may well hide a violation.
         */
        record Unknown(String key, long steps) implements Verdict {
            public boolean ok() { return false; }
            public String describe() {
                return "unknown: the search for key " + key + " gave up after " + steps + " steps without deciding;"
                        + " an unknown verdict never passes (raise the budget or check a smaller history)";
            }
        }
    }

    /** {@link #check(List, long)} with {@link #DEFAULT_BUDGET}. */
    public static Verdict check(List<Op> ops) {
        return check(ops, DEFAULT_BUDGET);
    }

    /**
     * Checks a history, key by key in key order. Returns the first key that is not linearizable if
     * there is one, else the first key whose search ran out of {@code budget} steps if there is one,
     * else {@link Verdict.Linearizable}.
     *
     * @param budget the most search steps any one key may take (at least 1)
     * @throws IllegalArgumentException for an op that completes before it is invoked
     */
    public static Verdict check(List<Op> ops, long budget) {
        if (budget < 1) throw new IllegalArgumentException("the budget must be at least 1 step");
        Map<String, List<Op>> byKey = new TreeMap<>();
        for (Op op : ops) {
            if (op.completed() < op.invoked())
                throw new IllegalArgumentException("op completes before it is invoked: " + op.describe());
            byKey.computeIfAbsent(op.call().key(), k -> new ArrayList<>()).add(op);
        }
        long steps = 0;
        Verdict.Unknown gaveUp = null;
        for (var e : byKey.entrySet()) {
            Verdict v = new Search(e.getKey(), e.getValue(), budget).run();
            if (v instanceof Verdict.NotLinearizable) return v;
            if (v instanceof Verdict.Unknown u && gaveUp == null) gaveUp = u;
            if (v instanceof Verdict.Linearizable l) steps += l.steps();
        }
        return gaveUp != null ? gaveUp : new Verdict.Linearizable(byKey.size(), steps);
    }

    // ---- the register ---------------------------------------------------------------------------

    /** Whether {@code op} may take effect when the key holds {@code value} (null: absent). */
    static boolean allows(Op op, String value) {
        History.Call c = op.call();
        if (op.result() instanceof Result.Ok ok) {
            return switch (c.kind()) {
                case PUT -> true;
                case GET -> Objects.equals(ok.value(), value);
                case DELETE -> ok.deleted() == (value == null ? 0 : 1);
                case CAS -> ok.succeeded() == Objects.equals(value, c.expected());
            };
        }
        // An unknown answer constrains nothing; an unknown CAS that did not succeed changed nothing,
        // which is the same as not happening, so only its succeeding version needs placing.
        return c.kind() != History.Kind.CAS || Objects.equals(value, c.expected());
    }

    /** The key's value after {@code op} takes effect on {@code value}. */
    static String after(Op op, String value) {
        History.Call c = op.call();
        return switch (c.kind()) {
            case PUT -> c.value();
            case GET -> value;
            case DELETE -> null;
            case CAS -> Objects.equals(value, c.expected()) ? c.value() : value;
        };
    }

    /** Why {@code op} cannot take effect on {@code value}, in words. */
    static String whyNot(Op op, String value) {
        String key = op.call().key(), now = key + " is " + History.show(value);
        if (!(op.result() instanceof Result.Ok ok)) return "its CAS cannot succeed: " + now;
        return switch (op.call().kind()) {
            case PUT -> "";
            case GET -> "but " + now + " at that point";
            case DELETE -> "but " + now + " at that point, so it would delete " + (value == null ? 0 : 1);
            case CAS -> "but " + now + " at that point, so it would " + (ok.succeeded() ? "not succeed" : "succeed");
        };
    }

    // ---- the search for one key -----------------------------------------------------------------

    /** A call or a return in the time-ordered, doubly linked list the search walks. */
    private static final class Entry {
        final int op;
        final boolean call;
        final long time;
        Entry match; // a call's return; null for an op with no deadline
        Entry prev, next;

        Entry(int op, boolean call, long time) { this.op = op; this.call = call; this.time = time; }
    }

    /** One placement, to undo: the op, the value before it, and for an unknown op the deadline it was placed under. */
    private record Frame(Entry call, String before, long deadline) {}

    /** The memo's key: the known ops placed and the value, as far as the ops left can tell it apart. */
    private record Config(BitSet known, Object value) {}

    /**
     * The configurations reached so far. Placing an unknown op is optional, so a configuration is
     * worth no more than the same one with fewer unknown ops placed: anything that works from the
     * first works from the second, where those ops can still be placed, or never be. So for each
     * (known ops placed, value) it keeps the sets of unknown ops placed, and a configuration is new
     * only if none of those is a subset of its own.
     */
    private static final class Memo {
        private final Map<Config, List<BitSet>> reached = new HashMap<>();

        /** Records a configuration; false if it, or one it is worth no more than, was reached before. */
        boolean add(BitSet known, BitSet unknown, Object value) {
            List<BitSet> sets = reached.get(new Config(known, value)); // the lookup needs no copy
            if (sets == null) reached.put(new Config((BitSet) known.clone(), value), sets = new ArrayList<>(1));
            for (BitSet fewer : sets) if (subset(fewer, unknown)) return false;
            sets.add((BitSet) unknown.clone());
            return true;
        }

        private static boolean subset(BitSet a, BitSet b) {
            for (int i = a.nextSetBit(0); i >= 0; i = a.nextSetBit(i + 1)) if (!b.get(i)) return false;
            return true;
        }
    }

    /** Stands, in the memo, for every value no op of the key reads or compares against. */
    private static final Object UNOBSERVED = new Object();

    /** What an unknown op does, as far as the ops of its key can tell: unknown ops that do the same are interchangeable. */
    private record Effect(History.Kind kind, String expected, Object value) {}

    private static final class Search {
        final String key;
        final List<Op> ops = new ArrayList<>(); // the ops that take part: not failed, not unknown GETs
        final int failed, knownTotal, unknownTotal;
        final long budget;
        final Entry head = new Entry(-1, false, Long.MIN_VALUE); // the known ops' calls and returns
        final Entry unknownHead = new Entry(-1, false, Long.MIN_VALUE); // the unknown ops' calls: they have no returns
        /** The values some op of the key reads (GET) or compares against (CAS); all others look alike. */
        final java.util.Set<String> observed = new java.util.HashSet<>();
        /** For each unknown op, its place in its effect's list of ops; and those lists. */
        final int[] effectOf;
        final List<List<Integer>> sameEffect = new ArrayList<>();
        int[] best = new int[0]; // the order that placed the most known ops
        int bestKnown = -1;
        String bestValue;

        Search(String key, List<Op> all, long budget) {
            this.key = key;
            this.budget = budget;
            int f = 0, known = 0;
            for (Op op : all) {
                if (op.result() instanceof Result.Failed) { f++; continue; }
                boolean unknown = op.result() instanceof Result.Unknown;
                if (unknown && op.call().kind() == History.Kind.GET) continue; // no effect and no answer: nothing to place
                ops.add(op);
                if (!unknown) known++;
                if (op.call().kind() == History.Kind.CAS && op.call().expected() != null) observed.add(op.call().expected());
                if (op.call().kind() == History.Kind.GET && op.result() instanceof Result.Ok ok && ok.value() != null) observed.add(ok.value());
            }
            failed = f;
            knownTotal = known;
            unknownTotal = ops.size() - known;
            effectOf = new int[ops.size()];
            Map<Effect, Integer> effects = new HashMap<>();
            List<Entry> entries = new ArrayList<>(), unknownEntries = new ArrayList<>();
            for (int i = 0; i < ops.size(); i++) {
                Op op = ops.get(i);
                Entry call = new Entry(i, true, op.invoked());
                if (op.result() instanceof Result.Unknown) {
                    unknownEntries.add(call);
                    History.Call c = op.call();
                    Effect e = new Effect(c.kind(), c.expected(), seen(c.value()));
                    effectOf[i] = effects.computeIfAbsent(e, x -> { sameEffect.add(new ArrayList<>()); return sameEffect.size() - 1; });
                    sameEffect.get(effectOf[i]).add(i);
                } else {
                    call.match = new Entry(i, false, op.completed());
                    entries.add(call);
                    entries.add(call.match);
                }
            }
            link(head, entries);
            link(unknownHead, unknownEntries);
        }

        /** Chains entries after a head by time; at one instant calls before returns, so that touching ops overlap. */
        private static void link(Entry head, List<Entry> entries) {
            entries.sort(Comparator.<Entry>comparingLong(e -> e.time).thenComparing(e -> !e.call).thenComparingInt(e -> e.op));
            Entry last = head;
            for (Entry e : entries) { last.next = e; e.prev = last; last = e; }
        }

        /**
         * A value as the key's ops see it. Two values no op reads or compares against are alike for
         * every op left: GET and CAS tell them apart from the values they name but not from each
         * other, DELETE only asks whether there is a value at all, and PUT overwrites it.
         */
        Object seen(String value) {
            return value == null || observed.contains(value) ? value : UNOBSERVED;
        }

        /**
         * The search. One subtlety: unknown ops with the same effect, once both invoked, can trade
         * places in any order, so the memo records only how many of each effect are placed (as the
         * first so many of that effect's ops), and the fewer the better.
         */
        Verdict run() {
            BitSet known = new BitSet(ops.size()), unknowns = new BitSet(ops.size()); // the ops placed (unknowns: by count per effect)
            int[] placedOf = new int[sameEffect.size()];
            Memo memo = new Memo();
            Deque<Frame> stack = new ArrayDeque<>();
            String value = null;
            int placedKnown = 0;
            long steps = 0;
            remember(stack, 0, value);
            // The walk tries the candidates in two passes: first the known ops invoked before the
            // earliest deadline of the known ops left (the first return in the list), then the unknown
            // ops invoked by that deadline.
            Entry entry = head.next;
            boolean lazy = false; // in the second pass
            long deadline = 0;
            while (placedKnown < knownTotal) {
                if (++steps > budget) return new Verdict.Unknown(key, steps - 1);
                if (!lazy && !entry.call) { // the deadline: no known candidate led anywhere
                    lazy = true;
                    deadline = entry.time;
                    entry = unknownHead.next;
                } else if (!lazy || (entry != null && entry.time <= deadline)) {
                    boolean unknown = lazy;
                    Op op = ops.get(entry.op);
                    // An unknown op that would change nothing is never worth placing: leaving it out keeps every option open.
                    if (allows(op, value) && !(unknown && Objects.equals(seen(after(op, value)), seen(value)))) {
                        String next = after(op, value);
                        int label = unknown ? sameEffect.get(effectOf[entry.op]).get(placedOf[effectOf[entry.op]]) : entry.op;
                        BitSet placed = unknown ? unknowns : known;
                        placed.set(label);
                        if (memo.add(known, unknowns, seen(next))) {
                            stack.push(new Frame(entry, value, deadline));
                            value = next;
                            if (unknown) placedOf[effectOf[entry.op]]++;
                            else placedKnown++;
                            lift(entry);
                            if (placedKnown > bestKnown) remember(stack, placedKnown, value);
                            entry = head.next;
                            lazy = false;
                            continue;
                        }
                        placed.clear(label); // this configuration, or a better one, was explored already
                    }
                    entry = entry.next;
                } else {
                    // Both passes are done and the deadline's op is not placed: undo the last placement and try the next candidate.
                    if (stack.isEmpty()) return new Verdict.NotLinearizable(key, explain());
                    Frame top = stack.pop();
                    entry = top.call();
                    value = top.before();
                    lazy = entry.match == null;
                    if (lazy) {
                        int e = effectOf[entry.op];
                        unknowns.clear(sameEffect.get(e).get(--placedOf[e]));
                        deadline = top.deadline();
                    } else {
                        known.clear(entry.op);
                        placedKnown--;
                    }
                    unlift(entry);
                    entry = entry.next;
                }
            }
            return new Verdict.Linearizable(1, steps);
        }

        private void remember(Deque<Frame> stack, int known, String value) {
            bestKnown = known;
            bestValue = value;
            best = new int[stack.size()];
            int i = best.length;
            for (Frame f : stack) best[--i] = f.call().op; // the stack iterates from its top
        }

        /** Takes a placed op's call and return out of the list. */
        private static void lift(Entry call) {
            call.prev.next = call.next;
            if (call.next != null) call.next.prev = call.prev;
            Entry ret = call.match;
            if (ret != null) {
                ret.prev.next = ret.next;
                if (ret.next != null) ret.next.prev = ret.prev;
            }
        }

        /** Puts them back, in the reverse order. */
        private static void unlift(Entry call) {
            Entry ret = call.match;
            if (ret != null) {
                ret.prev.next = ret;
                if (ret.next != null) ret.next.prev = ret;
            }
            call.prev.next = call;
            if (call.next != null) call.next.prev = call;
        }

        // ---- the explanation --------------------------------------------------------------------

        private String explain() {
            BitSet inBest = new BitSet();
            for (int i : best) inBest.set(i);
            // The earliest deadline among the known ops left, and the ops invoked by then: the candidates.
            int due = -1;
            for (int i = 0; i < ops.size(); i++)
                if (!inBest.get(i) && !(ops.get(i).result() instanceof Result.Unknown) && (due < 0 || ops.get(i).completed() < ops.get(due).completed())) due = i;
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
                    v = after(ops.get(best[i]), v);
                    if (i >= from) out.append(String.format("    %3d. %s   => %s%n", i + 1, ops.get(best[i]).describe(), History.show(v)));
                }
                out.append("after which ").append(key).append(" is ").append(History.show(bestValue)).append(".\n");
            }
            out.append("Of the ops left, ").append(ops.get(due).describe()).append(" is due first: it completed at ").append(deadline)
                    .append(",\nso it must take effect before any op invoked later. The ops that could come next, and why none leads anywhere:\n");
            for (int i : candidates) {
                Op op = ops.get(i);
                String why = allows(op, bestValue) ? op.result() instanceof Result.Unknown
                        ? "might come next, but doing so (or leaving it out) does not help"
                        : "fits here, but then the ops after it cannot all be placed"
                        : whyNot(op, bestValue);
                out.append("    ").append(op.describe()).append(": ").append(why).append('\n');
            }
            out.append(context(inBest, candidates));
            return out.toString();
        }

        /** The key's ops near the stuck point, by invocation time. */
        private String context(BitSet inBest, List<Integer> candidates) {
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < ops.size(); i++) order.add(i);
            order.sort(Comparator.<Integer>comparingLong(i -> ops.get(i).invoked()).thenComparingInt(i -> i));
            int lo = order.size(), hi = -1;
            List<Integer> focus = new ArrayList<>(candidates);
            for (int i = Math.max(0, best.length - 3); i < best.length; i++) focus.add(best[i]);
            for (int i = 0; i < order.size(); i++) if (focus.contains(order.get(i))) { lo = Math.min(lo, i); hi = Math.max(hi, i); }
            lo = Math.max(0, lo - 3);
            hi = Math.min(order.size() - 1, Math.max(hi + 3, lo + 6));
            if (hi - lo > 30) hi = lo + 30;
            Map<Integer, Integer> position = new LinkedHashMap<>();
            for (int i = 0; i < best.length; i++) position.put(best[i], i + 1);
            StringBuilder out = new StringBuilder("Ops of key " + key + " around that point, by invocation time"
                    + " (n. = place in the order above, ? = could come next):\n");
            if (lo > 0) out.append("    ... ").append(lo).append(" earlier\n");
            for (int i = lo; i <= hi; i++) {
                int op = order.get(i);
                String mark = position.containsKey(op) ? String.format("%3d.", position.get(op)) : candidates.contains(op) ? "   ?" : "    ";
                out.append("  ").append(mark).append(' ').append(ops.get(op).describe()).append('\n');
            }
            if (hi < order.size() - 1) out.append("    ... ").append(order.size() - 1 - hi).append(" later\n");
            return out.toString();
        }
    }
}
