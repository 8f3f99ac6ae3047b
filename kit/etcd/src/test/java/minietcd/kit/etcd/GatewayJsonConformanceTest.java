package minietcd.kit.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import minietcd.kit.conformance.Recordings.Vector;
import minietcd.kit.mvcc.EtcdException;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import minietcd.kit.conformance.Recordings;

/**
 * Replays the recorded etcd exchanges through {@link GatewayJson}:
 *
 * <ul>
 *   <li>every successful KV and lease response is read into the project's records, written again
 *       with the recorded header, and compared with the bytes etcd sent;
 *   <li>every request refused for its JSON or base64 is refused again, with etcd's code and message;
 *   <li>every other KV and lease request decodes;
 *   <li>every JSON error body is written again byte for byte, with its HTTP status.
 * </ul>
 */
class GatewayJsonConformanceTest {
    private static final List<Vector> VECTORS = Recordings.load();

    /** Requests whose body etcd refused while decoding it (not in its KV or lease logic). */
    private static boolean refusedWhileDecoding(Vector v) {
        if (v.rpc() == null || v.status() != 400 || v.response() == null) return false;
        return !v.response().path("message").asText().startsWith("etcdserver: ");
    }

    private static Stream<Vector> rpcVectors() {
        return VECTORS.stream().filter(v -> v.rpc() != null);
    }

    @Test
    void theRecordingHoldsWhatTheseTestsExpect() {
        assertThat(VECTORS).hasSize(170);
        assertThat(rpcVectors().filter(v -> v.status() == 200)).hasSize(106);
        assertThat(rpcVectors().filter(GatewayJsonConformanceTest::refusedWhileDecoding).map(Vector::name))
                .containsExactly("invalid_json_400", "invalid_base64_key_400", "x_key_unpadded_base64", "x_key_urlsafe_base64",
                        "x_bool_as_string", "x_int64_overflow", "x_bad_enum_name", "x_array_body");
        // the only KV or lease request whose body is not in the file
        assertThat(rpcVectors().filter(Vector::bodyElided).map(Vector::name)).containsExactly("put_request_too_large");
    }

    @TestFactory
    Stream<DynamicTest> successfulResponsesAreWrittenByteForByte() {
        return rpcVectors().filter(v -> v.status() == 200)
                .map(v -> dynamicTest(v.toString(), () -> assertThat(reencode(v)).isEqualTo(stripNewline(v.responseRaw()))));
    }

    @TestFactory
    Stream<DynamicTest> bodiesEtcdCouldNotDecodeAreRefusedWithItsMessage() {
        return rpcVectors().filter(GatewayJsonConformanceTest::refusedWhileDecoding).map(v -> dynamicTest(v.toString(), () -> {
            int code = v.response().get("code").asInt();
            String message = v.response().get("message").asText();
            assertThatThrownBy(() -> decode(v)).isInstanceOfSatisfying(EtcdException.class, e -> {
                assertThat(e.code()).isEqualTo(code);
                assertThat(e.getMessage()).isEqualTo(message);
            });
            assertThat(GatewayJson.error(code, message)).isEqualTo(v.responseRaw());
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyOtherRequestDecodes() {
        return rpcVectors().filter(v -> !refusedWhileDecoding(v) && !v.bodyElided())
                .map(v -> dynamicTest(v.toString(), () -> assertThat(decode(v)).isNotNull()));
    }

    @TestFactory
    Stream<DynamicTest> errorBodiesAreWrittenByteForByte() {
        return VECTORS.stream().filter(v -> v.status() != 200 && v.response() != null && v.response().has("error"))
                .map(v -> dynamicTest(v.toString(), () -> {
                    int code = v.response().get("code").asInt();
                    assertThat(GatewayJson.error(code, v.response().get("error").asText())).isEqualTo(v.responseRaw());
                    assertThat(GatewayJson.httpStatus(code)).isEqualTo(v.status());
                }));
    }

    /** Decodes a recorded request with the decoder for its RPC. */
    static Object decode(Vector v) {
        String body = v.body();
        return switch (v.rpc()) {
            case "kv/range" -> GatewayJson.range(body);
            case "kv/put" -> GatewayJson.put(body);
            case "kv/deleterange" -> GatewayJson.deleteRange(body);
            case "kv/txn" -> GatewayJson.txn(body);
            case "kv/compaction" -> GatewayJson.compaction(body);
            case "lease/grant" -> GatewayJson.leaseGrant(body);
            case "lease/revoke" -> GatewayJson.leaseRevoke(body);
            case "lease/keepalive" -> GatewayJson.leaseKeepAlive(body);
            case "lease/timetolive" -> GatewayJson.leaseTimeToLive(body);
            case "lease/leases" -> {
                GatewayJson.leaseLeases(body);
                yield "ok";
            }
            default -> throw new IllegalArgumentException(v.rpc());
        };
    }

    /** Reads a recorded response into records and writes it again. */
    static String reencode(Vector v) {
        JsonNode r = v.response();
        if (v.rpc().equals("lease/keepalive")) {
            List<String> lines = new ArrayList<>();
            for (JsonNode message : r) {
                JsonNode result = message.get("result");
                assertThat(message.size()).isEqualTo(1);
                long[] idTtl = EtcdResponseJson.leaseKeepAlive(result);
                lines.add(GatewayJson.leaseKeepAlive(EtcdResponseJson.header(result.get("header")), idTtl[0], idTtl[1]));
            }
            return String.join("\n", lines);
        }
        Header h = EtcdResponseJson.header(r.get("header"));
        return switch (v.rpc()) {
            case "kv/range" -> GatewayJson.range(h, EtcdResponseJson.range(r));
            case "kv/put" -> GatewayJson.put(h, EtcdResponseJson.put(r));
            case "kv/deleterange" -> GatewayJson.deleteRange(h, EtcdResponseJson.deleteRange(r));
            case "kv/txn" -> GatewayJson.txn(h, EtcdResponseJson.txn(r));
            case "kv/compaction" -> {
                EtcdResponseJson.headerOnly(r);
                yield GatewayJson.compaction(h);
            }
            case "lease/grant" -> GatewayJson.leaseGrant(h, EtcdResponseJson.leaseGrant(r));
            case "lease/revoke" -> {
                EtcdResponseJson.headerOnly(r);
                yield GatewayJson.leaseRevoke(h);
            }
            case "lease/timetolive" -> GatewayJson.leaseTimeToLive(h, EtcdResponseJson.leaseTimeToLive(r));
            case "lease/leases" -> GatewayJson.leaseLeases(h, EtcdResponseJson.leaseLeases(r));
            default -> throw new IllegalArgumentException(v.rpc());
        };
    }

    /** A stream's last message ends with a newline; the encoder leaves it to the caller. */
    private static String stripNewline(String raw) {
        return raw.endsWith("\n") ? raw.substring(0, raw.length() - 1) : raw;
    }
}
