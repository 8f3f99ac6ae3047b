package minietcd.kit.server;

import minietcd.kit.etcd.GatewayJson;
import minietcd.kit.mvcc.KV;

/**
 * {@code /v3/maintenance/status}, minimal: this member leads itself, its raft index stands at the
 * store's revision (one entry per revision, which a real member does not promise), and the database
 * size is not measured (0, so it is left out as etcd leaves out zero values). The body must be
 * valid JSON like every other request's; its fields are ignored.
 */
final class MaintenanceService {
    static final String VERSION = "3.4.23";

    private final KV kv;
    private final Member member;

    MaintenanceService(KV kv, Member member) {
        this.kv = kv;
        this.member = member;
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
