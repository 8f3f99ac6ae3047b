package minietcd.kit.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import minietcd.kit.check.History.Call;
import minietcd.kit.check.History.Op;
import minietcd.kit.check.History.Result;
import minietcd.kit.check.Linearizability.Verdict;
import org.junit.jupiter.api.Test;

class LinearizabilityTest {
    private final History h = new History();

    /** Records one op that ran from {@code from} to {@code to}. */
    private long op(Call call, long from, long to, Result result) {
        long id = h.invoke(call, from);
        h.complete(id, result, to);
        return id;
    }

    private Verdict check() {
        return Linearizability.check(h.ops(), 100_000);
    }

    @Test
    void aSequentialHistoryThatFollowsTheRulesPasses() {
        op(Call.get(1, "k"), 0, 1, Result.read(null));
        op(Call.put(1, "k", "a"), 2, 3, Result.put());
        op(Call.get(2, "k"), 4, 5, Result.read("a"));
        op(Call.cas(2, "k", "a", "b"), 6, 7, Result.cas(true));
        op(Call.delete(1, "k"), 8, 9, Result.deleted(1));
        op(Call.get(1, "k"), 10, 11, Result.read(null));
        Verdict v = check();
        assertThat(v).isInstanceOf(Verdict.Linearizable.class);
        assertThat(v.ok()).isTrue();
        assertThat(((Verdict.Linearizable) v).keys()).isEqualTo(1);
    }

    @Test
    void anEmptyHistoryPasses() {
        assertThat(check().ok()).isTrue();
    }

    @Test
    void aStaleReadAfterACompletedWriteFails() {
        op(Call.put(1, "color", "red"), 0, 10, Result.put());
        op(Call.put(1, "color", "blue"), 20, 30, Result.put());
        op(Call.get(2, "color"), 40, 50, Result.read("red"));
        Verdict v = check();
        assertThat(v).isInstanceOf(Verdict.NotLinearizable.class);
        assertThat(v.ok()).isFalse();
        assertThat(((Verdict.NotLinearizable) v).key()).isEqualTo("color");
        assertThat(v.describe()).contains("key color").contains("GET color [40..50] returned \"red\"");
        System.out.println(v.describe());
    }

    @Test
    void theExplanationShowsTheLongestOrderAndTheOpsThatCouldNotComeNext() {
        op(Call.put(1, "k", "a"), 0, 10, Result.put());
        op(Call.put(2, "k", "b"), 20, 30, Result.put());
        op(Call.get(3, "k"), 40, 50, Result.read("a"));
        op(Call.get(4, "k"), 45, 60, Result.read("c"));
        String text = check().describe();
        assertThat(text)
                .contains("longest valid order found places 2 of the 4")
                .contains("after which k is \"b\"")
                .contains("#2 client 3 GET k [40..50] returned \"a\": but k is \"b\" at that point")
                .contains("#3 client 4 GET k [45..60] returned \"c\": but k is \"b\" at that point")
                .contains("Ops of key k around that point");
    }

    @Test
    void anOverlappingWriteAndReadPassWhicheverValueTheReadSaw() {
        op(Call.put(1, "k", "old"), 0, 5, Result.put());
        op(Call.put(1, "k", "new"), 10, 30, Result.put());
        op(Call.get(2, "k"), 15, 20, Result.read("old"));
        op(Call.get(3, "k"), 15, 25, Result.read("new"));
        assertThat(check().ok()).isTrue();
    }

    @Test
    void opsWhoseTimesTouchCountAsConcurrent() {
        op(Call.put(1, "k", "a"), 0, 10, Result.put());
        op(Call.get(2, "k"), 10, 20, Result.read(null));
        assertThat(check().ok()).as("the read may come first").isTrue();

        History later = new History();
        long id = later.invoke(Call.put(1, "k", "a"), 0);
        later.complete(id, Result.put(), 10);
        id = later.invoke(Call.get(2, "k"), 11);
        later.complete(id, Result.read(null), 20);
        assertThat(Linearizability.check(later.ops(), 1000).ok()).as("the read starts after the write ended").isFalse();
    }

    @Test
    void aLostAcknowledgedWriteFails() {
        op(Call.put(1, "k", "a"), 0, 10, Result.put());
        op(Call.get(2, "k"), 20, 30, Result.read(null));
        Verdict v = check();
        assertThat(v).isInstanceOf(Verdict.NotLinearizable.class);
        assertThat(v.describe()).contains("but k is \"a\" at that point");
    }

    @Test
    void readsMustAgreeOnTheOrderOfConcurrentWrites() {
        op(Call.put(1, "k", "a"), 0, 100, Result.put());
        op(Call.put(2, "k", "b"), 0, 100, Result.put());
        op(Call.get(3, "k"), 10, 20, Result.read("a"));
        op(Call.get(3, "k"), 30, 40, Result.read("b"));
        op(Call.get(4, "k"), 50, 60, Result.read("a"));
        assertThat(check()).isInstanceOf(Verdict.NotLinearizable.class);
    }

    @Test
    void aCasSucceedsExactlyWhenTheValueMatches() {
        op(Call.cas(1, "k", null, "a"), 0, 1, Result.cas(true));
        op(Call.cas(1, "k", null, "b"), 2, 3, Result.cas(false));
        op(Call.cas(2, "k", "a", "c"), 4, 5, Result.cas(true));
        op(Call.cas(2, "k", "a", "d"), 6, 7, Result.cas(false));
        op(Call.get(1, "k"), 8, 9, Result.read("c"));
        assertThat(check().ok()).isTrue();
    }

    @Test
    void aCasThatSucceededOnTheWrongValueFails() {
        op(Call.put(1, "k", "a"), 0, 1, Result.put());
        op(Call.cas(2, "k", "z", "b"), 2, 3, Result.cas(true));
        Verdict v = check();
        assertThat(v).isInstanceOf(Verdict.NotLinearizable.class);
        assertThat(v.describe()).contains("so it would not succeed");
    }

    @Test
    void aCasThatFailedOnTheRightValueFails() {
        op(Call.put(1, "k", "a"), 0, 1, Result.put());
        op(Call.cas(2, "k", "a", "b"), 2, 3, Result.cas(false));
        assertThat(check()).isInstanceOf(Verdict.NotLinearizable.class);
    }

    @Test
    void aCasExpectingAbsenceFailsOnAPresentKey() {
        op(Call.put(1, "k", "a"), 0, 1, Result.put());
        op(Call.cas(2, "k", null, "b"), 2, 3, Result.cas(true));
        assertThat(check()).isInstanceOf(Verdict.NotLinearizable.class);
    }

    @Test
    void aDeleteCountsOneIfTheKeyWasPresentAndZeroIfNot() {
        op(Call.delete(1, "k"), 0, 1, Result.deleted(0));
        op(Call.put(1, "k", "a"), 2, 3, Result.put());
        op(Call.delete(2, "k"), 4, 5, Result.deleted(1));
        op(Call.delete(2, "k"), 6, 7, Result.deleted(0));
        assertThat(check().ok()).isTrue();
    }

    @Test
    void aDeleteCountThatDisagreesWithTheKeyFails() {
        op(Call.put(1, "k", "a"), 0, 1, Result.put());
        op(Call.delete(2, "k"), 4, 5, Result.deleted(0));
        Verdict v = check();
        assertThat(v).isInstanceOf(Verdict.NotLinearizable.class);
        assertThat(v.describe()).contains("so it would delete 1");
    }

    @Test
    void anUnknownWriteMayHaveBeenApplied() {
        long id = h.invoke(Call.put(1, "k", "a"), 0);
        h.complete(id, Result.unknown("timeout"), 10);
        op(Call.get(2, "k"), 500, 510, Result.read("a"));
        assertThat(h.ops().get(0).completed()).isEqualTo(Long.MAX_VALUE);
        assertThat(check().ok()).isTrue();
    }

    @Test
    void anUnknownWriteMayNotHaveBeenApplied() {
        long id = h.invoke(Call.put(1, "k", "a"), 0);
        h.complete(id, Result.unknown("connection lost"), 10);
        op(Call.get(2, "k"), 500, 510, Result.read(null));
        assertThat(check().ok()).isTrue();
    }

    @Test
    void anUnknownWriteMayTakeEffectLongAfterItsClientGaveUp() {
        long id = h.invoke(Call.put(1, "k", "a"), 0);
        h.complete(id, Result.unknown("timeout"), 10);
        op(Call.get(2, "k"), 100, 110, Result.read(null));
        op(Call.get(2, "k"), 200, 210, Result.read("a"));
        assertThat(check().ok()).isTrue();
    }

    @Test
    void anUnknownWriteTakesEffectAtMostOnce() {
        long id = h.invoke(Call.put(1, "k", "a"), 0);
        h.complete(id, Result.unknown("timeout"), 5);
        op(Call.get(2, "k"), 10, 20, Result.read("a"));
        op(Call.put(2, "k", "b"), 30, 40, Result.put());
        op(Call.get(2, "k"), 50, 60, Result.read("a"));
        assertThat(check()).isInstanceOf(Verdict.NotLinearizable.class);

        id = h.invoke(Call.put(3, "k", "a"), 1); // a second try of the same write may explain the second read
        h.complete(id, Result.unknown("timeout"), 5);
        assertThat(check().ok()).isTrue();
    }

    @Test
    void anOpNeverCompletedCountsAsUnknown() {
        h.invoke(Call.delete(1, "k"), 5); // its client crashed
        op(Call.put(2, "k", "a"), 0, 1, Result.put());
        op(Call.get(2, "k"), 10, 11, Result.read(null));
        Op pending = h.ops().get(0);
        assertThat(pending.completed()).isEqualTo(Long.MAX_VALUE);
        assertThat(pending.result()).isInstanceOf(Result.Unknown.class);
        assertThat(check().ok()).isTrue();
    }

    @Test
    void anUnknownWriteCannotExplainAReadBeforeItWasInvoked() {
        op(Call.put(1, "k", "a"), 0, 10, Result.put());
        op(Call.get(2, "k"), 20, 30, Result.read("b"));
        long id = h.invoke(Call.put(3, "k", "b"), 40);
        h.complete(id, Result.unknown("timeout"), 50);
        Verdict v = check();
        assertThat(v).isInstanceOf(Verdict.NotLinearizable.class);
        assertThat(v.describe()).contains("key k");
    }

    @Test
    void anUnknownCasTakesEffectOnlyIfItCouldSucceed() {
        op(Call.put(1, "k", "a"), 0, 10, Result.put());
        long id = h.invoke(Call.cas(2, "k", "z", "b"), 20);
        h.complete(id, Result.unknown("timeout"), 30);
        op(Call.get(3, "k"), 40, 50, Result.read("b"));
        assertThat(check()).isInstanceOf(Verdict.NotLinearizable.class);
    }

    @Test
    void aFailedOpNeverHappened() {
        op(Call.put(1, "k", "a"), 0, 10, Result.put());
        op(Call.put(2, "k", "b"), 20, 30, Result.failed("not leader"));
        op(Call.get(3, "k"), 40, 50, Result.read("a"));
        assertThat(check().ok()).isTrue();

        op(Call.get(3, "k"), 60, 70, Result.read("b"));
        Verdict v = check();
        assertThat(v).isInstanceOf(Verdict.NotLinearizable.class);
        assertThat(v.describe()).contains("1 failed ones left out");
    }

    @Test
    void eachKeyIsAnIndependentRegister() {
        // As one register this would fail (the read of x sees "1" after y was set to "2"); as two it is fine.
        op(Call.put(1, "x", "1"), 0, 10, Result.put());
        op(Call.put(2, "y", "2"), 20, 30, Result.put());
        op(Call.get(3, "x"), 40, 50, Result.read("1"));
        op(Call.get(3, "y"), 60, 70, Result.read("2"));
        Verdict v = check();
        assertThat(v).isEqualTo(new Verdict.Linearizable(2, ((Verdict.Linearizable) v).steps()));

        op(Call.get(4, "y"), 80, 90, Result.read(null));
        v = check();
        assertThat(v).isInstanceOf(Verdict.NotLinearizable.class);
        assertThat(((Verdict.NotLinearizable) v).key()).isEqualTo("y");
        assertThat(v.describe()).doesNotContain("GET x");
    }

    @Test
    void aBigConcurrentHistoryOfARealRegisterPassesWithinBudget() {
        List<Op> ops = simulate(42, 5, 200, 3, 0.03);
        assertThat(ops).hasSize(1000);
        Verdict v = Linearizability.check(ops, 1_000_000);
        System.out.println("5 clients x 200 ops on 3 keys: " + v.describe());
        assertThat(v).isInstanceOf(Verdict.Linearizable.class);
        assertThat(((Verdict.Linearizable) v).keys()).isEqualTo(3);
    }

    @Test
    void manySeedsOfARealRegisterPass() {
        for (int seed = 0; seed < 30; seed++) {
            Verdict v = Linearizability.check(simulate(seed, 4, 50, 2, 0.1), 1_000_000);
            assertThat(v.ok()).as("seed " + seed + ": " + v.describe()).isTrue();
        }
    }

    @Test
    void aReadOfAValueNeverWrittenFailsEvenInABigHistory() {
        List<Op> ops = new ArrayList<>(simulate(7, 5, 200, 3, 0.03));
        int at = -1;
        for (int i = ops.size() / 2; at < 0; i++)
            if (ops.get(i).call().kind() == History.Kind.GET && ops.get(i).result() instanceof Result.Ok) at = i;
        Op o = ops.get(at);
        ops.set(at, new Op(o.id(), o.call(), o.invoked(), o.completed(), Result.read("never-written")));
        Verdict v = Linearizability.check(ops, 1_000_000);
        assertThat(v).isInstanceOf(Verdict.NotLinearizable.class);
        assertThat(((Verdict.NotLinearizable) v).key()).isEqualTo(o.call().key());
        assertThat(v.describe()).contains("returned \"never-written\"");
    }

    @Test
    void aBudgetOfOneStepIsUnknownNeverLinearizable() {
        List<Op> ops = simulate(42, 5, 200, 3, 0.03);
        Verdict v = Linearizability.check(ops, 1);
        assertThat(v).isInstanceOf(Verdict.Unknown.class);
        assertThat(v.ok()).isFalse();
        assertThat(v.describe()).contains("never passes");
        assertThatThrownBy(v::requireLinearizable).isInstanceOf(AssertionError.class);
    }

    @Test
    void tenThousandOpsOverTwentyKeysCheckQuickly() {
        List<Op> ops = simulate(2024, 10, 1000, 20, 0.01);
        assertThat(ops).hasSize(10_000);
        Linearizability.check(ops); // once to warm up the JIT
        long start = System.nanoTime();
        Verdict v = Linearizability.check(ops);
        long micros = (System.nanoTime() - start) / 1000;
        System.out.printf("10,000 ops over 20 keys: %s in %.1f ms%n", v.describe(), micros / 1000.0);
        assertThat(v.ok()).as(v.describe()).isTrue();
    }

    @Test
    void aHeavilyContendedKeyWithManyUnknownOpsStillChecks() {
        List<Op> ops = simulate(99, 10, 100, 1, 0.1);
        long start = System.nanoTime();
        Verdict v = Linearizability.check(ops);
        System.out.printf("10 clients x 100 ops on 1 key, 10%% unknown: %s in %.1f ms%n", v.describe(), (System.nanoTime() - start) / 1e6);
        assertThat(v.ok()).as(v.describe()).isTrue();
    }

    @Test
    void theSearchAgreesWithBruteForceOnSmallRandomHistories() {
        int[] outcomes = new int[2];
        for (int seed = 0; seed < 4000; seed++) agreeWithBruteForce(seed, 0.15, outcomes);
        System.out.println("small random histories: " + outcomes[1] + " linearizable, " + outcomes[0] + " not");
        assertThat(outcomes[0]).isGreaterThan(400);
        assertThat(outcomes[1]).isGreaterThan(400);
    }

    @Test
    void theSearchAgreesWithBruteForceWhenManyOpsAreUnknown() {
        int[] outcomes = new int[2];
        for (int seed = 0; seed < 3000; seed++) agreeWithBruteForce(seed, 0.5, outcomes);
        System.out.println("small random histories, half unknown: " + outcomes[1] + " linearizable, " + outcomes[0] + " not");
        assertThat(outcomes[0]).isGreaterThan(300);
        assertThat(outcomes[1]).isGreaterThan(300);
    }

    @Test
    void theSearchAgreesWithBruteForceOnLongerHistoriesOfMostlyRightAnswers() {
        int[] outcomes = new int[2];
        for (int seed = 0; seed < 1500; seed++) {
            List<Op> ops = new ArrayList<>(simulate(seed, 3, 6, 1, 0.3));
            if (seed % 2 == 1) { // get one answer wrong
                int at = new SplittableRandom(seed).nextInt(ops.size());
                Op o = ops.get(at);
                Result wrong = o.call().kind() == History.Kind.GET ? Result.read(o.result() instanceof Result.Ok ok && ok.value() == null ? "c0-0" : null)
                        : o.call().kind() == History.Kind.DELETE ? Result.deleted(o.result() instanceof Result.Ok ok && ok.deleted() == 1 ? 0 : 1)
                        : o.call().kind() == History.Kind.CAS ? Result.cas(!(o.result() instanceof Result.Ok ok && ok.succeeded())) : o.result();
                ops.set(at, new Op(o.id(), o.call(), o.invoked(), o.completed(), wrong));
            }
            boolean expected = bruteForce(ops, 0, null, new java.util.HashSet<>());
            Verdict v = Linearizability.check(ops, 1_000_000);
            assertThat(v.ok()).as("seed " + seed + ": " + ops + "\n" + v.describe()).isEqualTo(expected);
            outcomes[expected ? 1 : 0]++;
        }
        System.out.println("18-op simulated histories, every other one with a wrong answer: " + outcomes[1] + " linearizable, " + outcomes[0] + " not");
        assertThat(outcomes[0]).isGreaterThan(200);
    }

    /** A random history of up to 10 ops on one key with random answers, checked both ways. */
    private static void agreeWithBruteForce(long seed, double unknownRate, int[] outcomes) {
        SplittableRandom rnd = new SplittableRandom(seed);
        History small = new History();
        int n = 1 + rnd.nextInt(10);
        String[] values = {null, "a", "b", "c"};
        for (int i = 0; i < n; i++) {
            String v = values[1 + rnd.nextInt(3)], e = values[rnd.nextInt(4)];
            int kind = rnd.nextInt(4);
            Call call = kind == 0 ? Call.put(i, "k", v) : kind == 1 ? Call.get(i, "k") : kind == 2 ? Call.delete(i, "k") : Call.cas(i, "k", e, v);
            Result ok = kind == 0 ? Result.put() : kind == 1 ? Result.read(values[rnd.nextInt(3)])
                    : kind == 2 ? Result.deleted(rnd.nextInt(2)) : Result.cas(rnd.nextBoolean());
            double fate = rnd.nextDouble();
            long from = rnd.nextLong(30), to = from + rnd.nextLong(12);
            long id = small.invoke(call, from);
            small.complete(id, fate < unknownRate ? Result.unknown("timeout") : fate < unknownRate + 0.1 ? Result.failed("refused") : ok, to);
        }
        List<Op> ops = small.ops();
        boolean expected = bruteForce(ops, 0, null, new java.util.HashSet<>());
        Verdict v = Linearizability.check(ops, 1_000_000);
        assertThat(v.ok()).as("seed " + seed + ": " + ops + "\n" + v.describe()).isEqualTo(expected);
        outcomes[expected ? 1 : 0]++;
    }

    /**
     * Linearizability by its definition, for a few ops: some op that no unplaced op with a known
     * answer must precede takes effect first, and the rest follow; unknown ops may be left out.
     * {@code failed} remembers the (placed ops, value) pairs from which nothing works.
     */
    private static boolean bruteForce(List<Op> ops, long placed, String value, java.util.Set<String> failed) {
        boolean allKnownPlaced = true;
        for (int i = 0; i < ops.size(); i++)
            if ((placed & 1L << i) == 0 && ops.get(i).result() instanceof Result.Ok) allKnownPlaced = false;
        if (allKnownPlaced) return true;
        if (failed.contains(placed + "/" + value)) return false;
        for (int i = 0; i < ops.size(); i++) {
            Op o = ops.get(i);
            if ((placed & 1L << i) != 0 || o.result() instanceof Result.Failed) continue;
            boolean mustWait = false;
            for (int j = 0; j < ops.size(); j++)
                if ((placed & 1L << j) == 0 && ops.get(j).result() instanceof Result.Ok && ops.get(j).completed() < o.invoked()) mustWait = true;
            if (mustWait) continue;
            Call c = o.call();
            boolean match = Objects.equals(value, c.expected());
            String next = switch (c.kind()) { case PUT -> c.value(); case GET -> value; case DELETE -> null; case CAS -> match ? c.value() : value; };
            if (o.result() instanceof Result.Ok r) {
                boolean fits = switch (c.kind()) {
                    case PUT -> true;
                    case GET -> Objects.equals(r.value(), value);
                    case DELETE -> r.deleted() == (value == null ? 0 : 1);
                    case CAS -> r.succeeded() == match;
                };
                if (!fits) continue;
            }
            if (bruteForce(ops, placed | 1L << i, next, failed)) return true;
        }
        failed.add(placed + "/" + value);
        return false;
    }

    @Test
    void theHistoryRecordsFromManyThreads() throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int client = t;
            threads.add(new Thread(() -> {
                for (int i = 0; i < 500; i++) {
                    long id = h.invoke(Call.put(client, "k" + client, "v" + i), 2L * i);
                    h.complete(id, Result.put(), 2L * i + 1);
                }
            }));
        }
        for (Thread t : threads) t.start();
        for (Thread t : threads) t.join();
        List<Op> ops = h.ops();
        assertThat(ops).hasSize(2000);
        for (int i = 0; i < ops.size(); i++) assertThat(ops.get(i).id()).isEqualTo(i);
        assertThat(ops).allSatisfy(o -> assertThat(o.result()).isEqualTo(Result.put()));
        assertThat(check().ok()).isTrue();
    }

    @Test
    void theHistoryRefusesImpossibleRecords() {
        long id = h.invoke(Call.get(1, "k"), 10);
        assertThatThrownBy(() -> h.complete(id, Result.read(null), 9)).isInstanceOf(IllegalArgumentException.class);
        h.complete(id, Result.read(null), 11);
        assertThatThrownBy(() -> h.complete(id, Result.read(null), 12)).isInstanceOf(IllegalStateException.class);
        long del = h.invoke(Call.delete(1, "k"), 20);
        assertThatThrownBy(() -> h.complete(del, Result.deleted(2), 21)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Call.put(1, "k", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Linearizability.check(h.ops(), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- a real register, run with random overlaps ---------------------------------------------

    private record Planned(int client, Call call, long invoked, long completed, long effect, int fate) {}

    private static final int APPLIED = 0, UNKNOWN_APPLIED = 1, UNKNOWN_LOST = 2, FAILED = 3;

    /**
     * Clients issue ops one after another with random gaps and durations; each op takes effect on a
     * real map at a random instant inside its interval, so the history is linearizable by
     * construction. A share of ops ends unknown (half of those took effect) or failed.
     */
    static List<Op> simulate(long seed, int clients, int opsPerClient, int keys, double unknownRate) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Planned> plan = new ArrayList<>();
        Map<String, String> lastWritten = new HashMap<>(); // client/key -> the value that client last wrote there
        for (int c = 0; c < clients; c++) {
            long t = rnd.nextLong(10);
            for (int n = 0; n < opsPerClient; n++) {
                String key = "k" + rnd.nextInt(keys);
                int pick = rnd.nextInt(10);
                String fresh = "c" + c + "-" + n;
                Call call = pick < 4 ? Call.get(c, key)
                        : pick < 7 ? Call.put(c, key, fresh)
                        : pick < 8 ? Call.delete(c, key)
                        : Call.cas(c, key, rnd.nextInt(3) == 0 ? null : lastWritten.get(c + "/" + key), fresh);
                if (call.value() != null) lastWritten.put(c + "/" + key, fresh);
                long invoked = t + rnd.nextLong(4), completed = invoked + 1 + rnd.nextLong(30);
                long effect = invoked + rnd.nextLong(completed - invoked + 1);
                double r = rnd.nextDouble();
                int fate = r < unknownRate / 2 ? UNKNOWN_APPLIED : r < unknownRate ? UNKNOWN_LOST : r < unknownRate + 0.02 ? FAILED : APPLIED;
                plan.add(new Planned(c, call, invoked, completed, effect, fate));
                t = completed;
            }
        }
        // Apply the ops that took effect, in the order of their instants, to a plain map.
        List<Integer> byEffect = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) byEffect.add(i);
        byEffect.sort(Comparator.<Integer>comparingLong(i -> plan.get(i).effect()).thenComparingInt(i -> i));
        Map<String, String> store = new HashMap<>();
        Result[] results = new Result[plan.size()];
        for (int i : byEffect) {
            Planned p = plan.get(i);
            if (p.fate() == UNKNOWN_LOST) { results[i] = Result.unknown("timeout"); continue; }
            if (p.fate() == FAILED) { results[i] = Result.failed("not leader"); continue; }
            Call call = p.call();
            String now = store.get(call.key());
            Result r = switch (call.kind()) {
                case GET -> Result.read(now);
                case PUT -> { store.put(call.key(), call.value()); yield Result.put(); }
                case DELETE -> { store.remove(call.key()); yield Result.deleted(now == null ? 0 : 1); }
                case CAS -> {
                    boolean ok = Objects.equals(now, call.expected());
                    if (ok) store.put(call.key(), call.value());
                    yield Result.cas(ok);
                }
            };
            results[i] = p.fate() == UNKNOWN_APPLIED ? Result.unknown("timeout") : r;
        }
        History history = new History();
        for (int i = 0; i < plan.size(); i++) {
            Planned p = plan.get(i);
            long id = history.invoke(p.call(), p.invoked());
            history.complete(id, results[i], p.completed());
        }
        return history.ops();
    }
}
