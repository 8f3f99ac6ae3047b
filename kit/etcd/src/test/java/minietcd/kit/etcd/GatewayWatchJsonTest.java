package minietcd.kit.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import minietcd.kit.etcd.GatewayJson.WatchCancel;
import minietcd.kit.etcd.GatewayJson.WatchCreate;
import minietcd.kit.etcd.GatewayJson.WatchStreamRequest;
import minietcd.kit.conformance.Recordings.Vector;
import minietcd.kit.mvcc.Bytes;
import minietcd.kit.mvcc.EtcdException;
import minietcd.kit.mvcc.Event;
import minietcd.kit.mvcc.KeyValue;
import minietcd.kit.watch.WatchRequest;
import minietcd.kit.watch.WatchResponse;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import minietcd.kit.conformance.Recordings;

/**
 * The watch stream's JSON ({@link GatewayJson#watch(String)} and
 * {@link GatewayJson#watch(Header, WatchResponse)}) against the recording: every message of every
 * recorded watch stream is read into a {@link WatchResponse} and written again byte for byte, and
 * every recorded request body decodes to the requests it holds. The cases beyond the recording were
 * fed to a small Go program built from the Debian packages the recorded etcd was built from
 * (golang/protobuf 1.3.5's jsonpb behind grpc-gateway 1.6.4's JSONPb marshaller, with etcd
 * 3.4.23's etcdserverpb), decoding a body as the gateway's watch handler does and marshalling
 * responses as its stream forwarder does; its answers are copied here.
 */
class GatewayWatchJsonTest {
    private static final List<Vector> WATCHES = Recordings.load().stream().filter(v -> v.path().equals("/v3/watch")).toList();

    @Test
    void aCancelReasonGoesInItsProtoPlaceWithGosEscapes() {
        Header h = new Header(4865707205399774916L, -3184900115807506500L, 0, 2);
        WatchResponse refused = new WatchResponse(-1, 9, true, true, 0, List.of());
        assertThat(GatewayJson.watch(h, refused, WatchGateway.DUPLICATE_ID)).isEqualTo("{\"result\":{\"header\":{\"cluster_id\":\"4865707205399774916\","
                + "\"member_id\":\"15261843957902045116\",\"revision\":\"9\",\"raft_term\":\"2\"},\"watch_id\":\"-1\",\"created\":true,\"canceled\":true,"
                + "\"cancel_reason\":\"mvcc: duplicate watch ID provided on the WatchStream\"}}");
        WatchResponse slow = new WatchResponse(3, 9, false, true, 0, List.of());
        assertThat(GatewayJson.watch(h, slow, "too slow <& \"behind\"")).endsWith(",\"canceled\":true,\"cancel_reason\":\"too slow \\u003c\\u0026 \\\"behind\\\"\"}}");
        assertThat(GatewayJson.watch(h, slow, null)).isEqualTo(GatewayJson.watch(h, slow)).doesNotContain("cancel_reason");
    }

    @Test
    void theRecordingHoldsTheseWatchStreams() {
        // every watch stream was recorded on the single node: the cluster runs recorded none
        assertThat(WATCHES).extracting(Vector::name).containsExactly("watch_prefix_from_past_revision", "watch_prev_kv_noput_filter",
                "watch_no_start_revision_live_only", "watch_two_creates_in_one_body", "watch_create_then_cancel",
                "watch_future_start_revision", "watch_progress_notify_flag", "watch_fragment_and_watch_id", "watch_progress_request",
                "watch_sees_expiry_delete", "watch_from_compacted_revision");
        assertThat(WATCHES).allSatisfy(v -> {
            assertThat(v.target()).isEqualTo("single");
            assertThat(v.streaming()).isTrue();
            assertThat(v.status()).isEqualTo(200);
        });
        assertThat(WATCHES.stream().mapToLong(v -> lines(v).size()).sum()).isEqualTo(33);
    }

    @TestFactory
    Stream<DynamicTest> everyRecordedMessageIsWrittenByteForByte() {
        return WATCHES.stream().map(v -> dynamicTest(v.toString(), () -> {
            for (String line : lines(v)) {
                JsonNode message = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
                assertThat(message.size()).isEqualTo(1);
                JsonNode result = message.get("result");
                WatchResponse r = EtcdResponseJson.watch(result);
                assertThat(GatewayJson.watch(EtcdResponseJson.header(result.get("header")), r)).isEqualTo(line);
            }
        }));
    }

    /** What each recorded body asked for. */
    private static final Map<String, List<String>> RECORDED_REQUESTS = Map.ofEntries(
            Map.entry("watch_prefix_from_past_revision", List.of("create key=77 end=78 start=23 noput=false nodelete=false prev=false id=-1 progress=false")),
            Map.entry("watch_prev_kv_noput_filter", List.of("create key=7731 end= start=0 noput=true nodelete=false prev=true id=-1 progress=false")),
            Map.entry("watch_no_start_revision_live_only", List.of("create key=7731 end= start=0 noput=false nodelete=false prev=false id=-1 progress=false")),
            Map.entry("watch_two_creates_in_one_body", List.of("create key=7731 end= start=0 noput=false nodelete=false prev=false id=-1 progress=false",
                    "create key=7731 end= start=0 noput=false nodelete=false prev=true id=-1 progress=false")),
            Map.entry("watch_create_then_cancel", List.of("create key=7731 end= start=0 noput=false nodelete=false prev=false id=-1 progress=false", "cancel 0")),
            Map.entry("watch_future_start_revision", List.of("create key=7731 end= start=100000 noput=false nodelete=false prev=false id=-1 progress=false")),
            Map.entry("watch_progress_notify_flag", List.of("create key=7731 end= start=0 noput=false nodelete=false prev=false id=-1 progress=true")),
            Map.entry("watch_fragment_and_watch_id", List.of("create key=7731 end= start=0 noput=false nodelete=false prev=false id=7 progress=false")),
            Map.entry("watch_progress_request", List.of("create key=7731 end= start=0 noput=false nodelete=false prev=false id=-1 progress=false", "progress")),
            Map.entry("watch_sees_expiry_delete", List.of("create key=6578706972696e67 end= start=45 noput=false nodelete=false prev=true id=-1 progress=false")),
            Map.entry("watch_from_compacted_revision", List.of("create key=63 end= start=47 noput=false nodelete=false prev=false id=-1 progress=false")));

    @TestFactory
    Stream<DynamicTest> everyRecordedBodyDecodesToItsRequests() {
        assertThat(RECORDED_REQUESTS).hasSameSizeAs(WATCHES);
        return WATCHES.stream().map(v -> dynamicTest(v.toString(),
                () -> assertThat(describe(GatewayJson.watch(v.body()))).isEqualTo(RECORDED_REQUESTS.get(v.name()))));
    }

    /**
     * Bodies the gateway takes, and the requests that reach etcd (a request that names none, or
     * names one as null, reaches it empty and is left out). Where Go's map order decides (two
     * requests in one object), the expected answer is one of those Go gives.
     */
    private static final String[][] ACCEPTED = {
            {"{\"create_request\": {\"key\": \"dzE=\"}}{\"cancel_request\": {\"watch_id\": \"0\"}}", "create key=7731 end= start=0 noput=false nodelete=false prev=false id=-1 progress=false", "cancel 0"},
            {"{\"create_request\": {\"key\": \"dzE=\"}}{\"progress_request\": {}}", "create key=7731 end= start=0 noput=false nodelete=false prev=false id=-1 progress=false", "progress"},
            {"{\"create_request\": {\"key\": \"dzE=\", \"watch_id\": \"7\", \"fragment\": true}}", "create key=7731 end= start=0 noput=false nodelete=false prev=false id=7 progress=false"},
            {""},
            {"   \n"},
            {"{}"},
            {"null"},
            {"null{\"progress_request\":{}}", "progress"},
            {"{\"create_request\": null}"},
            {"{\"cancel_request\": null}"},
            {"{\"progress_request\": null}"},
            {"{\"requestUnion\": 5}"},
            {"{\"request_union\": null, \"progress_request\": {}}", "progress"},
            {"{\"unknown\": [1, {\"x\": null}], \"cancel_request\": {\"watch_id\": 4, \"other\": true}}", "cancel 4"},
            {"{\"createRequest\": {\"rangeEnd\":\"AA==\",\"startRevision\":3,\"prevKv\":true,\"watchId\":\"9\",\"progressNotify\":true,\"fragment\":true}}", "create key= end=00 start=3 noput=false nodelete=false prev=true id=9 progress=true"},
            {"{\"create_request\": {\"key\":\"YQ==\",\"range_end\":\"Yg==\",\"start_revision\":\"-3\",\"prev_kv\":false,\"watch_id\":-5}}", "create key=61 end=62 start=-3 noput=false nodelete=false prev=false id=-5 progress=false"},
            {"{\"cancel_request\": {\"watchId\": 3, \"watch_id\": 4}}", "cancel 3"},
            {"{\"cancelRequest\": {\"watch_id\": \"12\"}}", "cancel 12"},
            {"{\"cancel_request\": {}}", "cancel 0"},
            {"{\"progressRequest\": {\"x\": 1}}", "progress"},
            {"{\"create_request\": {\"key\":\"dzE=\",\"filters\":[\"NOPUT\"]}}", "create key=7731 end= start=0 noput=true nodelete=false prev=false id=-1 progress=false"},
            {"{\"create_request\": {\"key\":\"dzE=\",\"filters\":[\"NODELETE\"]}}", "create key=7731 end= start=0 noput=false nodelete=true prev=false id=-1 progress=false"},
            {"{\"create_request\": {\"key\":\"dzE=\",\"filters\":[0,1]}}", "create key=7731 end= start=0 noput=true nodelete=true prev=false id=-1 progress=false"},
            {"{\"create_request\": {\"key\":\"dzE=\",\"filters\":[null]}}", "create key=7731 end= start=0 noput=true nodelete=false prev=false id=-1 progress=false"},
            {"{\"create_request\": {\"key\":\"dzE=\",\"filters\":[1, 7, -1]}}", "create key=7731 end= start=0 noput=false nodelete=true prev=false id=-1 progress=false"},
            {"{\"create_request\": {\"key\":\"dzE=\",\"filters\":[]}}", "create key=7731 end= start=0 noput=false nodelete=false prev=false id=-1 progress=false"},
            {"{\"create_request\": {\"key\":\"dzE=\",\"filters\":null}}", "create key=7731 end= start=0 noput=false nodelete=false prev=false id=-1 progress=false"},
            {"{\"create_request\": {\"key\":\"dzE=\"}, \"progress_request\": {}}", "progress"},
            {"{\"cancel_request\": {\"watch_id\": 1}, \"create_request\": {\"key\":\"dzE=\"}}", "cancel 1"},
            {"{\"create_request\": {\"key\":\"dzE=\"}}\n{\"progress_request\":{}}\n\n", "create key=7731 end= start=0 noput=false nodelete=false prev=false id=-1 progress=false", "progress"},
            {" {\"create_request\": {\"key\":\"dzE=\"}} {\"create_request\": {\"key\":\"dzE=\", \"prev_kv\": true}} {\"cancel_request\": {\"watch_id\": 1}} ", "create key=7731 end= start=0 noput=false nodelete=false prev=false id=-1 progress=false", "create key=7731 end= start=0 noput=false nodelete=false prev=true id=-1 progress=false", "cancel 1"},
            {"{\"create_request\": {\"key\":\"dzE=\"}} xyz", "create key=7731 end= start=0 noput=false nodelete=false prev=false id=-1 progress=false"},
            {"{\"create_request\": {\"key\":\"dzE=\"}} {\"create_request\": {\"key\":\"dzE\"}} {\"progress_request\":{}}", "create key=7731 end= start=0 noput=false nodelete=false prev=false id=-1 progress=false"},
            {"{\"create_request\": {\"key\":\"dzE=\"}}{", "create key=7731 end= start=0 noput=false nodelete=false prev=false id=-1 progress=false"},
            {"{\"progress_request\":{}}[]", "progress"},
            {"{\"progress_request\":{}}{\"cancel_request\":{\"watch_id\":\"x\"}}", "progress"},
    };
    private static final String[][] REFUSED = {
            {"{", "unexpected EOF"},
            {"[]", "json: cannot unmarshal array into Go value of type map[string]json.RawMessage"},
            {"5", "json: cannot unmarshal number into Go value of type map[string]json.RawMessage"},
            {"\"x\"", "json: cannot unmarshal string into Go value of type map[string]json.RawMessage"},
            {"true", "json: cannot unmarshal bool into Go value of type map[string]json.RawMessage"},
            {"{\"request_union\": 5}", "json: cannot unmarshal number into Go value of type etcdserverpb.isWatchRequest_RequestUnion"},
            {"{\"request_union\": {}}", "json: cannot unmarshal object into Go value of type etcdserverpb.isWatchRequest_RequestUnion"},
            {"{\"create_request\": 5}", "json: cannot unmarshal number into Go value of type map[string]json.RawMessage"},
            {"{\"create_request\": []}", "json: cannot unmarshal array into Go value of type map[string]json.RawMessage"},
            {"{\"progress_request\": 5}", "json: cannot unmarshal number into Go value of type map[string]json.RawMessage"},
            {"{\"progress_request\": \"x\"}", "json: cannot unmarshal string into Go value of type map[string]json.RawMessage"},
            {"{\"cancel_request\": true}", "json: cannot unmarshal bool into Go value of type map[string]json.RawMessage"},
            {"{\"cancel_request\": {\"watch_id\": 1.5}}", "json: cannot unmarshal number 1.5 into Go value of type int64"},
            {"{\"cancel_request\": {\"watch_id\": \"x\"}}", "invalid character 'x' looking for beginning of value"},
            {"{\"create_request\": {}, \"cancel_request\": {\"watch_id\": \"x\"}}", "invalid character 'x' looking for beginning of value"},
            {"{\"create_request\": {\"key\":\"dzE\"}}", "illegal base64 data at input byte 0"},
            {"{\"create_request\": {\"key\":5}}", "json: cannot unmarshal number into Go value of type []uint8"},
            {"{\"create_request\": {\"range_end\":\"-\"}}", "illegal base64 data at input byte 0"},
            {"{\"create_request\": {\"start_revision\":\"abc\"}}", "invalid character 'a' looking for beginning of value"},
            {"{\"create_request\": {\"start_revision\":9223372036854775808}}", "json: cannot unmarshal number 9223372036854775808 into Go value of type int64"},
            {"{\"create_request\": {\"progress_notify\":\"true\"}}", "json: cannot unmarshal string into Go value of type bool"},
            {"{\"create_request\": {\"prev_kv\":1}}", "json: cannot unmarshal number into Go value of type bool"},
            {"{\"create_request\": {\"watch_id\":\"9223372036854775808\"}}", "json: cannot unmarshal number 9223372036854775808 into Go value of type int64"},
            {"{\"create_request\": {\"fragment\":\"true\"}}", "json: cannot unmarshal string into Go value of type bool"},
            {"{\"create_request\": {\"fragment\":1}}", "json: cannot unmarshal number into Go value of type bool"},
            {"{\"create_request\": {\"filters\":\"NOPUT\"}}", "invalid target \"slice\" for enum etcdserverpb.WatchCreateRequest_FilterType"},
            {"{\"create_request\": {\"filters\":\"NODELETE\"}}", "invalid target \"slice\" for enum etcdserverpb.WatchCreateRequest_FilterType"},
            {"{\"create_request\": {\"filters\":\"BAD\"}}", "unknown value \"BAD\" for enum etcdserverpb.WatchCreateRequest_FilterType"},
            {"{\"create_request\": {\"filters\":\"\"}}", "unknown value \"\" for enum etcdserverpb.WatchCreateRequest_FilterType"},
            {"{\"create_request\": {\"filters\":5}}", "json: cannot unmarshal number into Go value of type []json.RawMessage"},
            {"{\"create_request\": {\"filters\":{}}}", "json: cannot unmarshal object into Go value of type []json.RawMessage"},
            {"{\"create_request\": {\"filters\":true}}", "json: cannot unmarshal bool into Go value of type []json.RawMessage"},
            {"{\"create_request\": {\"filters\":[\"noput\"]}}", "unknown value \"noput\" for enum etcdserverpb.WatchCreateRequest_FilterType"},
            {"{\"create_request\": {\"filters\":[\"1\"]}}", "unknown value \"1\" for enum etcdserverpb.WatchCreateRequest_FilterType"},
            {"{\"create_request\": {\"filters\":[\"NO\\u0050UT\"]}}", "unknown value \"NO\\\\u0050UT\" for enum etcdserverpb.WatchCreateRequest_FilterType"},
            {"{\"create_request\": {\"filters\":[1.5]}}", "json: cannot unmarshal number 1.5 into Go value of type etcdserverpb.WatchCreateRequest_FilterType"},
            {"{\"create_request\": {\"filters\":[1e0]}}", "json: cannot unmarshal number 1e0 into Go value of type etcdserverpb.WatchCreateRequest_FilterType"},
            {"{\"create_request\": {\"filters\":[2147483648]}}", "json: cannot unmarshal number 2147483648 into Go value of type etcdserverpb.WatchCreateRequest_FilterType"},
            {"{\"create_request\": {\"filters\":[-2147483649]}}", "json: cannot unmarshal number -2147483649 into Go value of type etcdserverpb.WatchCreateRequest_FilterType"},
            {"{\"create_request\": {\"filters\":[true]}}", "json: cannot unmarshal bool into Go value of type etcdserverpb.WatchCreateRequest_FilterType"},
            {"{\"create_request\": {\"filters\":[{}]}}", "json: cannot unmarshal object into Go value of type etcdserverpb.WatchCreateRequest_FilterType"},
            {"{\"create_request\": {\"filters\":[[]]}}", "json: cannot unmarshal array into Go value of type etcdserverpb.WatchCreateRequest_FilterType"},
            {"{\"create_request\": {\"filters\":\"NOPE\",\"prev_kv\":\"x\"}}", "unknown value \"NOPE\" for enum etcdserverpb.WatchCreateRequest_FilterType"},
            {"{\"create_request\": {\"prev_kv\":\"x\",\"filters\":\"NOPE\"}}", "unknown value \"NOPE\" for enum etcdserverpb.WatchCreateRequest_FilterType"},
            {"{\"create_request\": {\"watch_id\":\"x\",\"key\":\"!\"}}", "illegal base64 data at input byte 0"},
            {"{\"create_request\": {\"start_revision\":\"x\",\"range_end\":\"!\"}}", "illegal base64 data at input byte 0"},
            {"{\"create_request\": {\"fragment\":1,\"watch_id\":\"x\"}}", "invalid character 'x' looking for beginning of value"},
            {"{\"create_request\": {\"progress_notify\":1,\"start_revision\":\"x\"}}", "invalid character 'x' looking for beginning of value"},
    };

    @TestFactory
    Stream<DynamicTest> bodiesTheGatewayTakes() {
        return Arrays.stream(ACCEPTED).map(c -> dynamicTest("body [" + c[0] + "]", () ->
                assertThat(describe(GatewayJson.watch(c[0]))).isEqualTo(List.of(c).subList(1, c.length))));
    }

    /** A first request the gateway cannot decode: the client gets Go's message with code 2 (HTTP 500). */
    @TestFactory
    Stream<DynamicTest> firstRequestsTheGatewayRefuses() {
        return Arrays.stream(REFUSED).map(c -> dynamicTest("body [" + c[0] + "]", () -> {
            assertThatThrownBy(() -> GatewayJson.watch(c[0])).isInstanceOfSatisfying(EtcdException.class, e -> {
                assertThat(e.code()).isEqualTo(EtcdException.UNKNOWN);
                assertThat(e.getMessage()).isEqualTo(c[1]);
            });
            assertThat(GatewayJson.httpStatus(EtcdException.UNKNOWN)).isEqualTo(500);
        }));
    }

    @Test
    void decodedRequestsAreTheKitsRecords() {
        assertThat(GatewayJson.watch("{\"create_request\":{\"key\":\"YQ==\",\"range_end\":\"Yg==\",\"filters\":[\"NODELETE\"],\"watch_id\":3}}"))
                .containsExactly(new WatchCreate(WatchRequest.of(Bytes.of("a")).withRangeEnd(Bytes.of("b")).filtered(false, true).withId(3)));
        assertThat(GatewayJson.watch("{\"cancel_request\":{\"watch_id\":\"-1\"}}{\"progress_request\":{}}"))
                .containsExactly(new WatchCancel(-1), new GatewayJson.WatchProgress());
    }

    private static final Header H = new Header(4865707205399774916L, -3184900115807506500L, 7, 2);
    private static final String HEADER = "{\"cluster_id\":\"4865707205399774916\",\"member_id\":\"15261843957902045116\",\"revision\":\"7\",\"raft_term\":\"2\"}";

    /** Messages the recording does not show, as the gateway's marshaller wrote them. */
    @Test
    void messagesBeyondTheRecording() {
        assertThat(GatewayJson.watch(H, WatchResponse.progress(-1, 7))).isEqualTo("{\"result\":{\"header\":" + HEADER + ",\"watch_id\":\"-1\"}}");
        assertThat(GatewayJson.watch(new Header(0, 0, 0, 0), WatchResponse.progress(0, 0))).isEqualTo("{\"result\":{\"header\":{}}}");
        assertThat(GatewayJson.watch(H, WatchResponse.created(3, 7))).isEqualTo("{\"result\":{\"header\":" + HEADER + ",\"watch_id\":\"3\",\"created\":true}}");
        assertThat(GatewayJson.watch(new Header(1, 2, 99, 2), WatchResponse.compacted(5, 4)))
                .isEqualTo("{\"result\":{\"header\":{\"cluster_id\":\"1\",\"member_id\":\"2\",\"raft_term\":\"2\"},\"watch_id\":\"5\",\"canceled\":true,\"compact_revision\":\"4\"}}");
        KeyValue empty = new KeyValue(Bytes.EMPTY, 0, 0, 0, Bytes.EMPTY, 0);
        List<Event> events = List.of(
                new Event(Event.Type.PUT, new KeyValue(Bytes.of("k"), 3, 7, 2, Bytes.of(new byte[] {0, (byte) 0xff}), -9),
                        new KeyValue(Bytes.of("k"), 3, 3, 1, Bytes.EMPTY, 0)),
                new Event(Event.Type.DELETE, new KeyValue(Bytes.of("<&>"), 0, 7, 0, Bytes.EMPTY, 0), null),
                new Event(Event.Type.PUT, empty, null),
                new Event(Event.Type.DELETE, null, null),
                new Event(Event.Type.PUT, null, empty));
        assertThat(GatewayJson.watch(H, WatchResponse.events(2, 7, events))).isEqualTo("{\"result\":{\"header\":" + HEADER + ",\"watch_id\":\"2\",\"events\":["
                + "{\"kv\":{\"key\":\"aw==\",\"create_revision\":\"3\",\"mod_revision\":\"7\",\"version\":\"2\",\"value\":\"AP8=\",\"lease\":\"-9\"},"
                + "\"prev_kv\":{\"key\":\"aw==\",\"create_revision\":\"3\",\"mod_revision\":\"3\",\"version\":\"1\"}},"
                + "{\"type\":\"DELETE\",\"kv\":{\"key\":\"PCY+\",\"mod_revision\":\"7\"}},{\"kv\":{}},{\"type\":\"DELETE\"},{\"prev_kv\":{}}]}}");
        assertThat(GatewayJson.watch(H, new WatchResponse(0, 7, true, true, 1, List.of(new Event(Event.Type.PUT, null, null)))))
                .isEqualTo("{\"result\":{\"header\":" + HEADER + ",\"created\":true,\"canceled\":true,\"compact_revision\":\"1\",\"events\":[{}]}}");
    }

    /** The recorded messages of a stream, one a line. */
    private static List<String> lines(Vector v) {
        return v.responseRaw().lines().filter(l -> !l.isEmpty()).toList();
    }

    private static List<String> describe(List<WatchStreamRequest> requests) {
        List<String> out = new ArrayList<>();
        for (WatchStreamRequest r : requests) {
            if (r instanceof WatchCreate c) out.add(describe(c.request()));
            else if (r instanceof WatchCancel c) out.add("cancel " + c.watchId());
            else out.add("progress");
        }
        return out;
    }

    private static String describe(WatchRequest r) {
        HexFormat hex = HexFormat.of();
        return "create key=" + hex.formatHex(r.key().toByteArray()) + " end=" + hex.formatHex(r.rangeEnd().toByteArray()) + " start=" + r.startRevision()
                + " noput=" + r.noPut() + " nodelete=" + r.noDelete() + " prev=" + r.prevKv() + " id=" + r.watchId() + " progress=" + r.progressNotify();
    }
}
