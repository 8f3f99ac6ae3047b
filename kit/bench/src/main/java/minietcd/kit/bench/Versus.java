package minietcd.kit.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The side-by-side benchmark: etcd and our cluster on this machine, one after the other, under the
 * same load through the JSON gateway, and one table of the results.
 *
 * <p>For each member count, {@code rounds} times: etcd is started fresh, every key of the keyspace
 * is written once (not measured), every (operation, connections) row is run, and etcd is stopped;
 * then our cluster goes through exactly the same. The two alternate which goes first from round to
 * round, so that neither always has the quieter machine. Both systems see the same keys in the same
 * order (each row's random seed is fixed). Only one system runs at a time.
 *
 * <p>A row {@code meets} the bar when, over the rounds, ours has no errors, our worst throughput is at
 * least etcd's median throughput, and our median p99 is no worse than etcd's median p99; otherwise it
 * {@code misses}. One lucky or unlucky run cannot decide a row.
 */
public final class Versus {
    private Versus() {}

    /**
     * What to run.
     *
     * @param ops         the operations, in the order run
     * @param connections the connection counts, in the order run
     * @param members     the member counts, in the order run
     * @param duration    the measured time of each row
     * @param warmup      load before each row's measured time
     * @param prime       load before the first row, after the keys are written: each operation in turn
     *                    at the largest connection count, for this long in all (the same for both systems;
     *                    a JVM compiles its hot code during its first tens of seconds under load)
     * @param keyspace    keys and value size
     * @param etcd        the etcd executable: a path, or a name looked up on the PATH (see {@link EtcdInstall#ensure})
     * @param ours        our cluster's argv template (see {@link CommandTarget}); empty to measure etcd only
     * @param workingDir  where our command runs
     * @param workDir     where the systems' temporary data directories are made
     * @param out         where the table goes
     * @param progress    where the progress lines and diagnostics go
     * @param markdown    a file to write the table to as well, or null
     */
    public record Options(List<Op> ops, List<Integer> connections, List<Integer> members, int rounds, Duration duration, Duration warmup,
                          Duration prime, Keyspace keyspace, String etcd, List<String> ours, Path workingDir, Path workDir,
                          PrintStream out, PrintStream progress, Path markdown) {
        public Options {
            if (rounds < 1) throw new IllegalArgumentException("at least one round");
            ops = List.copyOf(ops);
            connections = List.copyOf(connections);
            members = List.copyOf(members);
            ours = List.copyOf(ours);
            if (ops.isEmpty() || connections.isEmpty() || members.isEmpty()) throw new IllegalArgumentException("nothing to run");
            if (connections.stream().anyMatch(c -> c < 1) || members.stream().anyMatch(m -> m < 1))
                throw new IllegalArgumentException("connections and members must be at least 1");
        }

        /**
         * The benchmark: put, linearizable and serializable range; 1, 16 and 64 connections;
         * 1 and 3 members; three rounds; 30 s of load first, then 10 s rows after 2 s of warm-up; 10,000 8-byte keys, 256-byte values; etcd
         * from the PATH; the table on stdout.
         */
        public static Options standard(List<String> ours) {
            Path here = Path.of("").toAbsolutePath();
            return new Options(List.of(Op.values()), List.of(1, 16, 64), List.of(1, 3), 3, Duration.ofSeconds(10), Duration.ofSeconds(2),
                    Duration.ofSeconds(30), Keyspace.standard(), "etcd", ours, here, Path.of(System.getProperty("java.io.tmpdir")), System.out, System.err, null);
        }
    }

    /** One row of the table: the same load on both systems, once per round; {@code ours} is empty when only etcd ran. */
    public record Row(int members, Op op, int connections, List<LoadResult> etcd, List<LoadResult> ours) {
        public Row {
            etcd = List.copyOf(etcd);
            ours = List.copyOf(ours);
        }

        /** Whether ours had no errors, our worst throughput is at least etcd's median, and our median p99 no worse than etcd's. */
        public boolean meets() {
            return !ours.isEmpty() && ours.stream().noneMatch(LoadResult::hasErrors) && Spread.of(ours, LoadResult::throughput).min() >= Spread.of(etcd, LoadResult::throughput).median()
                    && Spread.of(ours, LoadResult::p99Millis).median() <= Spread.of(etcd, LoadResult::p99Millis).median();
        }
    }

    /** The smallest, the median and the largest of a figure over the rounds. */
    public record Spread(double min, double median, double max) {
        static Spread of(List<LoadResult> runs, java.util.function.ToDoubleFunction<LoadResult> figure) {
            double[] v = runs.stream().mapToDouble(figure).sorted().toArray();
            double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
            return new Spread(v[0], median, v[v.length - 1]);
        }
    }

    private record Load(Op op, int connections) {}

    /** The target running now, for the shutdown hook. */
    private static volatile BenchTarget running;

    /**
     * Runs the benchmark and prints the table. Returns 0 when every row meets the bar (or only etcd
     * was measured), 1 when a row misses it, 2 when it could not run (etcd missing and not
     * installable, a system that did not start or could not be filled); then the rows measured so
     * far, if any, are still printed.
     */
    public static int run(Options o) {
        PrintStream log = o.progress();
        Thread hook = new Thread(() -> {
            BenchTarget t = running;
            if (t != null) t.close(); // Ctrl-C: leave no cluster behind
        }, "versus-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        List<Row> rows = new ArrayList<>();
        String header;
        int status;
        try {
            Path etcd = EtcdInstall.ensure(o.etcd(), log);
            header = header(o, etcd, EtcdInstall.version(etcd));
            log.println(header);
            for (int members : o.members()) {
                Map<Load, List<LoadResult>> etcdRuns = new LinkedHashMap<>(), ourRuns = new LinkedHashMap<>();
                for (int round = 1; round <= o.rounds(); round++) {
                    log.println("round " + round + " of " + o.rounds() + ", " + members + " member" + (members == 1 ? "" : "s"));
                    boolean etcdFirst = round % 2 == 1 || o.ours().isEmpty();
                    for (int turn = 0; turn < 2; turn++) {
                        if (turn == 0 == etcdFirst) collect(etcdRuns, measure(new EtcdTarget(etcd, o.workDir()), members, o));
                        else if (!o.ours().isEmpty()) collect(ourRuns, measure(new CommandTarget("ours", o.ours(), o.workingDir(), o.workDir(), Duration.ofMinutes(3)), members, o));
                    }
                }
                for (Map.Entry<Load, List<LoadResult>> e : etcdRuns.entrySet())
                    rows.add(new Row(members, e.getKey().op(), e.getKey().connections(), e.getValue(), ourRuns.getOrDefault(e.getKey(), List.of())));
            }
            status = o.ours().isEmpty() || rows.stream().allMatch(Row::meets) ? 0 : 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.println("versus: interrupted");
            header = "interrupted; the rows measured so far:";
            status = 2;
        } catch (Exception e) {
            log.println("versus: " + e.getMessage());
            header = "stopped by an error (above); the rows measured so far:";
            status = 2;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down; the hook runs
            }
        }
        if (rows.isEmpty() && status == 2) return status; // nothing measured: the message above says why
        String table = VersusTable.markdown(rows);
        o.out().println();
        o.out().println(header);
        o.out().println();
        o.out().print(table);
        o.out().flush();
        if (o.markdown() != null) {
            try {
                Files.writeString(o.markdown(), header + "\n\n" + table);
            } catch (IOException e) {
                log.println("versus: could not write " + o.markdown() + ": " + e);
                status = 2;
            }
        }
        return status;
    }

    private static void collect(Map<Load, List<LoadResult>> runs, Map<Load, LoadResult> round) {
        round.forEach((load, r) -> runs.computeIfAbsent(load, k -> new ArrayList<>()).add(r));
    }

    /** Starts {@code target} with {@code members} members, fills the keyspace, runs every row, stops it. */
    private static Map<Load, LoadResult> measure(BenchTarget target, int members, Options o) throws Exception {
        String who = target.name() + ", " + members + " member" + (members == 1 ? "" : "s");
        Map<Load, LoadResult> results = new LinkedHashMap<>();
        running = target;
        try (target) {
            o.progress().println(who + ": starting");
            List<URI> urls = target.start(members).stream().map(URI::create).toList();
            o.progress().println(who + ": " + urls + "; writing the " + o.keyspace().keys() + " keys");
            HttpLoad.fill(urls, o.keyspace(), Math.min(16, o.keyspace().keys()), Duration.ofSeconds(30));
            if (!o.prime().isZero()) {
                o.progress().println(who + ": " + seconds(o.prime()) + " s of load before the first row");
                int most = o.connections().stream().max(Integer::compare).orElseThrow();
                Duration each = o.prime().dividedBy(o.ops().size());
                for (Op op : o.ops()) HttpLoad.run(new HttpLoad.Spec(urls, op, most, Duration.ZERO, each, o.keyspace(), 2));
            }
            for (Op op : o.ops()) {
                for (int conns : o.connections()) {
                    System.gc(); // the last row's garbage is not this row's pause
                    LoadResult r = HttpLoad.run(new HttpLoad.Spec(urls, op, conns, o.warmup(), o.duration(), o.keyspace(), 1));
                    results.put(new Load(op, conns), r);
                    o.progress().println(VersusTable.progressLine(who, op, conns, r));
                }
            }
            o.progress().println(who + ": stopping");
        } finally {
            running = null;
        }
        return results;
    }

    private static String header(Options o, Path etcd, String version) {
        String ours = o.ours().isEmpty() ? "etcd " + version + " alone (no command for ours)" : "etcd " + version + " vs ours (" + shortCommand(o.ours()) + ")";
        return String.format("%s: etcd at %s; %d round%s, the systems alternating which goes first; in each, %s s of load first, then %s s per row after %s s of warm-up; %,d keys of %d bytes, %d-byte values; %d cores.",
                ours, etcd, o.rounds(), o.rounds() == 1 ? "" : "s", seconds(o.prime()), seconds(o.duration()), seconds(o.warmup()), o.keyspace().keys(), o.keyspace().keySize(), o.keyspace().valueSize(),
                Runtime.getRuntime().availableProcessors());
    }

    /** The command line with long arguments (a classpath) cut short, for the header. */
    static String shortCommand(List<String> argv) {
        return String.join(" ", argv.stream().map(a -> a.length() <= 60 ? a : a.substring(0, 24) + "…(" + a.length() + " chars)").toList());
    }

    private static String seconds(Duration d) {
        double s = d.toMillis() / 1000.0;
        return s == Math.rint(s) ? String.valueOf((long) s) : String.valueOf(s);
    }
}
