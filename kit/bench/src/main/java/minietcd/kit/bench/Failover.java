package minietcd.kit.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Failover under load, the same for etcd and ours: a fresh 3-member cluster, its keys written, then
 * puts over {@code connections} connections to the two followers for {@code before}; the leader is
 * killed with SIGKILL; the puts go on for {@code after}. It reports how long writes stopped (from the
 * kill to the first acknowledged put sent after it, and the longest gap between two acknowledgements
 * after it), how many requests failed, and the p99 latency over the whole window.
 */
final class Failover {
    private Failover() {}

    /** What one system did. */
    record Result(String system, double firstAckAfterKillMillis, double longestGapMillis, long failed, long acknowledged, double p99Millis,
                  double putsPerSecondBefore, double putsPerSecondAfter) {}

    private static final Pattern LEADER = Pattern.compile("\"leader\":\"(\\d+)\""), MEMBER = Pattern.compile("\"member_id\":\"(\\d+)\"");

    static Result run(BenchTarget target, int connections, Duration before, Duration after, Keyspace keyspace, PrintStream log) throws Exception {
        try (target) {
            List<URI> urls = target.start(3).stream().map(URI::create).toList();
            HttpLoad.fill(urls, keyspace, 16, Duration.ofSeconds(30));
            int leader = leader(urls);
            List<URI> followers = new ArrayList<>(urls);
            followers.remove(leader - 1);
            log.println(target.name() + ": leader is member " + leader + "; " + connections + " connections of puts to the followers " + followers);
            byte[][] bodies = keyspace.bodies(Op.PUT);
            long start = System.nanoTime(), kill = start + before.toNanos(), end = kill + after.toNanos();
            Worker[] workers = new Worker[connections];
            Thread[] threads = new Thread[connections];
            for (int i = 0; i < connections; i++) {
                workers[i] = new Worker(new HttpConnection(followers.get(i % followers.size()), 10_000), bodies, new SplittableRandom(i), end);
                threads[i] = new Thread(workers[i]::run, "failover-" + i);
                threads[i].setDaemon(true);
                threads[i].start();
            }
            Thread.sleep(Math.max(0, (kill - System.nanoTime()) / 1_000_000));
            long killedAt = System.nanoTime();
            target.kill(leader);
            log.println(target.name() + ": killed member " + leader);
            for (Thread t : threads) t.join();
            return summary(target.name(), workers, start, killedAt, end);
        }
    }

    private static Result summary(String system, Worker[] workers, long start, long kill, long end) {
        LatencyHistogram latencies = new LatencyHistogram();
        List<long[]> acks = new ArrayList<>(); // {sent, acknowledged}
        long failed = 0, ackBefore = 0, ackAfter = 0;
        for (Worker w : workers) {
            failed += w.failed;
            for (int i = 0; i < w.count; i++) {
                acks.add(new long[] {w.sent[i], w.acked[i]});
                latencies.record(w.acked[i] - w.sent[i]);
                if (w.acked[i] < kill) ackBefore++;
                else ackAfter++;
            }
        }
        long firstAfter = acks.stream().filter(a -> a[0] >= kill).mapToLong(a -> a[1]).min().orElse(end);
        long[] times = acks.stream().mapToLong(a -> a[1]).filter(t -> t >= kill).sorted().toArray();
        long gap = times.length == 0 ? end - kill : times[0] - kill;
        for (int i = 1; i < times.length; i++) gap = Math.max(gap, times[i] - times[i - 1]);
        gap = Math.max(gap, end - (times.length == 0 ? kill : times[times.length - 1]));
        return new Result(system, (firstAfter - kill) / 1e6, gap / 1e6, failed, acks.size(), latencies.valueAt(0.99) / 1e6,
                ackBefore / ((kill - start) / 1e9), ackAfter / ((end - kill) / 1e9));
    }

    /** The member (from 1) that every member names as leader. */
    static int leader(List<URI> urls) throws IOException {
        String leaderId = null;
        String[] memberIds = new String[urls.size()];
        for (int i = 0; i < urls.size(); i++) {
            try (HttpConnection c = new HttpConnection(urls.get(i), 5_000)) {
                c.post("/v3/maintenance/status", "{}".getBytes(StandardCharsets.UTF_8));
                String body = c.bodyText();
                Matcher l = LEADER.matcher(body), m = MEMBER.matcher(body);
                if (!l.find() || !m.find()) throw new IOException("no leader in " + urls.get(i) + "'s status: " + body);
                leaderId = l.group(1);
                memberIds[i] = m.group(1);
            }
        }
        int at = Arrays.asList(memberIds).indexOf(leaderId);
        if (at < 0) throw new IOException("the leader " + leaderId + " is none of the members " + Arrays.toString(memberIds));
        return at + 1;
    }

    static String table(List<Result> results) {
        StringBuilder sb = new StringBuilder("| system | first ack after the kill | longest gap between acks after it | failed requests | acknowledged puts | p99 ms (whole window) | puts/s before | puts/s after |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Result r : results)
            sb.append(String.format(Locale.ROOT, "| %s | %.0f ms | %.0f ms | %d | %,d | %.2f | %,.0f | %,.0f |%n", r.system(), r.firstAckAfterKillMillis(),
                    r.longestGapMillis(), r.failed(), r.acknowledged(), r.p99Millis(), r.putsPerSecondBefore(), r.putsPerSecondAfter()));
        return sb.toString();
    }

    /** One connection's puts, each acknowledged one's send and acknowledgement times. */
    private static final class Worker {
        final HttpConnection connection;
        final byte[][] bodies;
        final SplittableRandom random;
        final long end;
        long[] sent = new long[4096], acked = new long[4096];
        int count;
        long failed;

        Worker(HttpConnection connection, byte[][] bodies, SplittableRandom random, long end) {
            this.connection = connection;
            this.bodies = bodies;
            this.random = random;
            this.end = end;
        }

        void run() {
            try (connection) {
                for (long t0; (t0 = System.nanoTime()) < end; ) {
                    try {
                        int status = connection.post(Op.PUT.path, bodies[random.nextInt(bodies.length)]);
                        long t1 = System.nanoTime();
                        if (status == 200) {
                            if (count == sent.length) {
                                sent = Arrays.copyOf(sent, count * 2);
                                acked = Arrays.copyOf(acked, count * 2);
                            }
                            sent[count] = t0;
                            acked[count++] = t1;
                        } else {
                            failed++;
                        }
                    } catch (IOException e) {
                        failed++;
                        try {
                            Thread.sleep(1);
                        } catch (InterruptedException stop) {
                            return;
                        }
                    }
                }
            }
        }
    }
}
