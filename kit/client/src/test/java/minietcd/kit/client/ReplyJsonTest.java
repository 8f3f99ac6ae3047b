package minietcd.kit.client;

import static org.assertj.core.api.Assertions.assertThat;

import minietcd.kit.conformance.Recordings;
import minietcd.kit.etcd.EtcdReply;
import minietcd.kit.etcd.EtcdRequest;
import minietcd.kit.etcd.GatewayJson;
import minietcd.kit.etcd.GatewayRpc;
import minietcd.kit.etcd.Header;
import minietcd.kit.mvcc.EtcdException;
import minietcd.kit.watch.WatchResponse;
import org.junit.jupiter.api.Test;

/**
 * What real etcd answered, read back by the client into the kit's records, is what the gateway's
 * encoder writes again byte for byte: the client loses nothing of an answer.
 */
class ReplyJsonTest {
    @Test
    void everyAnswerEtcdGaveInTheRecordingReadsBackWhole() {
        int answers = 0, errors = 0;
        for (Recordings.Vector v : Recordings.load()) {
            if (v.rpc() == null || v.bodyElided() || v.status() != 200 && !v.responseRaw().strip().startsWith("{")) continue;
            if (v.status() != 200 && v.responseRaw().strip().startsWith("{")) {
                EtcdException e = ReplyJson.error(v.responseRaw());
                assertThat(GatewayJson.error(e)).as(v.name()).isEqualTo(v.responseRaw().strip());
                errors++;
                continue;
            }
            EtcdRequest request = GatewayRpc.decode(v.rpc(), v.body(), GatewayRpc.MAX_REQUEST_BYTES);
            EtcdReply reply = ReplyJson.reply(request, v.responseRaw());
            String firstLine = v.responseRaw().strip().lines().findFirst().orElseThrow();
            Header header = ReplyJson.header(request instanceof EtcdRequest.LeaseKeepAlive ? ReplyJson.parse(firstLine).path("result") : ReplyJson.parse(firstLine));
            assertThat(GatewayRpc.encode(revision -> header.withRevision(revision), reply)).as(v.name()).isEqualTo(v.responseRaw().strip());
            answers++;
        }
        assertThat(answers).as("answers read back").isGreaterThan(90);
        assertThat(errors).as("errors read back").isGreaterThan(10);
    }

    @Test
    void everyWatchMessageEtcdSentInTheRecordingReadsBackWhole() {
        int messages = 0;
        for (Recordings.Vector v : Recordings.load()) {
            if (!v.path().equals("/v3/watch") || v.status() != 200) continue;
            for (String line : v.responseRaw().strip().split("\n")) {
                if (line.isBlank() || line.contains("\"error\"")) continue;
                WatchResponse r = ReplyJson.watch(line);
                var result = ReplyJson.parse(line).path("result");
                Header h = ReplyJson.header(result);
                String reason = result.path("cancel_reason").asText("");
                assertThat(GatewayJson.watch(h.withRevision(h.revision()), r, reason)).as(v.name()).isEqualTo(line);
                messages++;
            }
        }
        assertThat(messages).as("watch messages read back").isGreaterThan(20);
    }
}
