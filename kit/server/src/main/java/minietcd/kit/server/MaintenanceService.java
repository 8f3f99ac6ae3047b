package minietcd.kit.server;

import minietcd.kit.etcd.GatewayJson;
import minietcd.kit.etcd.StoreHash;

/**
 * {@code /v3/maintenance/status|alarm|defragment|hash}.
 *
 * <p>Status is minimal: this member leads itself, its raft index stands at the
 * store's revision (one entry per revision, which a real member does not promise), and the database
 * size is not measured (0, so it is left out as etcd leaves out zero values). The body must be
 * valid JSON like every other request's; its fields are ignored.
 *
 * <p>Alarm: the only alarm is CORRUPT, raised by the member's corruption check (see
 * {@link #raiseCorrupt}); with none the answer is etcd's, {@code {}} with no header, whatever the
 * action. Defragment has nothing to do and answers {@code {}} as etcd does.
 *
 * <p>Hash answers the hash of what the store holds ({@link minietcd.kit.etcd.StoreHash}; etcd's
 * covers its whole bolt file, which has no counterpart here). etcd's HashKV, which hashes the store at
 * a revision, has no route on etcd 3.4's gateway ({@code /v3/maintenance/hashkv} is 404 there, and is
 * here too); in its place Hash takes an optional {@code revision} field, which etcd's HashRequest
 * does not have and so no etcd client sends: members compare their stores with it.
 */
final class MaintenanceService {
    static final String VERSION = "3.4.23";

    private final Serving serving;
    private final Member member;
    /** Members found corrupt (member ids), in the order found. Read and written under the store lock. */
    private final java.util.Set<Long> corrupt = new java.util.LinkedHashSet<>();

    MaintenanceService(Serving serving, Member member) {
        this.serving = serving;
        this.member = member;
    }

    String alarm(String body) {
        GatewayJson.leaseLeases(body); // only checks that the body is JSON
        if (corrupt.isEmpty()) return "{}";
        StringBuilder alarms = new StringBuilder();
        for (long id : corrupt) alarms.append(alarms.length() == 0 ? "" : ",").append("{\"memberID\":\"").append(Long.toUnsignedString(id)).append("\",\"alarm\":\"CORRUPT\"}");
        String header = GatewayJson.compaction(member.header(serving.store().currentRevision()));
        return header.substring(0, header.length() - 1) + ",\"alarms\":[" + alarms + "]}";
    }

    /** The corruption check found member {@code memberId}'s store different from the others': etcd's CORRUPT alarm. Lock held. */
    void raiseCorrupt(long memberId) {
        corrupt.add(memberId);
    }

    /**
     * {@code /v3/maintenance/hash}: the store's hash as a JSON number (etcd's uint32), now, or at the
     * body's {@code revision} (a compacted or future one is refused as a range at it would be).
     */
    String hash(String body) {
        long revision = GatewayJson.compaction(body).revision(); // the same int64 "revision" field; absent: 0, now
        long hash = StoreHash.at(serving.store(), revision);
        String header = GatewayJson.compaction(member.header(serving.store().currentRevision()));
        return header.substring(0, header.length() - 1) + ",\"hash\":" + hash + "}";
    }

    String defragment(String body) {
        GatewayJson.leaseLeases(body);
        return "{}";
    }
    String status(String body) {
        GatewayJson.leaseLeases(body); // an empty message: only checks that the body is JSON
        if (serving instanceof Serving.OfCluster c) return replicaStatus(c.replica());
        long rev = serving.store().currentRevision();
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
    private String replicaStatus(Replica replica) {
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
