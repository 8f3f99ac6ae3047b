package minietcd.kit.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import minietcd.kit.mvcc.Bytes;
import minietcd.kit.mvcc.EtcdException;
import minietcd.kit.mvcc.KeyValue;
import minietcd.kit.mvcc.KvResponse;
import minietcd.kit.mvcc.Leases;
import org.junit.jupiter.api.Test;

/**
 * Encoding cases the recordings do not show. The expected bytes agree with what the gateway's
 * own marshaller (grpc-gateway 1.6.4 over golang/protobuf 1.3.5, as built by Debian for etcd
 * 3.4.23) writes for the same messages; that was checked once, outside this build, on a few
 * thousand random responses and on the error messages below.
 */
class GatewayJsonEncoderTest {
    private static final Header H = new Header(4865707205399774916L, -3184900115807506500L, 7, 2);
    private static final String HEADER = "{\"cluster_id\":\"4865707205399774916\",\"member_id\":\"15261843957902045116\",\"revision\":\"7\",\"raft_term\":\"2\"}";

    @Test
    void uint64HeaderFieldsAreUnsignedAndZeroFieldsAreLeftOut() {
        assertThat(GatewayJson.compaction(H)).isEqualTo("{\"header\":" + HEADER + "}");
        assertThat(GatewayJson.compaction(new Header(-1, 0, -5, 0)))
                .isEqualTo("{\"header\":{\"cluster_id\":\"18446744073709551615\",\"revision\":\"-5\"}}");
        assertThat(GatewayJson.leaseRevoke(new Header(0, 0, 0, 0))).isEqualTo("{\"header\":{}}");
    }

    @Test
    void keyValuesLeaveOutEmptyAndZeroFields() {
        KeyValue empty = new KeyValue(Bytes.EMPTY, 0, 0, 0, Bytes.EMPTY, 0);
        KeyValue full = new KeyValue(Bytes.of("k"), 3, 4, 2, Bytes.of(new byte[] {0, (byte) 0xff}), -9);
        assertThat(GatewayJson.range(H, new KvResponse.Range(7, List.of(empty, full), true, 5))).isEqualTo("{\"header\":" + HEADER
                + ",\"kvs\":[{},{\"key\":\"aw==\",\"create_revision\":\"3\",\"mod_revision\":\"4\",\"version\":\"2\",\"value\":\"AP8=\",\"lease\":\"-9\"}],"
                + "\"more\":true,\"count\":\"5\"}");
        assertThat(GatewayJson.put(H, new KvResponse.Put(7, empty))).isEqualTo("{\"header\":" + HEADER + ",\"prev_kv\":{}}");
        assertThat(GatewayJson.put(H, new KvResponse.Put(7, null))).isEqualTo("{\"header\":" + HEADER + "}");
        assertThat(GatewayJson.deleteRange(H, new KvResponse.DeleteRange(7, 0, List.of()))).isEqualTo("{\"header\":" + HEADER + "}");
    }

    @Test
    void txnResponsesCarryRevisionOnlyHeadersAndNestedTxnsAnEmptyOne() {
        KvResponse.Txn inner = new KvResponse.Txn(9, false, List.of(new KvResponse.DeleteRange(9, 2, List.of()),
                new KvResponse.Txn(9, true, List.of())));
        KvResponse.Txn txn = new KvResponse.Txn(9, true, List.of(new KvResponse.Range(0, List.of(), false, 0), inner));
        assertThat(GatewayJson.txn(H.withRevision(9), txn)).isEqualTo("{\"header\":" + HEADER.replace("\"7\"", "\"9\"")
                + ",\"succeeded\":true,\"responses\":[{\"response_range\":{\"header\":{}}},"
                + "{\"response_txn\":{\"header\":{},\"responses\":[{\"response_delete_range\":{\"header\":{\"revision\":\"9\"},\"deleted\":\"2\"}},"
                + "{\"response_txn\":{\"header\":{},\"succeeded\":true}}]}}]}");
    }

    @Test
    void leaseResponses() {
        assertThat(GatewayJson.leaseGrant(H, new Leases.Granted(7, -5, 10))).isEqualTo("{\"header\":" + HEADER + ",\"ID\":\"-5\",\"TTL\":\"10\"}");
        assertThat(GatewayJson.leaseKeepAlive(H, 42, 0)).isEqualTo("{\"result\":{\"header\":" + HEADER + ",\"ID\":\"42\"}}");
        assertThat(GatewayJson.leaseTimeToLive(H, new Leases.TimeToLive(7, 42, -1, 0, List.of())))
                .isEqualTo("{\"header\":" + HEADER + ",\"ID\":\"42\",\"TTL\":\"-1\"}");
        assertThat(GatewayJson.leaseTimeToLive(H, new Leases.TimeToLive(7, 42, 3, 4, List.of(Bytes.of("a"), Bytes.EMPTY))))
                .isEqualTo("{\"header\":" + HEADER + ",\"ID\":\"42\",\"TTL\":\"3\",\"grantedTTL\":\"4\",\"keys\":[\"YQ==\",\"\"]}");
        assertThat(GatewayJson.leaseLeases(H, List.of(1L, 0L, -2L)))
                .isEqualTo("{\"header\":" + HEADER + ",\"leases\":[{\"ID\":\"1\"},{},{\"ID\":\"-2\"}]}");
        assertThat(GatewayJson.leaseLeases(H, List.of())).isEqualTo("{\"header\":" + HEADER + "}");
    }

    @Test
    void errorMessagesAreEscapedAsGoEscapesThem() {
        assertThat(GatewayJson.error(EtcdException.keyNotFound()))
                .isEqualTo("{\"error\":\"etcdserver: key not found\",\"message\":\"etcdserver: key not found\",\"code\":3}");
        String m = "<a> & \"q\" \\ \u0000\u0001\b\f\n\r\t\u001f\u007f \u2028\u2029 é 😀 'x' /";
        String escaped = "\\u003ca\\u003e \\u0026 \\\"q\\\" \\\\ \\u0000\\u0001\\u0008\\u000c\\n\\r\\t\\u001f\u007f \\u2028\\u2029 é 😀 'x' /";
        assertThat(GatewayJson.error(14, m)).isEqualTo("{\"error\":\"" + escaped + "\",\"message\":\"" + escaped + "\",\"code\":14}");
        assertThat(GatewayJson.error(2, "")).isEqualTo("{\"code\":2}");
    }

    @Test
    void httpStatusesFollowTheGateway() {
        assertThat(GatewayJson.httpStatus(3)).isEqualTo(400);
        assertThat(GatewayJson.httpStatus(11)).isEqualTo(400);
        assertThat(GatewayJson.httpStatus(5)).isEqualTo(404);
        assertThat(GatewayJson.httpStatus(9)).isEqualTo(412);
        assertThat(GatewayJson.httpStatus(14)).isEqualTo(503);
        assertThat(GatewayJson.httpStatus(2)).isEqualTo(500);
        assertThat(GatewayJson.httpStatus(4)).isEqualTo(504);
    }
}
