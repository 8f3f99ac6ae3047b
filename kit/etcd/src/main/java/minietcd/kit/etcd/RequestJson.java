package minietcd.kit.etcd;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.List;
import minietcd.kit.mvcc.Compare;
import minietcd.kit.mvcc.KvRequest;
import minietcd.kit.watch.WatchRequest;

/**
 * A request as a client sends it to etcd's gateway: the path under {@code /v3/} and the JSON body,
 * with proto field names, enums by name, int64 as decimal strings, bytes in standard base64, and
 * every field at its default left out. {@link GatewayRpc#decode} reads the body back into an equal
 * request; a replicated store's log holds this encoding, whichever client sent the request.
 */
public final class RequestJson {
    private RequestJson() {}

    /** The request's path under {@code /v3/}, as {@code kv/put}. */
    public static String path(EtcdRequest request) {
        if (request instanceof EtcdRequest.Kv k) {
            KvRequest op = k.op();
            if (op instanceof KvRequest.Range) return "kv/range";
            if (op instanceof KvRequest.Put) return "kv/put";
            if (op instanceof KvRequest.DeleteRange) return "kv/deleterange";
            return "kv/txn";
        }
        if (request instanceof EtcdRequest.Compact) return "kv/compaction";
        if (request instanceof EtcdRequest.LeaseGrant) return "lease/grant";
        if (request instanceof EtcdRequest.LeaseRevoke) return "lease/revoke";
        if (request instanceof EtcdRequest.LeaseKeepAlive) return "lease/keepalive";
        if (request instanceof EtcdRequest.LeaseTimeToLive) return "lease/timetolive";
        return "lease/leases";
    }

    /** The request's body; a keep-alive's is one {@code {"ID":...}} object per lease, one after another. */
    public static String body(EtcdRequest request) {
        if (request instanceof EtcdRequest.LeaseKeepAlive k) {
            StringBuilder out = new StringBuilder();
            for (long id : k.ids()) out.append(GatewayJsonEncoder.object(g -> GatewayJsonEncoder.int64(g, "ID", id)));
            return out.toString();
        }
        return GatewayJsonEncoder.object(g -> fields(g, request));
    }

    /** A {@code /v3/watch} body that opens one watcher: {@code {"create_request":{...}}}. */
    public static String watch(WatchRequest w) {
        return GatewayJsonEncoder.object(g -> {
            g.writeObjectFieldStart("create_request");
            GatewayJsonEncoder.bytes(g, "key", w.key());
            GatewayJsonEncoder.bytes(g, "range_end", w.rangeEnd());
            GatewayJsonEncoder.int64(g, "start_revision", w.startRevision());
            bool(g, "progress_notify", w.progressNotify());
            if (w.noPut() || w.noDelete()) {
                g.writeArrayFieldStart("filters");
                if (w.noPut()) g.writeString("NOPUT");
                if (w.noDelete()) g.writeString("NODELETE");
                g.writeEndArray();
            }
            bool(g, "prev_kv", w.prevKv());
            if (w.watchId() != -1) GatewayJsonEncoder.int64(g, "watch_id", w.watchId());
            g.writeEndObject();
        });
    }

    private static void fields(JsonGenerator g, EtcdRequest request) throws IOException {
        if (request instanceof EtcdRequest.Kv k) op(g, k.op());
        else if (request instanceof EtcdRequest.Compact c) {
            GatewayJsonEncoder.int64(g, "revision", c.revision());
            bool(g, "physical", c.physical());
        } else if (request instanceof EtcdRequest.LeaseGrant l) {
            GatewayJsonEncoder.int64(g, "TTL", l.ttl());
            GatewayJsonEncoder.int64(g, "ID", l.id());
        } else if (request instanceof EtcdRequest.LeaseRevoke r) {
            GatewayJsonEncoder.int64(g, "ID", r.id());
        } else if (request instanceof EtcdRequest.LeaseTimeToLive t) {
            GatewayJsonEncoder.int64(g, "ID", t.id());
            bool(g, "keys", t.keys());
        }
    }

    private static void op(JsonGenerator g, KvRequest op) throws IOException {
        if (op instanceof KvRequest.Range r) {
            GatewayJsonEncoder.bytes(g, "key", r.key());
            GatewayJsonEncoder.bytes(g, "range_end", r.rangeEnd());
            GatewayJsonEncoder.int64(g, "limit", r.limit());
            GatewayJsonEncoder.int64(g, "revision", r.revision());
            if (r.sortOrder() != KvRequest.SortOrder.NONE) g.writeStringField("sort_order", r.sortOrder().name());
            if (r.sortTarget() != KvRequest.SortTarget.KEY) g.writeStringField("sort_target", r.sortTarget().name());
            bool(g, "serializable", r.serializable());
            bool(g, "keys_only", r.keysOnly());
            bool(g, "count_only", r.countOnly());
            GatewayJsonEncoder.int64(g, "min_mod_revision", r.minModRevision());
            GatewayJsonEncoder.int64(g, "max_mod_revision", r.maxModRevision());
            GatewayJsonEncoder.int64(g, "min_create_revision", r.minCreateRevision());
            GatewayJsonEncoder.int64(g, "max_create_revision", r.maxCreateRevision());
        } else if (op instanceof KvRequest.Put p) {
            GatewayJsonEncoder.bytes(g, "key", p.key());
            GatewayJsonEncoder.bytes(g, "value", p.value());
            GatewayJsonEncoder.int64(g, "lease", p.lease());
            bool(g, "prev_kv", p.prevKv());
            bool(g, "ignore_value", p.ignoreValue());
            bool(g, "ignore_lease", p.ignoreLease());
        } else if (op instanceof KvRequest.DeleteRange d) {
            GatewayJsonEncoder.bytes(g, "key", d.key());
            GatewayJsonEncoder.bytes(g, "range_end", d.rangeEnd());
            bool(g, "prev_kv", d.prevKv());
        } else {
            KvRequest.Txn t = (KvRequest.Txn) op;
            if (!t.compare().isEmpty()) {
                g.writeArrayFieldStart("compare");
                for (Compare c : t.compare()) compare(g, c);
                g.writeEndArray();
            }
            ops(g, "success", t.success());
            ops(g, "failure", t.failure());
        }
    }

    private static void ops(JsonGenerator g, String name, List<KvRequest> ops) throws IOException {
        if (ops.isEmpty()) return;
        g.writeArrayFieldStart(name);
        for (KvRequest op : ops) {
            g.writeStartObject();
            g.writeObjectFieldStart(op instanceof KvRequest.Range ? "request_range" : op instanceof KvRequest.Put ? "request_put"
                    : op instanceof KvRequest.DeleteRange ? "request_delete_range" : "request_txn");
            op(g, op);
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** A compare carries its target's field even at its default: etcd's oneof tells which one the compare is on. */
    private static void compare(JsonGenerator g, Compare c) throws IOException {
        g.writeStartObject();
        if (c.result() != Compare.Result.EQUAL) g.writeStringField("result", c.result().name());
        if (c.target() != Compare.Target.VERSION) g.writeStringField("target", c.target().name());
        GatewayJsonEncoder.bytes(g, "key", c.key());
        switch (c.target()) {
            case VERSION -> g.writeStringField("version", Long.toString(c.version()));
            case CREATE -> g.writeStringField("create_revision", Long.toString(c.createRevision()));
            case MOD -> g.writeStringField("mod_revision", Long.toString(c.modRevision()));
            case VALUE -> g.writeStringField("value", c.value().base64());
            case LEASE -> g.writeStringField("lease", Long.toString(c.lease()));
        }
        GatewayJsonEncoder.bytes(g, "range_end", c.rangeEnd());
        g.writeEndObject();
    }

    private static void bool(JsonGenerator g, String name, boolean v) throws IOException {
        if (v) g.writeBooleanField(name, true);
    }
}
