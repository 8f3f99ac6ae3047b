package minietcd.kit.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import minietcd.kit.check.History;
import minietcd.kit.etcd.EtcdRequest;
import minietcd.kit.etcd.RequestJson;
import minietcd.kit.mvcc.Bytes;
import minietcd.kit.mvcc.Compare;
import minietcd.kit.mvcc.KvRequest;

/**
 * A checked client's operations as etcd's gateway requests, and its answers as the results a
 * {@link History} records: put, linearizable get, delete and compare-and-set (a txn comparing the
 * value, or that the key is absent, then putting). The same requests go to the simulated store and to
 * real members over HTTP.
 */
public final class KvCalls {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A gateway request: the path under /v3/ and the JSON body. */
    public record Request(String rpc, String body) {}

    private KvCalls() {}

    /** The call as a request, written as the gateway takes it (one encoding: {@link RequestJson}'s). */
    public static Request request(History.Call call) {
        EtcdRequest r = typed(call);
        return new Request(RequestJson.path(r), RequestJson.body(r));
    }

    /** The call as the store's request record. */
    public static EtcdRequest typed(History.Call call) {
        Bytes key = Bytes.of(call.key());
        return new EtcdRequest.Kv(switch (call.kind()) {
            case PUT -> KvRequest.Put.of(key, Bytes.of(call.value()));
            case GET -> KvRequest.Range.of(key);
            case DELETE -> KvRequest.DeleteRange.of(key);
            case CAS -> new KvRequest.Txn(List.of(call.expected() == null
                    ? Compare.createRevision(key, Compare.Result.EQUAL, 0)
                    : Compare.value(key, Compare.Result.EQUAL, Bytes.of(call.expected()))),
                    List.of(KvRequest.Put.of(key, Bytes.of(call.value()))), List.of());
        });
    }

    /** What a 200 answer says about the call. */
    public static History.Result answered(History.Call call, String json) {
        JsonNode n;
        try {
            n = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + json, e);
        }
        switch (call.kind()) {
            case PUT: return History.Result.put();
            case GET: {
                JsonNode kvs = n.path("kvs");
                if (kvs.isEmpty()) return History.Result.read(null);
                return History.Result.read(new String(Base64.getDecoder().decode(kvs.get(0).path("value").asText("")), StandardCharsets.UTF_8));
            }
            case DELETE: return History.Result.deleted(n.path("deleted").asLong(0));
            case CAS: return History.Result.cas(n.path("succeeded").asBoolean(false));
            default: throw new IllegalArgumentException(call.kind().toString());
        }
    }

    /** What the store's answer says about the call. */
    public static History.Result answered(History.Call call, minietcd.kit.etcd.EtcdReply reply) {
        minietcd.kit.mvcc.KvResponse r = ((minietcd.kit.etcd.EtcdReply.Kv) reply).response();
        return switch (call.kind()) {
            case PUT -> History.Result.put();
            case GET -> {
                var kvs = ((minietcd.kit.mvcc.KvResponse.Range) r).kvs();
                yield History.Result.read(kvs.isEmpty() ? null : kvs.get(0).value().utf8());
            }
            case DELETE -> History.Result.deleted(((minietcd.kit.mvcc.KvResponse.DeleteRange) r).deleted());
            case CAS -> History.Result.cas(((minietcd.kit.mvcc.KvResponse.Txn) r).succeeded());
        };
    }

    /**
     * What a refusal says: a read that failed had no effect; a write that failed may still have taken
     * effect (etcd's timeouts say nothing about whether the entry commits later), so it is unknown.
     */
    public static History.Result refused(History.Call call, String why) {
        return call.kind() == History.Kind.GET ? History.Result.failed(why) : History.Result.unknown(why);
    }

}
