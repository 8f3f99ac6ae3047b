package minietcd.kit.bench;

/**
 * A log-linear histogram of non-negative values (latencies in nanoseconds here), in the manner of
 * HdrHistogram but a few dozen lines long.
 *
 * <p>Values below 256 each have a bucket of their own. Above that, every power of two is cut into 128
 * equal buckets, so a bucket's width is at most 1/128 of the values it holds: {@link #valueAt} is
 * never more than 0.8% above the true quantile, and never below it. The whole range of {@code long}
 * fits in 7,296 counters (57 KB), whatever the number of samples.
 *
 * <p>Not thread-safe: each load thread keeps its own and they are {@link #add added} at the end.
 */
public final class LatencyHistogram {
    /** Bits of precision below a value's leading bit. */
    private static final int SUB_BITS = 7;
    private static final int SUB = 1 << SUB_BITS;

    private final long[] counts = new long[index(Long.MAX_VALUE) + 1];
    private long count;
    private long sum;
    private long min = Long.MAX_VALUE;
    private long max;

    /** Counts one value; {@code value} must be at least 0. */
    public void record(long value) {
        if (value < 0) throw new IllegalArgumentException("negative value " + value);
        counts[index(value)]++;
        count++;
        sum += value;
        if (value < min) min = value;
        if (value > max) max = value;
    }

    /** Adds every value counted by {@code other} to this one. */
    public void add(LatencyHistogram other) {
        for (int i = 0; i < counts.length; i++) counts[i] += other.counts[i];
        count += other.count;
        sum += other.sum;
        min = Math.min(min, other.min);
        max = Math.max(max, other.max);
    }

    public long count() {
        return count;
    }

    /** The smallest value counted; 0 when empty. */
    public long min() {
        return count == 0 ? 0 : min;
    }

    /** The largest value counted; 0 when empty. */
    public long max() {
        return max;
    }

    /** The mean of the values counted; 0 when empty. */
    public double mean() {
        return count == 0 ? 0 : (double) sum / count;
    }

    /**
     * The value at quantile {@code q} (0.5 for the median, 0.99 for p99; 0 &lt; q &le; 1): the
     * highest value of the bucket holding the {@code ceil(q * count)}-th smallest value, clamped to
     * the range of values seen. Exact below 256; otherwise at most 1/128 above the true value.
     * 0 when empty.
     */
    public long valueAt(double q) {
        if (!(q > 0 && q <= 1)) throw new IllegalArgumentException("quantile must be in (0, 1]: " + q);
        if (count == 0) return 0;
        long rank = Math.max(1, (long) Math.ceil(q * count));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) return Math.max(min, Math.min(max, highest(i)));
        }
        return max; // not reached: the counts add up to count
    }

    /** The bucket of {@code value}: the value itself below 256, else 128 buckets per power of two. */
    static int index(long value) {
        int shift = Math.max(0, 63 - Long.numberOfLeadingZeros(value) - SUB_BITS);
        return shift * SUB + (int) (value >>> shift);
    }

    /** The lowest value that falls in bucket {@code index}. */
    static long lowest(int index) {
        if (index < 2 * SUB) return index;
        int shift = index / SUB - 1;
        return (long) (index - shift * SUB) << shift;
    }

    /** The highest value that falls in bucket {@code index}. */
    static long highest(int index) {
        if (index < 2 * SUB) return index;
        int shift = index / SUB - 1;
        long next = (long) (index - shift * SUB + 1) << shift;
        return next - 1; // for the last bucket this wraps to Long.MAX_VALUE, as it should
    }
}
