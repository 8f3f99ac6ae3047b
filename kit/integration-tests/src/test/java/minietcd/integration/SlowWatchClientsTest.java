package minietcd.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import minietcd.kit.server.WatchSettings;
import org.junit.jupiter.api.Test;

/**
 * A client that stops reading its watch stream, as etcd treats it: its stream is not cut (an
 * operator saw such streams closed, silently, after Jetty's 30-second idle timeout on the blocked
 * write); its events wait, in the gateway's bounded queue and then in the store, which keeps the
 * watcher behind and catches it up from history; and only a client that stays too far behind for
 * longer than the gateway's limit has its watch canceled, with a reason it can read.
 *
 * <p>The client has a small receive buffer and puts of 512 KiB values fill the connection. While it
 * reads again, each read follows one tick of the store (the clock moves 100 ms and a range lets it
 * pass), which is when a watcher that fell behind catches up.
 */
class SlowWatchClientsTest {
    private static final Duration READ = Duration.ofSeconds(10);
    private static final Pattern MOD = Pattern.compile("\"mod_revision\":\"(\\d+)\"");
    private static final String VALUE = "x".repeat(512 * 1024);

    @Test
    void aStreamWhoseClientStopsReadingIsNotCutByTheIdleTimeoutAndLosesNothing() throws Exception {
        String rule = "a watch stream its client does not read is kept, as etcd keeps it, and loses no event";
        Duration idle = Duration.ofMillis(200);
        try (WatchGateway gw = new WatchGateway(s -> s.idleTimeout(idle).watchSettings(WatchSettings.DEFAULT.withSlowClientLimit(Duration.ofHours(1))));
             RawWatch w = RawWatch.open(gw.port(), WatchGateway.create("big"), 4096).as(rule)) {
            assertThat(w.next(READ)).contains("\"created\":true");
            long start = System.nanoTime();
            long first = 0, last = 0;
            // puts until the connection is long full: at least five idle timeouts of wall time (spent putting, not waiting)
            for (int i = 0; i < 20 || System.nanoTime() - start < 5 * idle.toNanos(); i++) {
                last = gw.put("big", VALUE, rule);
                if (first == 0) first = last;
            }
            List<Long> seen = readEvents(gw, w, last, rule);
            assertThat(seen).as(rule + ": every event, in order, once").isEqualTo(range(first, last));
            long after = gw.put("big", "small", rule);
            assertThat(readEvents(gw, w, after, rule)).as(rule + ": the stream goes on").containsExactly(after);
        }
    }

    @Test
    void aClientTooFarBehindForTooLongHasItsWatchCanceledWithAReasonNotItsStreamClosed() throws Exception {
        String rule = "a watch client too far behind for longer than the limit is canceled with a reason, never silently closed";
        Duration limit = Duration.ofSeconds(60);
        WatchSettings settings = WatchSettings.DEFAULT.withSlowClientLimit(limit).withProgressNotifyInterval(limit);
        try (WatchGateway gw = new WatchGateway(s -> s.watchSettings(settings));
             RawWatch slow = RawWatch.open(gw.port(), WatchGateway.create("big"), 4096).as(rule)) {
            assertThat(slow.next(READ)).contains("\"created\":true");
            // A stream opened after it, whose progress notification shows that an upkeep round has been over both (in the order they opened).
            try (RawWatch beside = RawWatch.open(gw.port(), "{\"create_request\":{\"key\":\"" + WatchGateway.b64("idle") + "\",\"progress_notify\":true}}").as(rule)) {
                assertThat(beside.next(READ)).contains("\"created\":true");
                long first = 0;
                for (int i = 0; i < 30; i++) {
                    long rev = gw.put("big", VALUE, rule);
                    if (first == 0) first = rev;
                }
                gw.clock.addAndGet(limit.toMillis() + 1_000); // the slow stream has been full since the puts
                assertThat(beside.next(READ)).as("the stream beside gets its progress notification").doesNotContain("created").doesNotContain("events");
                assertThat(gw.store.live()).as(rule + ": the slow stream's watcher is gone from the store").isEqualTo(1);

                List<Long> events = new ArrayList<>();
                String canceled = null;
                while (canceled == null) {
                    String line = nextAfterATick(gw, slow, rule);
                    if (line.contains("\"canceled\":true")) canceled = line;
                    else collect(line, events);
                }
                assertThat(canceled).as(rule).contains("\"cancel_reason\":\"").doesNotContain("compact_revision");
                assertThat(events).as(rule + ": what was sent before the cancel is whole and in order").isEqualTo(range(first, first + events.size() - 1));
            }
        }
    }

    /** Reads, a tick before each read, until the event at {@code upTo}; returns the events' revisions. */
    private static List<Long> readEvents(WatchGateway gw, RawWatch w, long upTo, String rule) throws Exception {
        List<Long> seen = new ArrayList<>();
        while (seen.isEmpty() || seen.get(seen.size() - 1) < upTo) collect(nextAfterATick(gw, w, rule), seen);
        return seen;
    }

    private static String nextAfterATick(WatchGateway gw, RawWatch w, String rule) throws Exception {
        gw.clock.addAndGet(100);
        gw.post("kv/range", "{\"key\":\"AA==\",\"count_only\":true}", rule); // lets the 100 ms pass in the store: one tick
        String line = w.next(READ);
        if (line == null) throw new AssertionError(rule + ": the server closed the stream");
        return line;
    }

    private static void collect(String line, List<Long> into) {
        for (Matcher m = MOD.matcher(line); m.find(); ) into.add(Long.parseLong(m.group(1)));
    }

    private static List<Long> range(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (long r = from; r <= to; r++) out.add(r);
        return out;
    }
}
