package minietcd.kit.server;

import java.util.ArrayList;
import java.util.List;
import minietcd.kit.etcd.GatewayJson;
import minietcd.kit.mvcc.KV;
import minietcd.kit.mvcc.Leases;

/**
 * {@code /v3/lease/grant|revoke|timetolive|leases|keepalive} (and the {@code /v3/kv/lease/*}
 * aliases). Keepalive is a stream in etcd; over HTTP/1.1 the gateway reads the whole request body,
 * so here every request in the body gets one {@code {"result":...}} message, in order, and the
 * stream ends with the body. A bad first request is an error; a bad later one ends the stream.
 */
final class LeaseService {
    private final KV kv;
    private final Member member;

    LeaseService(KV kv, Member member) {
        this.kv = kv;
        this.member = member;
    }

    String grant(String body) {
        GatewayJson.LeaseGrant g = GatewayJson.leaseGrant(body);
        Leases.Granted r = kv.leases().grant(g.id(), g.ttl());
        return GatewayJson.leaseGrant(member.header(r.revision()), r);
    }

    String revoke(String body) {
        long revision = kv.leases().revoke(GatewayJson.leaseRevoke(body));
        return GatewayJson.leaseRevoke(member.header(revision));
    }

    String timeToLive(String body) {
        GatewayJson.LeaseTimeToLive t = GatewayJson.leaseTimeToLive(body);
        Leases.TimeToLive r = kv.leases().timeToLive(t.id(), t.keys());
        return GatewayJson.leaseTimeToLive(member.header(r.revision()), r);
    }

    String leases(String body) {
        GatewayJson.leaseLeases(body);
        return GatewayJson.leaseLeases(member.header(kv.currentRevision()), kv.leases().leases());
    }

    /** The stream's messages, without their newlines. */
    List<String> keepAlive(String body) {
        List<String> out = new ArrayList<>();
        for (long id : GatewayJson.leaseKeepAlive(body)) {
            long ttl = kv.leases().keepAlive(id);
            out.add(GatewayJson.leaseKeepAlive(member.header(kv.currentRevision()), id, ttl).strip());
        }
        return out;
    }
}
