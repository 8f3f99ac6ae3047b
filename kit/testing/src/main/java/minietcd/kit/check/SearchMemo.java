package minietcd.kit.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The configurations reached so far. Placing an unknown op is optional, so a configuration is
 * worth no more than the same one with fewer unknown ops placed: whatever works from the first
 * works from the second, where those ops can still be placed, or never be. And unknown ops that
 * the ops left cannot tell apart are interchangeable. So for each (known ops placed, value, run)
 * it keeps how many unknown ops of each kind were placed (kinds: see {@link KeySearch}'s kinds),
 * and a configuration is new only if none of those counts is at most its own, kind by kind.
 */
final class SearchMemo {
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
