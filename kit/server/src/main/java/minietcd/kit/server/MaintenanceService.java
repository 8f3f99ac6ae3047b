package minietcd.kit.server;

import minietcd.kit.etcd.GatewayJson;
import minietcd.kit.mvcc.KV;

/**
 * {@code /v3/maintenance/status|alarm|defragment}.
 *
 * <p>Status is minimal: this member leads itself, its raft index stands at the
 * store's revision (one entry per revision, which a real member does not promise), and the database
 * size is not measured (0, so it is left out as etcd leaves out zero values). The body must be
 * valid JSON like every other request's; its fields are ignored.
 *
 * <p>Alarm: this member raises no alarm (it has no space quota), so the answer is etcd's answer
 * when there are none, {@code {}} with no header, whatever the action. Defragment has nothing to
 * do and answers {@code {}} as etcd does. The hash of etcd's bolt database has no counterpart here
 * and is not served.
 */
final class MaintenanceService {
    static final String VERSION = "3.4.23";

    private final KV kv;
    private final Member member;

    MaintenanceService(KV kv, Member member) {
        this.kv = kv;
        this.member = member;
    }

    String alarm(String body) {
        GatewayJson.leaseLeases(body); // only checks that the body is JSON
        return "{}";
    }

    String defragment(String body) {
        GatewayJson.leaseLeases(body);
        return "{}";
    }

    String status(String body) {
        GatewayJson.leaseLeases(body); // an empty message: only checks that the body is JSON
        long rev = kv.currentRevision();
        String header = GatewayJson.compaction(member.header(rev)); // {"header":{...}}
        String term = Long.toUnsignedString(member.raftTerm());
        return header.substring(0, header.length() - 1)
                + ",\"version\":\"" + VERSION + "\""
                + ",\"leader\":\"" + Long.toUnsignedString(member.memberId()) + "\""
                + ",\"raftIndex\":\"" + rev + "\""
                + ",\"raftTerm\":\"" + term + "\""
                + ",\"raftAppliedIndex\":\"" + rev + "\"}";
    }
}
