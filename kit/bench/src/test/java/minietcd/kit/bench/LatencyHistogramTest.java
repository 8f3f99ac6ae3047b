package minietcd.kit.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
    @Test
    void smallValuesAreExact() {
        LatencyHistogram h = new LatencyHistogram();
        for (int v = 1; v <= 100; v++) h.record(v);
        assertThat(h.count()).isEqualTo(100);
        assertThat(h.valueAt(0.50)).isEqualTo(50);
        assertThat(h.valueAt(0.99)).isEqualTo(99);
        assertThat(h.valueAt(1.0)).isEqualTo(100);
        assertThat(h.valueAt(0.001)).isEqualTo(1);
        assertThat(h.min()).isEqualTo(1);
        assertThat(h.max()).isEqualTo(100);
        assertThat(h.mean()).isEqualTo(50.5);
    }

    @Test
    void largeValuesAreWithinOnePartIn128AndNeverBelow() {
        SplittableRandom r = new SplittableRandom(7);
        long[] values = new long[100_000];
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < values.length; i++) {
            values[i] = 50_000 + (long) (r.nextDouble() * r.nextDouble() * 20_000_000); // 50 µs .. 20 ms, skewed low
            h.record(values[i]);
        }
        Arrays.sort(values);
        for (double q : new double[] {0.5, 0.9, 0.99, 0.999}) {
            long exact = values[(int) Math.ceil(q * values.length) - 1];
            assertThat(h.valueAt(q)).as("quantile %s", q).isGreaterThanOrEqualTo(exact).isLessThanOrEqualTo(exact + exact / 128);
        }
        assertThat(h.valueAt(1.0)).isEqualTo(values[values.length - 1]);
    }

    @Test
    void bucketsTileTheLongRangeWithoutGapsOrOverlaps() {
        for (int i = 1; i <= LatencyHistogram.index(Long.MAX_VALUE); i++) {
            assertThat(LatencyHistogram.lowest(i)).isEqualTo(LatencyHistogram.highest(i - 1) + 1);
            assertThat(LatencyHistogram.index(LatencyHistogram.lowest(i))).isEqualTo(i);
            assertThat(LatencyHistogram.index(LatencyHistogram.highest(i))).isEqualTo(i);
        }
        assertThat(LatencyHistogram.highest(LatencyHistogram.index(Long.MAX_VALUE))).isEqualTo(Long.MAX_VALUE);
        LatencyHistogram h = new LatencyHistogram();
        h.record(Long.MAX_VALUE);
        h.record(0);
        assertThat(h.valueAt(1.0)).isEqualTo(Long.MAX_VALUE);
        assertThat(h.valueAt(0.5)).isZero();
    }

    @Test
    void addMergesCountsAndExtremes() {
        LatencyHistogram a = new LatencyHistogram(), b = new LatencyHistogram();
        for (int v = 1; v <= 50; v++) a.record(v);
        for (int v = 51; v <= 100; v++) b.record(v);
        a.add(b);
        assertThat(a.count()).isEqualTo(100);
        assertThat(a.valueAt(0.5)).isEqualTo(50);
        assertThat(a.min()).isEqualTo(1);
        assertThat(a.max()).isEqualTo(100);
        a.add(new LatencyHistogram()); // an empty one changes nothing
        assertThat(a.min()).isEqualTo(1);
        assertThat(a.mean()).isCloseTo(50.5, within(1e-9));
    }

    @Test
    void emptyIsZeroAndBadInputIsRefused() {
        LatencyHistogram h = new LatencyHistogram();
        assertThat(h.valueAt(0.99)).isZero();
        assertThat(h.min()).isZero();
        assertThat(h.mean()).isZero();
        assertThatThrownBy(() -> h.record(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> h.valueAt(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> h.valueAt(1.5)).isInstanceOf(IllegalArgumentException.class);
    }
}
