package minietcd.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A watch client that leaves takes nothing of the member with it: its watchers in the store, its
 * connection, its thread (an operator saw 270 malformed watch requests whose clients left make a
 * member unresponsive, for good). "Promptly" is within about a second, even if nothing is written
 * to the watched keys: the client's half close (its FIN) must be answered by the server closing its
 * side, which the client sees as the end of its stream.
 */
class LeavingWatchClientsTest {
    private static final Duration PROMPTLY = Duration.ofMillis(1_500);
    private static final Duration READ = Duration.ofSeconds(5);

    @Test
    void malformedWatchRequestsWhoseClientsLeaveHoldNothingAndTheMemberGoesOnAnswering() throws Exception {
        String rule = "a malformed watch request is answered with an error and holds nothing";
        try (WatchGateway gw = new WatchGateway()) {
            List<RawWatch> left = new ArrayList<>();
            for (int i = 0; i < 300; i++) left.add(RawWatch.open(gw.port(), i % 2 == 0 ? "{\"create_request\":{\"key\":\"Zm9\"}}" : "{\"create_request\":").as(rule));
            for (RawWatch w : left) {
                w.status(READ); // whatever the answer, the client has it, and leaves
                w.close();
            }
            gw.put("k", "v", rule);
            assertThat(gw.post("kv/range", "{\"key\":\"" + WatchGateway.b64("k") + "\"}", rule).statusCode()).as(rule).isEqualTo(200);
            assertThat(gw.store.live()).as(rule + ": no watcher was made").isZero();
            try (RawWatch w = RawWatch.open(gw.port(), "{\"create_request\":").as(rule)) {
                assertThat(w.status(READ)).as(rule + ": etcd's status for a first request that does not decode").isEqualTo(500);
                assertThat(w.fixedBody(READ)).as(rule).isEqualTo("{\"error\":\"unexpected EOF\",\"message\":\"unexpected EOF\",\"code\":2}");
            }
        }
    }

    @Test
    void aWatchClientThatLeavesHasItsWatchersCanceledAndItsConnectionClosedWithinASecond() throws Exception {
        String rule = "a watch client that leaves frees its watchers and its connection promptly, even with nothing written";
        try (WatchGateway gw = new WatchGateway()) {
            try (RawWatch w = RawWatch.open(gw.port(), WatchGateway.create("quiet") + WatchGateway.create("other")).as(rule)) {
                assertThat(w.next(READ)).contains("\"created\":true");
                assertThat(w.next(READ)).contains("\"created\":true");
                assertThat(gw.store.live()).isEqualTo(2);
                w.shutdownOutput();
                assertThat(w.closedByServer(PROMPTLY)).as(rule + ": the server closes its side of the connection").isTrue();
                assertThat(gw.store.live()).as(rule + ": its watchers are gone from the store").isZero();
            }
        }
    }

    @Test
    void aClientThatLeavesWhileItsBodyIsStillOpenIsFreedToo() throws Exception {
        String rule = "a watch client that leaves in the middle of its body frees its watchers and its connection";
        try (WatchGateway gw = new WatchGateway()) {
            try (RawWatch w = RawWatch.openChunked(gw.port()).as(rule)) {
                w.send(WatchGateway.create("quiet"));
                assertThat(w.next(READ)).as("a request is applied as it arrives").contains("\"created\":true");
                assertThat(gw.store.live()).isEqualTo(1);
                w.shutdownOutput();
                assertThat(w.closedByServer(PROMPTLY)).as(rule + ": the server closes its side of the connection").isTrue();
                assertThat(gw.store.live()).as(rule + ": its watcher is gone from the store").isZero();
            }
        }
    }
}
