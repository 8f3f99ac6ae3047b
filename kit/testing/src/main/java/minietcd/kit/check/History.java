package minietcd.kit.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A record of what clients asked a key-value store and what came back, for {@link Linearizability}
 * to judge. Clients call {@link #invoke} just before they send a request and {@link #complete} once
 * they know how it ended. The caller supplies the time: virtual milliseconds in the simulator,
 * {@link System#nanoTime()} in a real run; the only rule is that one history uses one clock.
 *
 * <p>Safe to use from many client threads at once. An op that is never completed (its client gave
 * up, crashed, or the run ended first) counts as {@link Result.Unknown}.
 */
public final class History {
    public enum Kind { PUT, GET, DELETE, CAS }

    /**
     * One request on one key.
     *
     * @param client   who sent it (any number; shown in explanations)
     * @param value    PUT and CAS: the new value; GET and DELETE: null
     * @param expected CAS only: the value compared against, null meaning "the key must be absent"
     */
    public record Call(int client, Kind kind, String key, String value, String expected) {
        public Call {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(key, "key");
            if ((kind == Kind.PUT || kind == Kind.CAS) && value == null) throw new IllegalArgumentException(kind + " needs a value");
            if ((kind == Kind.GET || kind == Kind.DELETE) && value != null) throw new IllegalArgumentException(kind + " takes no value");
            if (kind != Kind.CAS && expected != null) throw new IllegalArgumentException("only CAS has an expected value");
        }

        public static Call put(int client, String key, String value) { return new Call(client, Kind.PUT, key, value, null); }
        public static Call get(int client, String key) { return new Call(client, Kind.GET, key, null, null); }
        public static Call delete(int client, String key) { return new Call(client, Kind.DELETE, key, null, null); }
        /** Sets {@code key} to {@code value} if it holds {@code expected} (null: if it is absent). */
        public static Call cas(int client, String key, String expected, String value) { return new Call(client, Kind.CAS, key, value, expected); }

        /** The request in short, e.g. {@code PUT k="v"} or {@code CAS k: absent -> "v"}. */
        public String describe() {
            return switch (kind) {
                case PUT -> "PUT " + key + "=" + show(value);
                case GET -> "GET " + key;
                case DELETE -> "DELETE " + key;
                case CAS -> "CAS " + key + ": " + show(expected) + " -> " + show(value);
            };
        }
    }

    /**
     * What came back. {@link Ok} carries the answer; {@link Failed} means the op is known not to have
     * taken effect (the store refused it); {@link Unknown} means it may or may not have taken effect
     * (a timeout, a lost connection).
     */
    public sealed interface Result {
        /**
         * A successful answer: GET's {@code value} (null: the key was absent), DELETE's {@code deleted}
         * count (0 or 1), CAS's {@code succeeded} flag. The other fields are unused.
         */
        record Ok(String value, long deleted, boolean succeeded) implements Result {}
        record Failed(String why) implements Result {}
        record Unknown(String why) implements Result {}

        static Result read(String value) { return new Ok(value, 0, false); }
        static Result put() { return new Ok(null, 0, false); }
        static Result deleted(long count) { return new Ok(null, count, false); }
        static Result cas(boolean succeeded) { return new Ok(null, 0, succeeded); }
        static Result failed(String why) { return new Failed(why); }
        static Result unknown(String why) { return new Unknown(why); }
    }

    /**
     * One op as recorded. {@code completed} is {@link Long#MAX_VALUE} while the op is pending and
     * whenever its result is {@link Result.Unknown}: it may take effect at any time after it was invoked.
     */
    public record Op(long id, Call call, long invoked, long completed, Result result) {
        public boolean pending() { return completed == Long.MAX_VALUE; }

        /** The op in short, for explanations: {@code #3 client 2 GET k [10..25] returned "a"}. */
        public String describe() {
            return "#" + id + " client " + call.client() + " " + call.describe() + " [" + invoked + ".." + (pending() ? "?" : completed) + "] " + outcome();
        }

        /** The result in words, read for this op's kind. */
        public String outcome() {
            if (result instanceof Result.Failed f) return "failed (" + f.why() + ")";
            if (result instanceof Result.Unknown u) return "unknown (" + u.why() + ")";
            Result.Ok ok = (Result.Ok) result;
            return switch (call.kind()) {
                case PUT -> "ok";
                case GET -> "returned " + show(ok.value());
                case DELETE -> "deleted " + ok.deleted();
                case CAS -> ok.succeeded() ? "succeeded" : "did not succeed";
            };
        }
    }

    private static final Result NEVER_COMPLETED = new Result.Unknown("never completed");

    private final List<Op> ops = new ArrayList<>();

    /** Records that {@code call} was sent at {@code time}; returns the op's id for {@link #complete}. */
    public synchronized long invoke(Call call, long time) {
        Objects.requireNonNull(call, "call");
        long id = ops.size();
        ops.add(new Op(id, call, time, Long.MAX_VALUE, NEVER_COMPLETED));
        return id;
    }

    /**
     * Records how op {@code id} ended, at {@code time} (not before it was invoked). An
     * {@link Result.Unknown} keeps the op's completion at {@link Long#MAX_VALUE}. An op completes once.
     */
    public synchronized void complete(long id, Result result, long time) {
        Objects.requireNonNull(result, "result");
        if (id < 0 || id >= ops.size()) throw new IllegalArgumentException("no op " + id);
        Op op = ops.get((int) id);
        if (op.result() != NEVER_COMPLETED) throw new IllegalStateException("op " + id + " was already completed: " + op.describe());
        if (time < op.invoked()) throw new IllegalArgumentException("op " + id + " completes at " + time + ", before it was invoked at " + op.invoked());
        if (result instanceof Result.Ok ok && op.call().kind() == Kind.DELETE && ok.deleted() != 0 && ok.deleted() != 1)
            throw new IllegalArgumentException("a DELETE of one key deletes 0 or 1 keys, not " + ok.deleted());
        long completed = result instanceof Result.Unknown ? Long.MAX_VALUE : time;
        ops.set((int) id, new Op(id, op.call(), op.invoked(), completed, result));
    }

    /** A copy of every op so far, in id order (the order of the {@link #invoke} calls); ops never completed are {@link Result.Unknown}. */
    public synchronized List<Op> ops() {
        return List.copyOf(ops);
    }

    public synchronized int size() {
        return ops.size();
    }

    static String show(String value) {
        return value == null ? "absent" : '"' + value + '"';
    }
}
