package minietcd.kit.bench;

import java.util.List;
import java.util.Locale;

/** The benchmark's table in Markdown, and its one-line progress reports. */
final class VersusTable {
    static final String HEAD = "| members | op | conns | etcd ops/s | etcd p50 ms | etcd p99 ms | ours ops/s | ours p50 | ours p99 | worst ours / median etcd ops/s | p99 ratio | bar |\n"
            + "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n";
    private static final String NONE = "–";

    private VersusTable() {}

    /**
     * One line per row, each figure the median over the rounds, throughput with its smallest and
     * largest value after it when there were several rounds. The throughput ratio is our worst round
     * over etcd's median, the p99 ratio our median over etcd's (1.00 or more, and 1.00 or less, meet
     * the bar). A system's ops/s is followed by its error count when it had errors. Without ours, its
     * cells, the ratios and the bar are dashes.
     */
    static String markdown(List<Versus.Row> rows) {
        StringBuilder sb = new StringBuilder(HEAD);
        for (Versus.Row r : rows) {
            List<LoadResult> e = r.etcd(), o = r.ours();
            sb.append("| ").append(r.members()).append(" | ").append(r.op().label).append(" | ").append(r.connections())
                    .append(" | ").append(opsPerSecond(e)).append(" | ").append(millis(median(e, LoadResult::p50Millis))).append(" | ").append(millis(median(e, LoadResult::p99Millis)));
            if (o.isEmpty()) {
                sb.append(" | ").append(NONE).append(" | ").append(NONE).append(" | ").append(NONE)
                        .append(" | ").append(NONE).append(" | ").append(NONE).append(" | ").append(NONE).append(" |\n");
            } else {
                sb.append(" | ").append(opsPerSecond(o)).append(" | ").append(millis(median(o, LoadResult::p50Millis))).append(" | ").append(millis(median(o, LoadResult::p99Millis)))
                        .append(" | ").append(ratio(Versus.Spread.of(o, LoadResult::throughput).min(), median(e, LoadResult::throughput)))
                        .append(" | ").append(ratio(median(o, LoadResult::p99Millis), median(e, LoadResult::p99Millis)))
                        .append(" | ").append(r.meets() ? "meets" : "misses").append(" |\n");
            }
        }
        return sb.toString();
    }

    private static double median(List<LoadResult> runs, java.util.function.ToDoubleFunction<LoadResult> figure) {
        return Versus.Spread.of(runs, figure).median();
    }

    /** The median ops/s, then (over several rounds) the smallest and largest, then the errors of all rounds. */
    static String opsPerSecond(List<LoadResult> runs) {
        Versus.Spread t = Versus.Spread.of(runs, LoadResult::throughput);
        String ops = String.format(Locale.ROOT, "%,.0f", t.median());
        if (runs.size() > 1) ops += String.format(Locale.ROOT, " (%,.0f–%,.0f)", t.min(), t.max());
        long errors = runs.stream().mapToLong(LoadResult::errors).sum();
        return errors > 0 ? ops + " (" + errors + " errors)" : ops;
    }

    /** {@code etcd, 3 members  put  16 conns:  2,214 ops/s  p50 7.12 ms  p99 15.30 ms} (and the errors, if any). */
    static String progressLine(String who, Op op, int conns, LoadResult r) {
        String line = String.format(Locale.ROOT, "%-20s %-18s %3d conns: %,9.0f ops/s  p50 %s ms  p99 %s ms",
                who, op.label, conns, r.throughput(), millis(r.p50Millis()), millis(r.p99Millis()));
        return r.hasErrors() ? line + "  " + r.errors() + " ERRORS, the first: " + r.firstError() : line;
    }

    /** Two decimals, three below 1 ms. */
    static String millis(double ms) {
        return String.format(Locale.ROOT, ms < 1 ? "%.3f" : "%.2f", ms);
    }

    static String ratio(double ours, double etcd) {
        if (etcd == 0) return NONE;
        return String.format(Locale.ROOT, "%.2f", ours / etcd);
    }
}
