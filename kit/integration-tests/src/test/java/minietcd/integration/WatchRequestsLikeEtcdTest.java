package minietcd.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import minietcd.kit.server.WatchSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * How the gateway reads a {@code /v3/watch} body and answers its requests, each case as etcd 3.4.23
 * answered it side by side (its answers were taken with curl and raw sockets against a fresh
 * {@code etcd --data-dir} on 127.0.0.1; the lines below are etcd's, with our member's header ids):
 * requests applied as they arrive, Go's error for a first request that does not decode, the end of
 * the reading at a later one, etcd's cancel reasons, the key {@code "\0"} for an empty key, filter
 * numbers outside the enum, and the stream breaking on a negative one.
 */
class WatchRequestsLikeEtcdTest {
    private static final Duration READ = Duration.ofSeconds(5);

    @Test
    void requestsInABodyKeptOpenAreAppliedAsTheyArrive() throws Exception {
        String rule = "each request of a watch body is applied as it arrives, as etcd applies it";
        try (WatchGateway gw = new WatchGateway(); RawWatch w = RawWatch.openChunked(gw.port()).as(rule)) {
            w.send(WatchGateway.create("foo"));
            assertThat(w.next(READ)).as(rule).isEqualTo(gw.message(1, ",\"created\":true"));
            long r1 = gw.put("foo", "1", rule);
            assertThat(w.next(READ)).as(rule + ": the first watch sees a put made while the body is open").contains("\"mod_revision\":\"" + r1 + "\"");
            w.send(WatchGateway.create("bar"));
            assertThat(w.next(READ)).as(rule + ": a create sent later").isEqualTo(gw.message(r1, ",\"watch_id\":\"1\",\"created\":true"));
            long r2 = gw.put("bar", "1", rule);
            assertThat(w.next(READ)).as(rule + ": the later watch sees the puts after it").contains("\"watch_id\":\"1\"").contains("\"mod_revision\":\"" + r2 + "\"");
            w.endBody();
            long r3 = gw.put("foo", "2", rule);
            assertThat(w.next(READ)).as("the stream goes on after its body ends").contains("\"mod_revision\":\"" + r3 + "\"");
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "`{\"create_request\":{\"key\":\"Zm9v\"}`|unexpected EOF",
            "`xyz`|invalid character 'x' looking for beginning of value",
            "`{\"create_request\":{\"key\":\"Zm9\"}}`|illegal base64 data at input byte 0",
            "`{\"create_request\":{\"key\":\"Zm9v\",\"filters\":[\"BAD\"]}}`|`unknown value \\\"BAD\\\" for enum etcdserverpb.WatchCreateRequest_FilterType`",
            "`{\"create_request\":{\"key\":\"Zm9v\",\"filters\":[4294967296]}}`|json: cannot unmarshal number 4294967296 into Go value of type etcdserverpb.WatchCreateRequest_FilterType",
            "`5`|json: cannot unmarshal number into Go value of type map[string]json.RawMessage"})
    void aFirstRequestThatDoesNotDecodeGetsGosErrorInsteadOfAStream(String body, String error) throws Exception {
        String rule = "a first watch request that does not decode gets etcd's error, not a silent stream";
        try (WatchGateway gw = new WatchGateway(); RawWatch w = RawWatch.open(gw.port(), body).as(rule)) {
            assertThat(w.status(READ)).as(rule).isEqualTo(500);
            assertThat(w.header("Content-Type", READ)).as(rule).isEqualTo("application/json");
            assertThat(w.header("Grpc-Metadata-Content-Type", READ)).as(rule + ": no gRPC metadata, as no stream was opened").isNull();
            assertThat(w.fixedBody(READ)).as(rule).isEqualTo("{\"error\":\"" + error + "\",\"message\":\"" + error + "\",\"code\":2}");
        }
    }

    @Test
    void aLaterRequestThatDoesNotDecodeEndsTheReadingAndTheStreamGoesOn() throws Exception {
        String rule = "a later watch request that does not decode ends the reading of the body, as etcd stops there";
        try (WatchGateway gw = new WatchGateway();
             RawWatch w = RawWatch.open(gw.port(), WatchGateway.create("foo") + "{\"create_request\":{\"key\":\"Zm9\"}}" + WatchGateway.create("bar")).as(rule)) {
            assertThat(w.next(READ)).isEqualTo(gw.message(1, ",\"created\":true"));
            gw.put("bar", "1", rule);
            long foo = gw.put("foo", "1", rule);
            assertThat(w.next(READ)).as(rule + ": the create after the bad one was not read").contains("\"mod_revision\":\"" + foo + "\"").doesNotContain("watch_id");
            assertThat(gw.store.live()).as(rule).isEqualTo(1);
        }
    }

    @Test
    void aDuplicateWatchIdIsCanceledWithEtcdsReasonAndTheBodyGoesOn() throws Exception {
        String rule = "a duplicate watch_id is answered created and canceled with etcd's reason, and the rest of the body is read";
        String body = "{\"create_request\":{\"key\":\"Zm9v\",\"watch_id\":\"3\"}}{\"create_request\":{\"key\":\"YmFy\",\"watch_id\":\"3\"}}{\"create_request\":{\"key\":\"YmF6\"}}";
        try (WatchGateway gw = new WatchGateway(); RawWatch w = RawWatch.open(gw.port(), body).as(rule)) {
            assertThat(w.next(READ)).as(rule).isEqualTo(gw.message(1, ",\"watch_id\":\"3\",\"created\":true"));
            assertThat(w.next(READ)).as(rule).isEqualTo(gw.message(1,
                    ",\"watch_id\":\"-1\",\"created\":true,\"canceled\":true,\"cancel_reason\":\"mvcc: duplicate watch ID provided on the WatchStream\""));
            assertThat(w.next(READ)).as(rule).isEqualTo(gw.message(1, ",\"created\":true"));
        }
    }

    @ParameterizedTest
    @CsvSource({"Zm9v", "ZQ=="}) // "foo" itself, and "e" below it
    void aRangeEndingAtOrBelowItsKeyIsRefusedWithEtcdsReason(String rangeEnd) throws Exception {
        String rule = "a watch on an empty range is answered created and canceled with etcd's reason";
        try (WatchGateway gw = new WatchGateway();
             RawWatch w = RawWatch.open(gw.port(), "{\"create_request\":{\"key\":\"Zm9v\",\"range_end\":\"" + rangeEnd + "\"}}" + WatchGateway.create("foo")).as(rule)) {
            assertThat(w.next(READ)).as(rule).isEqualTo(gw.message(1, ",\"watch_id\":\"-1\",\"created\":true,\"canceled\":true,\"cancel_reason\":\"mvcc: watcher range is empty\""));
            assertThat(w.next(READ)).as(rule + ": the refused one took no id").isEqualTo(gw.message(1, ",\"created\":true"));
            assertThat(gw.store.live()).as(rule).isEqualTo(1);
        }
    }

    @Test
    void aRangeEndOfZeroIsEveryKeyFromTheKeyOn() throws Exception {
        String rule = "a range_end of \\0 watches every key from the key on";
        try (WatchGateway gw = new WatchGateway(); RawWatch w = RawWatch.open(gw.port(), "{\"create_request\":{\"key\":\"Zm9v\",\"range_end\":\"AA==\"}}").as(rule)) {
            assertThat(w.next(READ)).isEqualTo(gw.message(1, ",\"created\":true"));
            long rev = gw.put("zzz", "1", rule);
            assertThat(w.next(READ)).contains("\"mod_revision\":\"" + rev + "\"");
        }
    }

    @Test
    void anEmptyOrMissingKeyWatchesTheKeyZero() throws Exception {
        String rule = "a watch with an empty or missing key watches the key \\0, as etcd's does";
        try (WatchGateway gw = new WatchGateway(); RawWatch w = RawWatch.open(gw.port(), "{\"create_request\":{}}{\"create_request\":{\"key\":\"\"}}").as(rule)) {
            assertThat(w.next(READ)).isEqualTo(gw.message(1, ",\"created\":true"));
            assertThat(w.next(READ)).isEqualTo(gw.message(1, ",\"watch_id\":\"1\",\"created\":true"));
            long rev = gw.put("\0", "z", rule);
            String event = ",\"events\":[{\"kv\":{\"key\":\"AA==\",\"create_revision\":\"2\",\"mod_revision\":\"2\",\"version\":\"1\",\"value\":\"eg==\"}}]";
            assertThat(List.of(w.next(READ), w.next(READ))).as(rule)
                    .containsExactlyInAnyOrder(gw.message(rev, event), gw.message(rev, ",\"watch_id\":\"1\"" + event));
        }
    }

    @Test
    void aFilterNumberThatNamesNoFilterIsIgnored() throws Exception {
        String rule = "a filter number that names no filter is ignored, as etcd ignores it";
        try (WatchGateway gw = new WatchGateway(); RawWatch w = RawWatch.open(gw.port(), "{\"create_request\":{\"key\":\"Zm9v\",\"filters\":[7]}}").as(rule)) {
            assertThat(w.next(READ)).as(rule).isEqualTo(gw.message(1, ",\"created\":true"));
            long rev = gw.put("foo", "1", rule);
            assertThat(w.next(READ)).as(rule + ": puts are not filtered out").contains("\"mod_revision\":\"" + rev + "\"");
        }
    }

    @Test
    void aNegativeFilterNumberBreaksTheStreamAsEtcdsBreaks() throws Exception {
        String rule = "a negative filter number breaks the stream with the gateway's gRPC error, as etcd's does";
        String broken = "{\"error\":{\"grpc_code\":13,\"http_code\":500,\"message\":\"grpc: failed to unmarshal the received message unexpected EOF\","
                + "\"http_status\":\"Internal Server Error\"}}";
        try (WatchGateway gw = new WatchGateway()) {
            try (RawWatch first = RawWatch.open(gw.port(), "{\"create_request\":{\"key\":\"Zm9v\",\"filters\":[-1]}}").as(rule)) {
                assertThat(first.status(READ)).as(rule + ": as the first request").isEqualTo(500);
                assertThat(first.header("Transfer-Encoding", READ)).as(rule).isEqualTo("chunked");
                assertThat(first.header("Grpc-Metadata-Content-Type", READ)).as(rule).isNull();
                assertThat(first.restOfBody(READ)).as(rule + ": the error, with no newline").isEqualTo(broken);
            }
            try (RawWatch later = RawWatch.open(gw.port(), WatchGateway.create("foo") + "{\"create_request\":{\"key\":\"Zm9v\",\"filters\":[-3]}}" + WatchGateway.create("bar")).as(rule)) {
                assertThat(later.status(READ)).isEqualTo(200);
                assertThat(later.next(READ)).isEqualTo(gw.message(1, ",\"created\":true"));
                assertThat(later.restOfBody(READ)).as(rule + ": the stream's last words, then its end").isEqualTo(gw.message(1, ",\"created\":true") + "\n" + broken);
                assertThat(gw.store.live()).as(rule + ": the broken stream's watchers are gone").isZero();
            }
        }
    }

    @Test
    void theDefaultProgressIntervalIsEtcdsTenMinutes() throws Exception {
        String rule = "progress notifications come every 10 minutes by default, as etcd's";
        try (WatchGateway gw = new WatchGateway();
             RawWatch w = RawWatch.open(gw.port(), "{\"create_request\":{\"key\":\"cA==\",\"progress_notify\":true}}" + WatchGateway.create("q")).as(rule)) {
            assertThat(w.next(READ)).contains("\"created\":true");
            assertThat(w.next(READ)).contains("\"created\":true");
            gw.clock.addAndGet(10_000); // the store's own progress interval: the put below lets it pass first
            long q = gw.put("q", "1", rule);
            assertThat(w.next(READ)).as(rule + ": nothing at 10 s").contains("\"watch_id\":\"1\"").contains("\"mod_revision\":\"" + q + "\"");
            gw.clock.addAndGet(590_000);
            assertThat(w.next(READ)).as(rule + ": the progress at 10 minutes").isEqualTo(gw.message(q, ""));
        }
    }

    @Test
    void progressGoesAtTheGatewaysIntervalToTheWatchesThatWereSentNothingSinceTheLast() throws Exception {
        String rule = "a progress notification goes, at each interval, to each watch asking for it that was sent no event since the last";
        long interval = 60_000;
        try (WatchGateway gw = new WatchGateway(s -> s.watchSettings(WatchSettings.DEFAULT.withProgressNotifyInterval(Duration.ofMillis(interval))));
             RawWatch w = RawWatch.open(gw.port(), "{\"create_request\":{\"key\":\"cA==\",\"progress_notify\":true}}{\"create_request\":{\"key\":\"cQ==\",\"progress_notify\":true}}").as(rule)) {
            assertThat(w.next(READ)).contains("\"created\":true");
            assertThat(w.next(READ)).contains("\"created\":true");
            // A stream opened after it, whose progress notification shows that an upkeep round has been over both (in the order they opened).
            try (RawWatch beside = RawWatch.open(gw.port(), "{\"create_request\":{\"key\":\"aWRsZQ==\",\"progress_notify\":true}}").as(rule)) {
                assertThat(beside.next(READ)).contains("\"created\":true");

                gw.clock.addAndGet(interval);
                assertThat(beside.next(READ)).doesNotContain("created");
                assertThat(w.next(READ)).as(rule).isEqualTo(gw.message(1, ""));
                assertThat(w.next(READ)).as(rule).isEqualTo(gw.message(1, ",\"watch_id\":\"1\""));

                long p = gw.put("p", "1", rule);
                assertThat(w.next(READ)).contains("\"mod_revision\":\"" + p + "\"");
                gw.clock.addAndGet(interval);
                assertThat(beside.next(READ)).doesNotContain("created");
                assertThat(w.next(READ)).as(rule + ": not to the watch that was sent an event").isEqualTo(gw.message(p, ",\"watch_id\":\"1\""));
                long q = gw.put("q", "1", rule);
                assertThat(w.next(READ)).as(rule + ": nothing else came at that interval").contains("\"watch_id\":\"1\"").contains("\"mod_revision\":\"" + q + "\"");

                gw.clock.addAndGet(interval);
                assertThat(beside.next(READ)).doesNotContain("created");
                assertThat(w.next(READ)).as(rule).isEqualTo(gw.message(q, ""));
                long p2 = gw.put("p", "2", rule);
                assertThat(w.next(READ)).as(rule + ": nothing else came at that interval").contains("\"mod_revision\":\"" + p2 + "\"").doesNotContain("watch_id");
            }
        }
    }
}
