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

    private final java.util.function.Supplier<? extends KV> kv;
    private final Member member;
    private final Replica replica;

    /** @param replica the member's node in a replicated store, or null for a lone member */
    MaintenanceService(java.util.function.Supplier<? extends KV> kv, Member member, Replica replica) {
        this.kv = kv;
        this.member = member;
        this.replica = replica;
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
        if (replica != null) return replicaStatus();
        long rev = kv.get().currentRevision();
        String header = GatewayJson.compaction(member.header(rev)); // {"header":{...}}
        String term = Long.toUnsignedString(member.raftTerm());
        return header.substring(0, header.length() - 1)
                + ",\"version\":\"" + VERSION + "\""
                + ",\"leader\":\"" + Long.toUnsignedString(member.memberId()) + "\""
                + ",\"raftIndex\":\"" + rev + "\""
                + ",\"raftTerm\":\"" + term + "\""
                + ",\"raftAppliedIndex\":\"" + rev + "\"}";
    }

    /** A replica's status, as etcd's member reports it (without the database sizes, which it has no counterpart for). */
    private String replicaStatus() {
        minietcd.kit.replica.StoreNode.Status s = replica.status();
        String header = GatewayJson.compaction(member.header(s.revision()));
        return header.substring(0, header.length() - 1)
                + ",\"version\":\"" + VERSION + "\""
                + (s.leaderMemberId() != 0 ? ",\"leader\":\"" + Long.toUnsignedString(s.leaderMemberId()) + "\"" : "")
                + ",\"raftIndex\":\"" + s.raftIndex() + "\""
                + ",\"raftTerm\":\"" + s.raftTerm() + "\""
                + ",\"raftAppliedIndex\":\"" + s.appliedIndex() + "\""
                + (s.leaderMemberId() == 0 ? ",\"errors\":[\"etcdserver: no leader\"]" : "") + "}";
    }
}
