package minietcd.kit.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A row of the benchmark over several rounds: medians and spreads decide it, so one lucky or unlucky round cannot. */
class VersusRoundsTest {
    /** A round that did {@code ops} in one second, every request taking {@code millis}. */
    private static LoadResult run(long ops, double millis, long errors) {
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < 100; i++) h.record((long) (millis * 1e6));
        return new LoadResult(ops, errors, 1.0, h, errors > 0 ? "boom" : null);
    }

    private static Versus.Row row(List<LoadResult> etcd, List<LoadResult> ours) {
        return new Versus.Row(3, Op.PUT, 1, etcd, ours);
    }

    @Test
    void oneLuckyRoundOfOursDoesNotMeetTheBarWhenOurWorstIsBelowEtcdsMedian() {
        List<LoadResult> etcd = List.of(run(700, 2, 0), run(680, 2, 0), run(1_000, 1, 0));
        assertThat(row(etcd, List.of(run(960, 1, 0), run(185, 1, 0), run(990, 1, 0))).meets()).as("the worst round, 185, is below etcd's median 700").isFalse();
        assertThat(row(etcd, List.of(run(960, 1, 0), run(710, 1, 0), run(990, 1, 0))).meets()).as("every round at least etcd's median, p99 below").isTrue();
    }

    @Test
    void theMedianP99AndAnyErrorDecideToo() {
        List<LoadResult> etcd = List.of(run(700, 2, 0), run(700, 2, 0), run(700, 2, 0));
        assertThat(row(etcd, List.of(run(800, 1, 0), run(800, 3, 0), run(800, 3, 0))).meets()).as("median p99 3 ms against 2").isFalse();
        assertThat(row(etcd, List.of(run(800, 1, 0), run(800, 1, 1), run(800, 1, 0))).meets()).as("an error in one round").isFalse();
        assertThat(row(etcd, List.of()).meets()).as("ours not measured").isFalse();
    }

    @Test
    void theTableShowsMediansAndTheSpreadOfThroughput() {
        String table = VersusTable.markdown(List.of(row(List.of(run(700, 2, 0), run(680, 2, 0), run(1_000, 1, 0)), List.of(run(960, 1, 0), run(185, 1, 0), run(990, 1, 0)))));
        assertThat(table).contains("| 700 (680–1,000) |").contains("| 960 (185–990) |").contains("| 0.26 |").contains("misses");
    }
}
