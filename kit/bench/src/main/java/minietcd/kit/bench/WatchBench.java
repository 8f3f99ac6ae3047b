package minietcd.kit.bench;

import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The watch-stream benchmark, side by side: etcd and our member on this machine, one after the other,
 * each measured under the same put and range load (see {@link HttpLoad}) first alone and then with
 * {@code streams} idle {@code /v3/watch} streams open on it ({@link WatchStreams}). It answers: do open
 * streams cost the member its answers? (Before servlet async, ours stopped answering at about 234.)
 *
 * <p>For each system: one member is started fresh, the keyspace is written, the JVM is primed
 * ({@code prime} of load, each operation in turn), every operation's row is run without streams; then
 * the streams are opened (the time it took is reported), every row is run again beside them, and at
 * the end the streams that the server closed meanwhile are counted and one stream must still deliver
 * an event. Only one system runs at a time.
 */
public final class WatchBench {
    private WatchBench() {}

    /**
     * What to run.
     *
     * @param streams     how many watch streams to open beside the load
     * @param ops         the operations, in the order run
     * @param connections the load's connections
     * @param duration    the measured time of each row
     * @param warmup      load before each row's measured time
     * @param prime       load before the first row, after the keys are written
     * @param keyspace    keys and value size
     * @param etcd        the etcd executable (a path, or a name on the PATH)
     * @param ours        our member's argv template (see {@link CommandTarget}); empty to measure etcd only
     * @param workingDir  where our command runs
     * @param workDir     where the systems' temporary directories are made
     * @param out         where the table goes
     * @param progress    where the progress lines go
     */
    public record Options(int streams, List<Op> ops, int connections, Duration duration, Duration warmup, Duration prime, Keyspace keyspace,
                          String etcd, List<String> ours, Path workingDir, Path workDir, PrintStream out, PrintStream progress) {
        public Options {
            ops = List.copyOf(ops);
            ours = List.copyOf(ours);
            if (streams < 1 || connections < 1 || ops.isEmpty()) throw new IllegalArgumentException("need at least one stream, one connection and one operation");
        }
    }

    /** One row: a system under one operation, without the streams and beside them. */
    public record Row(String system, Op op, LoadResult alone, LoadResult beside) {}

    /** What one system did: its rows, how long its streams took to open, how many the server closed, whether the last event came. */
    public record Outcome(String system, List<Row> rows, Duration openTime, int closedByServer, boolean stillDelivers) {}

    /** Runs both systems and prints the table. Returns 0 when it ran, 2 when it could not. */
    public static int run(Options o) {
        List<Outcome> outcomes = new ArrayList<>();
        try {
            Path etcd = EtcdInstall.ensure(o.etcd(), o.progress());
            outcomes.add(measure(new EtcdTarget(etcd, o.workDir()), o));
            if (!o.ours().isEmpty()) outcomes.add(measure(new CommandTarget("ours", o.ours(), o.workingDir(), o.workDir(), Duration.ofMinutes(3)), o));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            o.progress().println("watch bench: interrupted");
            return 2;
        } catch (Exception e) {
            o.progress().println("watch bench: " + e);
            if (outcomes.isEmpty()) return 2;
        }
        o.out().println();
        o.out().print(table(o, outcomes));
        o.out().flush();
        return 0;
    }

    private static Outcome measure(BenchTarget target, Options o) throws Exception {
        String who = target.name() + ", " + o.streams() + " streams";
        try (target) {
            o.progress().println(who + ": starting one member");
            List<URI> urls = target.start(1).stream().map(URI::create).toList();
            HttpLoad.fill(urls, o.keyspace(), Math.min(16, o.keyspace().keys()), Duration.ofSeconds(30));
            if (!o.prime().isZero()) {
                o.progress().println(who + ": " + o.prime().toSeconds() + " s of load before the first row");
                for (Op op : o.ops()) HttpLoad.run(new HttpLoad.Spec(urls, op, o.connections(), Duration.ZERO, o.prime().dividedBy(o.ops().size()), o.keyspace(), 2));
            }
            List<LoadResult> alone = new ArrayList<>();
            for (Op op : o.ops()) alone.add(row(who + ", no streams", urls, op, o));
            o.progress().println(who + ": opening the streams");
            try (WatchStreams streams = WatchStreams.open(urls.get(0), o.streams(), "watch/", Duration.ofSeconds(60))) {
                o.progress().println(who + ": " + streams.size() + " streams open in " + streams.openTime().toMillis() + " ms");
                List<Row> rows = new ArrayList<>();
                for (int i = 0; i < o.ops().size(); i++) rows.add(new Row(target.name(), o.ops().get(i), alone.get(i), row(who, urls, o.ops().get(i), o)));
                boolean delivers = lastEvent(urls.get(0), streams, o.streams() - 1);
                o.progress().println(who + ": " + streams.closedByServer() + " streams closed by the server; the last stream " + (delivers ? "still delivers" : "DELIVERS NOTHING"));
                return new Outcome(target.name(), rows, streams.openTime(), streams.closedByServer(), delivers);
            }
        }
    }

    private static LoadResult row(String who, List<URI> urls, Op op, Options o) throws InterruptedException {
        System.gc();
        LoadResult r = HttpLoad.run(new HttpLoad.Spec(urls, op, o.connections(), o.warmup(), o.duration(), o.keyspace(), 1));
        o.progress().println(VersusTable.progressLine(who, op, o.connections(), r));
        return r;
    }

    /** Puts the key stream {@code i} watches and waits for its event. */
    private static boolean lastEvent(URI url, WatchStreams streams, int i) throws Exception {
        try (HttpConnection c = new HttpConnection(url, HttpLoad.TIMEOUT_MILLIS)) {
            String key = Base64.getEncoder().encodeToString(("watch/" + i).getBytes(StandardCharsets.UTF_8));
            int status = c.post(Op.PUT.path, ("{\"key\":\"" + key + "\",\"value\":\"eA==\"}").getBytes(StandardCharsets.UTF_8));
            return status == 200 && streams.event(i, "\"mod_revision\"", Duration.ofSeconds(10));
        }
    }

    /** The table in Markdown: per system and operation, alone and beside the streams, and the ratio. */
    static String table(Options o, List<Outcome> outcomes) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "%,d idle watch streams beside %d connections of load; %s s rows after %s s of warm-up; %,d keys, %d-byte values; %d cores.%n%n",
                o.streams(), o.connections(), o.duration().toSeconds(), o.warmup().toSeconds(), o.keyspace().keys(), o.keyspace().valueSize(),
                Runtime.getRuntime().availableProcessors()));
        sb.append("| system | op | ops/s alone | p50 ms | p99 ms | ops/s beside the streams | p50 ms | p99 ms | throughput ratio | p99 ratio |\n");
        sb.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Outcome out : outcomes) {
            for (Row r : out.rows()) {
                sb.append("| ").append(r.system()).append(" | ").append(r.op().label)
                        .append(" | ").append(VersusTable.opsPerSecond(java.util.List.of(r.alone()))).append(" | ").append(VersusTable.millis(r.alone().p50Millis()))
                        .append(" | ").append(VersusTable.millis(r.alone().p99Millis()))
                        .append(" | ").append(VersusTable.opsPerSecond(java.util.List.of(r.beside()))).append(" | ").append(VersusTable.millis(r.beside().p50Millis()))
                        .append(" | ").append(VersusTable.millis(r.beside().p99Millis()))
                        .append(" | ").append(VersusTable.ratio(r.beside().throughput(), r.alone().throughput()))
                        .append(" | ").append(VersusTable.ratio(r.beside().p99Millis(), r.alone().p99Millis())).append(" |\n");
            }
        }
        sb.append('\n');
        for (Outcome out : outcomes)
            sb.append(String.format(Locale.ROOT, "%s: %,d streams opened in %.1f s; %d closed by the server during the run; the last one %s.%n", out.system(),
                    o.streams(), out.openTime().toMillis() / 1000.0, out.closedByServer(), out.stillDelivers() ? "still delivered an event" : "delivered NOTHING"));
        return sb.toString();
    }
}
