package minietcd.kit.check;

import java.util.ArrayList;
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
 * <p>The search is Wing &amp; Gong's, with Lowe's memo, as porcupine does it: walk the ops in time
 * order; place next any op that nothing still unplaced must precede and whose answer the register
 * allows; back up when stuck; and remember every configuration (the ops placed and the value)
 * already reached, so that none is explored twice. A key passes once every op with a known answer
 * is placed: the unknown ops left over never happened. A few shortcuts keep the search small:
 * reads are placed as soon as they fit; unknown ops are tried last, one per effect, and only where
 * the next known op needs them; values no op left reads count as one. The search's own comments
 * say why each is safe ({@link KeySearch}; its memo is {@link SearchMemo}). Each key's search may take at most {@code budget} steps, a step being one
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
            Verdict v = new KeySearch(e.getKey(), e.getValue(), budget).run();
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
}
