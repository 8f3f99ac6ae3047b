package minietcd.kit.kvctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** etcdctl's txn script read into a {@code kv/txn} request, without a server. */
class TxnScriptTest {

    private static ObjectNode read(String script) {
        return TxnScript.read(new BufferedReader(new StringReader(script)), null);
    }

    private static String b64(String s) {
        return Gateway.base64(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void etcdctlsRecordedScriptBecomesOneRequest() {
        // etcdctl-vectors.jsonl, txn_success: a compare, a put on success, a get on failure
        ObjectNode txn = read("value(\"ctl/a\") = \"2\"\n\nput ctl/a 3\n\nget ctl/a\n\n");
        assertThat(txn.toString()).isEqualTo("{\"compare\":[{\"result\":\"EQUAL\",\"target\":\"VALUE\",\"value\":\"" + b64("2") + "\",\"key\":\"" + b64("ctl/a") + "\"}],"
                + "\"success\":[{\"request_put\":{\"key\":\"" + b64("ctl/a") + "\",\"value\":\"" + b64("3") + "\"}}],"
                + "\"failure\":[{\"request_range\":{\"key\":\"" + b64("ctl/a") + "\"}}]}");
    }

    @Test
    void everyCompareTargetAndOperator() {
        assertThat(TxnScript.compare("mod(\"k\") > \"3\"").toString()).isEqualTo("{\"result\":\"GREATER\",\"target\":\"MOD\",\"mod_revision\":\"3\",\"key\":\"aw==\"}");
        assertThat(TxnScript.compare("m(\"k\") < \"3\"").path("result").asText()).isEqualTo("LESS");
        assertThat(TxnScript.compare("create(\"k\") = \"0\"").toString()).isEqualTo("{\"result\":\"EQUAL\",\"target\":\"CREATE\",\"create_revision\":\"0\",\"key\":\"aw==\"}");
        assertThat(TxnScript.compare("c(\"k\") != \"0\"").path("result").asText()).isEqualTo("NOT_EQUAL");
        assertThat(TxnScript.compare("version(\"k\") = \"1\"").path("version").asText()).isEqualTo("1");
        assertThat(TxnScript.compare("ver(\"k\")=\"1\"").path("target").asText()).isEqualTo("VERSION");
        assertThat(TxnScript.compare("val(\"k\") = \"a b\"").path("value").asText()).isEqualTo(b64("a b"));
        assertThat(TxnScript.compare("lease(\"k\") = \"694d\"").path("lease").asText()).isEqualTo(String.valueOf(0x694d));
    }

    @Test
    void requestLinesTakeTheCommandsFlags() {
        assertThat(TxnScript.request("put k v --prev-kv --lease=ff").toString())
                .isEqualTo("{\"request_put\":{\"key\":\"aw==\",\"value\":\"dg==\",\"lease\":\"255\",\"prev_kv\":true}}");
        assertThat(TxnScript.request("get k --prefix --limit=2").toString())
                .isEqualTo("{\"request_range\":{\"key\":\"aw==\",\"range_end\":\"bA==\",\"limit\":\"2\"}}");
        assertThat(TxnScript.request("del k --from-key --prev-kv").toString())
                .isEqualTo("{\"request_delete_range\":{\"key\":\"aw==\",\"range_end\":\"AA==\",\"prev_kv\":true}}");
        assertThat(TxnScript.request("put \"a key\" 'raw \\n'").path("request_put").path("value").asText()).isEqualTo(b64("raw \\n"));
        assertThat(TxnScript.request("put \"a key\" \"two\\nlines\"").path("request_put").path("value").asText()).isEqualTo(b64("two\nlines"));
    }

    @Test
    void goQuotedStringsGiveTheirBytes() {
        assertThat(TxnScript.unquote("\"\\xff\\x00a\\\"\\u00e9\\101\"", "")).containsExactly(0xff - 256, 0, 'a', '"', 0xc3 - 256, 0xa9 - 256, 'A');
        assertThat(TxnScript.words("  put  \"k 1\"   v\t'x y'  ")).containsExactly("put", "k 1", "v", "x y");
    }

    @Test
    void partsEndAtABlankLineOrTheEndOfInput() {
        ObjectNode txn = read("create(\"k\") = \"0\"\n   \nput k v\n");
        assertThat(txn.path("compare").size()).isEqualTo(1);
        assertThat(txn.path("success").size()).isEqualTo(1);
        assertThat(txn.has("failure")).isFalse();
        assertThat(read("").toString()).isEqualTo("{}");
    }

    @Test
    void aLineThatCannotBeReadFailsWithExitCode3() {
        assertBad(() -> TxnScript.compare("value(k) = \"v\""), "malformed comparison: value(k) = \"v\"");
        assertBad(() -> TxnScript.compare("size(\"k\") = \"1\""), "malformed comparison: size(\"k\") = \"1\" (unknown target size)");
        assertBad(() -> TxnScript.compare("mod(\"k\") = \"x\""), "invalid txn compare request: mod(\"k\") = \"x\"");
        assertBad(() -> TxnScript.request("put k"), "invalid txn request: put k");
        assertBad(() -> TxnScript.request("get k --no-such-flag"), "invalid txn request: get k --no-such-flag");
        assertBad(() -> TxnScript.request("watch k"), "invalid txn request: watch k");
        assertBad(() -> TxnScript.request("get \"k"), "invalid txn request: get \"k (unterminated quote)");
    }

    private static void assertBad(Runnable r, String message) {
        assertThatThrownBy(r::run).isInstanceOf(Failure.Raised.class).hasMessage(message)
                .satisfies(e -> assertThat(((Failure.Raised) e).failure().exitCode()).isEqualTo(3));
    }
}
