package minietcd.kit.server;

import java.nio.charset.StandardCharsets;
import minietcd.kit.etcd.GatewayJson;
import minietcd.kit.mvcc.EtcdException;
import minietcd.kit.mvcc.KV;
import minietcd.kit.mvcc.KvResponse;

/**
 * {@code /v3/kv/range|put|deleterange|txn|compaction}: decodes with {@link GatewayJson}, asks the
 * store, encodes its answer with this member's header. A write whose request is larger than etcd's
 * default {@code max-request-bytes} (1.5 MiB) is refused as etcd refuses it; the size of the
 * protobuf request is estimated as three quarters of the JSON body, since keys and values travel
 * in base64.
 */
final class KvService {
    static final int MAX_REQUEST_BYTES = 1536 * 1024;

    private final KV kv;
    private final Member member;

    KvService(KV kv, Member member) {
        this.kv = kv;
        this.member = member;
    }

    String range(String body) {
        KvResponse.Range r = kv.range(GatewayJson.range(body));
        return GatewayJson.range(member.header(r.revision()), r);
    }

    String put(String body) {
        var request = GatewayJson.put(body);
        checkSize(body);
        KvResponse.Put r = kv.put(request);
        return GatewayJson.put(member.header(r.revision()), r);
    }

    String deleteRange(String body) {
        var request = GatewayJson.deleteRange(body);
        checkSize(body);
        KvResponse.DeleteRange r = kv.deleteRange(request);
        return GatewayJson.deleteRange(member.header(r.revision()), r);
    }

    String txn(String body) {
        var request = GatewayJson.txn(body);
        checkSize(body);
        KvResponse.Txn r = kv.txn(request);
        return GatewayJson.txn(member.header(r.revision()), r);
    }

    String compaction(String body) {
        long revision = GatewayJson.compaction(body).revision();
        kv.compact(revision);
        return GatewayJson.compaction(member.header(kv.currentRevision()));
    }

    private static void checkSize(String body) {
        long estimate = (long) body.getBytes(StandardCharsets.UTF_8).length * 3 / 4;
        if (estimate > MAX_REQUEST_BYTES) throw new EtcdException(EtcdException.INVALID_ARGUMENT, "etcdserver: request is too large");
    }
}
