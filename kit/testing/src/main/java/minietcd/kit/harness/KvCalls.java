package minietcd.kit.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import minietcd.kit.check.History;

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

    public static Request request(History.Call call) {
        String key = b64(call.key());
        switch (call.kind()) {
            case PUT: return new Request("kv/put", "{\"key\":\"" + key + "\",\"value\":\"" + b64(call.value()) + "\"}");
            case GET: return new Request("kv/range", "{\"key\":\"" + key + "\"}");
            case DELETE: return new Request("kv/deleterange", "{\"key\":\"" + key + "\"}");
            case CAS: {
                String compare = call.expected() == null
                        ? "{\"key\":\"" + key + "\",\"target\":\"CREATE\",\"result\":\"EQUAL\",\"create_revision\":\"0\"}"
                        : "{\"key\":\"" + key + "\",\"target\":\"VALUE\",\"result\":\"EQUAL\",\"value\":\"" + b64(call.expected()) + "\"}";
                return new Request("kv/txn", "{\"compare\":[" + compare + "],\"success\":[{\"request_put\":{\"key\":\"" + key
                        + "\",\"value\":\"" + b64(call.value()) + "\"}}]}");
            }
            default: throw new IllegalArgumentException(call.kind().toString());
        }
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

    /**
     * What a refusal says: a read that failed had no effect; a write that failed may still have taken
     * effect (etcd's timeouts say nothing about whether the entry commits later), so it is unknown.
     */
    public static History.Result refused(History.Call call, String why) {
        return call.kind() == History.Kind.GET ? History.Result.failed(why) : History.Result.unknown(why);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
