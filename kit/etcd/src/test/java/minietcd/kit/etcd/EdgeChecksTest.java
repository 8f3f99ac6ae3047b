package minietcd.kit.etcd;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import minietcd.kit.mvcc.EtcdException;
import org.junit.jupiter.api.Test;

/**
 * The checks etcd's server makes before its store sees a request, as {@link GatewayRpc#decode} runs
 * them at the kit's edge: each case below was answered by etcd 3.4.23 on loopback as asserted.
 */
class EdgeChecksTest {
    private static final String PUT = "{\"request_put\":{\"key\":\"YQ==\",\"value\":\"Yg==\"}}";

    private static String nested(int depth, String inner) {
        String t = inner;
        for (int i = 0; i < depth; i++) t = "{\"success\":[{\"request_txn\":" + t + "}]}";
        return t;
    }

    private static void refused(String rpc, String body, int code, String message) {
        assertThatThrownBy(() -> GatewayRpc.decode(rpc, body, GatewayRpc.MAX_REQUEST_BYTES)).isInstanceOfSatisfying(EtcdException.class, e -> {
            org.assertj.core.api.Assertions.assertThat(e.code()).isEqualTo(code);
            org.assertj.core.api.Assertions.assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    @Test
    void aChainOfOneOpTxnsMayNestOneHundredAndTwentySevenLevelsAndNoMore() {
        String one = "{\"success\":[" + PUT + "]}";
        assertThatCode(() -> GatewayRpc.decode("kv/txn", nested(127, one), GatewayRpc.MAX_REQUEST_BYTES)).doesNotThrowAnyException();
        refused("kv/txn", nested(128, one), 3, "etcdserver: too many operations in txn request");
        refused("kv/txn", nested(333, one), 3, "etcdserver: too many operations in txn request");
    }

    @Test
    void aNestedTxnGetsTheBudgetItsParentLeft() {
        String ops100 = String.join(",", Collections.nCopies(100, PUT));
        String ops28 = String.join(",", Collections.nCopies(28, "{\"request_range\":{\"key\":\"Yw==\"}}"));
        String ops29 = ops28 + ",{\"request_range\":{\"key\":\"ZA==\"}}";
        // the parent's widest list is 101 wide (100 puts and the nested txn): 27 left for the child
        refused("kv/txn", "{\"success\":[" + ops100 + ",{\"request_txn\":{\"success\":[" + ops28 + "]}}]}", 3, "etcdserver: too many operations in txn request");
        assertThatCode(() -> GatewayRpc.decode("kv/txn", "{\"success\":[" + ops100 + ",{\"request_txn\":{\"success\":[" + ops28.substring(ops28.indexOf(',') + 1) + "]}}]}",
                GatewayRpc.MAX_REQUEST_BYTES)).doesNotThrowAnyException();
        refused("kv/txn", "{\"success\":[{\"request_txn\":{\"success\":[" + ops29 + "," + ops100 + "]}}]}", 3, "etcdserver: too many operations in txn request");
    }

    @Test
    void aCompareWithoutAKeyIsRefusedBeforeTheStoreSeesIt() {
        refused("kv/txn", "{\"compare\":[{\"target\":\"VERSION\",\"result\":\"EQUAL\"}]}", 3, "etcdserver: key is not provided");
    }

    @Test
    void aRequestMessageOverGrpcsLimitIsRefusedWithItsError() {
        String value = java.util.Base64.getEncoder().encodeToString(new byte[2_200_000]);
        assertThatThrownBy(() -> GatewayRpc.decode("kv/put", "{\"key\":\"YQ==\",\"value\":\"" + value + "\"}", GatewayRpc.MAX_REQUEST_BYTES))
                .isInstanceOfSatisfying(EtcdException.class, e -> org.assertj.core.api.Assertions.assertThat(e.code()).isEqualTo(EtcdException.RESOURCE_EXHAUSTED))
                .hasMessageStartingWith("grpc: received message larger than max (").hasMessageEndingWith(" vs. 2097152)");
        String under = java.util.Base64.getEncoder().encodeToString(new byte[1_600_000]);
        refused("kv/put", "{\"key\":\"YQ==\",\"value\":\"" + under + "\"}", 3, "etcdserver: request is too large");
    }
}
