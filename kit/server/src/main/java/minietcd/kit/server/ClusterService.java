package minietcd.kit.server;

import java.util.function.IntSupplier;
import minietcd.kit.etcd.GatewayJson;

/**
 * {@code /v3/cluster/member/list} for a cluster of this one member: named "default" (etcd's default
 * name), with no peer URL (it has no peers) and its client URL on loopback. As in etcd, the header
 * of a member list has no revision.
 */
final class ClusterService {
    private final Member member;
    private final IntSupplier port;

    ClusterService(Member member, IntSupplier port) {
        this.member = member;
        this.port = port;
    }

    String memberList(String body) {
        GatewayJson.leaseLeases(body); // only checks that the body is JSON
        String header = GatewayJson.compaction(member.header(0)); // {"header":{...}} without revision
        return header.substring(0, header.length() - 1)
                + ",\"members\":[{\"ID\":\"" + Long.toUnsignedString(member.memberId()) + "\",\"name\":\"default\""
                + ",\"clientURLs\":[\"http://127.0.0.1:" + port.getAsInt() + "\"]}]}";
    }
}
