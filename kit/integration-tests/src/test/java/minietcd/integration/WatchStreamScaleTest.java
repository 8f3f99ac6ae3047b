package minietcd.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Open watch streams hold no request thread: a member with more of them than Jetty has threads
 * (about 250) goes on answering puts and ranges, each stream gets its events, and the member is
 * still whole after the clients leave. (An operator saw put, range and status stop at 234 streams,
 * for good.) Streams here are raw sockets; 1,000 of them are 2,000 descriptors in this JVM.
 */
class WatchStreamScaleTest {
    private static final int STREAMS = 1_000;
    private static final Duration READ = Duration.ofSeconds(10);

    @Test
    void aThousandOpenWatchStreamsLeavePutAndRangeAnsweringAndEachGetsItsEvents() throws Exception {
        String rule = "open watch streams must not hold the member's request threads";
        try (WatchGateway gw = new WatchGateway()) {
            List<RawWatch> streams = new ArrayList<>();
            try {
                for (int i = 0; i < STREAMS; i++) streams.add(RawWatch.open(gw.port(), WatchGateway.create("hot")).as(rule));
                for (RawWatch w : streams) assertThat(w.next(READ)).as(rule + ": every stream is created").contains("\"created\":true");

                long rev = gw.put("hot", "1", rule);
                HttpResponse<String> range = gw.post("kv/range", "{\"key\":\"" + WatchGateway.b64("hot") + "\"}", rule);
                assertThat(range.statusCode()).as(rule + ": a range beside the streams").isEqualTo(200);
                HttpResponse<String> status = gw.post("maintenance/status", "{}", rule);
                assertThat(status.statusCode()).as(rule + ": status beside the streams").isEqualTo(200);
                for (RawWatch w : streams) assertThat(w.next(READ)).as(rule + ": every stream gets the put").contains("\"mod_revision\":\"" + rev + "\"");
                assertThat(gw.store.live()).as("one watcher per stream").isEqualTo(STREAMS);
            } finally {
                for (RawWatch w : streams) w.close();
            }
            gw.put("hot", "2", "a member whose watch clients left must go on answering");
            assertThat(gw.post("kv/range", "{\"key\":\"" + WatchGateway.b64("hot") + "\"}", "a member whose watch clients left must go on answering").statusCode())
                    .isEqualTo(200);
        }
    }
}
