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
 * <p>The search is Wing &amp; Gong's, with Lowe's memo, as porcupine does it: walk the ops in time
 * order; place next any op that nothing still unplaced must precede and whose answer the register
 * allows; back up when stuck; and remember every configuration (the ops placed and the value)
 * already reached, so that none is explored twice. A key passes once every op with a known answer
 * is placed: the unknown ops left over never happened. A few shortcuts keep the search small:
 * reads are placed as soon as they fit; unknown ops are tried last, one per effect, and only where
 * the next known op needs them; values no op left reads count as one. The search's own comments
 * say why each is safe. Each key's search may take at most {@code budget} steps, a step being one
 * candidate looked at or one placement undone.
 *
 * <p>No clock and no threads here: the same history always gets the same verdict, in the same steps.
 */
public final class Linearizability {
    /**
     * Ten million steps, a second or two. Enough for 10,000 ops on one key from ten clients at once,
     * one in ten of them unknown (about 5 million steps); the steps grow fast with the number of
     * clients at once on one key, and with unknown ops.
     */
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
     * placing if the known op after it could not have come before it: see {@code Search.run}.
     */
    private record Chain(String from) {}

    /** Stands, in the memo, for every value that no op of the key reads or compares against. */
    private static final Object UNOBSERVED = new Object();

    /** Stands, in the memo, for "not in a run of unknown ops". */
    private static final Object NO_CHAIN = new Object();

    /** What an unknown op does, as far as the ops of its key can tell: unknown ops that do the same are interchangeable. */
    private record Effect(History.Kind kind, String expected, Object value) {}

    /**
     * The memo's key: the known ops placed, the value as the ops can tell it, and the value before
     * the run of unknown ops the walk is in, if any (the same, as the ops can tell it). The known ops
     * are numbered in invocation order, so the placed ones are nearly always all those before some
     * point and a few after it: the key keeps that point and the few bits past it.
     */
    private static final class Config {
        final int allBefore;
        final long[] after;
        final Object value, chainFrom;
        final int hash;

        Config(BitSet known, Object value, Object chainFrom) {
            allBefore = known.nextClearBit(0);
            after = known.get(allBefore, Math.max(allBefore, known.length())).toLongArray();
            this.value = value;
            this.chainFrom = chainFrom;
            hash = Objects.hash(allBefore, Arrays.hashCode(after), value, chainFrom);
        }

        @Override public boolean equals(Object o) {
            return o instanceof Config c && c.allBefore == allBefore && Arrays.equals(c.after, after)
                    && Objects.equals(c.value, value) && Objects.equals(c.chainFrom, chainFrom);
        }

        @Override public int hashCode() { return hash; }
    }

    /**
     * The configurations reached so far. Placing an unknown op is optional, so a configuration is
     * worth no more than the same one with fewer unknown ops placed: whatever works from the first
     * works from the second, where those ops can still be placed, or never be. And unknown ops that
     * the ops left cannot tell apart are interchangeable. So for each (known ops placed, value, run)
     * it keeps how many unknown ops of each kind were placed (kinds: see {@code Search.kindNow}),
     * and a configuration is new only if none of those counts is at most its own, kind by kind.
     */
    private static final class Memo {
        private final Map<Config, List<int[]>> reached = new HashMap<>();

        /** Records a configuration; false if it, or one it is worth no more than, was reached before. */
        boolean add(BitSet known, Object value, Object chainFrom, int[] counts, BitSet nonZero) {
            List<int[]> seen = reached.computeIfAbsent(new Config(known, value, chainFrom), c -> new ArrayList<>(1));
            for (int[] fewer : seen) if (atMost(fewer, counts)) return false;
            int[] pairs = new int[2 * nonZero.cardinality()];
            for (int k = nonZero.nextSetBit(0), i = 0; k >= 0; k = nonZero.nextSetBit(k + 1)) { pairs[i++] = k; pairs[i++] = counts[k]; }
            seen.add(pairs);
            return true;
        }

        /** Whether the counts kept as pairs (kind, count) are at most the given ones, kind by kind. */
        private static boolean atMost(int[] pairs, int[] counts) {
            for (int i = 0; i < pairs.length; i += 2) if (counts[pairs[i]] < pairs[i + 1]) return false;
            return true;
        }
    }

    private static final class Search {
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
        final Memo memo = new Memo();
        String value; // the key's value after the ops placed; null: absent
        Chain chain; // the run of unknown ops just placed, or null

        int placedKnown;
        long steps;

        // The furthest the walk got, for the explanation.
        int[] best = new int[0];
        int bestKnown = -1;
        String bestValue;

        Search(String key, List<Op> all, long budget) {
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
            return chain != null && allows(ops.get(op), chain.from());
        }

        /** A read among the known candidates that fits the value now, or null. */
        private Entry fittingRead() {
            for (Entry e = head.next; e != null && e.call; e = e.next) {
                steps++;
                if (readOnly(ops.get(e.op)) && allows(ops.get(e.op), value) && !wouldFitBeforeChain(e.op)) return e;
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
            if (!allows(o, value)) return false;
            String next = after(o, value);
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
                    v = after(ops.get(best[i]), v);
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
                String why = !allows(op, bestValue) ? whyNot(op, bestValue)
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
}
