package minietcd.kit.server;

import java.util.function.IntSupplier;
import minietcd.kit.etcd.GatewayJson;

/**
 * {@code /v3/cluster/member/list}: every member of a replicated store, by id; for a lone store, a
 * cluster of this one member named "default" (etcd's default name), with no peer URL (it has no
 * peers) and its client URL on loopback. As in etcd, the header of a member list has no revision.
 */
final class ClusterService {
    private final Serving serving;
    private final Member member;
    private final IntSupplier port;

    ClusterService(Serving serving, Member member, IntSupplier port) {
        this.serving = serving;
        this.member = member;
        this.port = port;
    }

    String memberList(String body) {
        GatewayJson.leaseLeases(body); // only checks that the body is JSON
        String header = GatewayJson.compaction(member.header(0)); // {"header":{...}} without revision
        if (serving instanceof Serving.OfCluster c) {
            Replica replica = c.replica();
            StringBuilder out = new StringBuilder(header.substring(0, header.length() - 1)).append(",\"members\":[");
            java.util.List<Replica.Peer> peers = new java.util.ArrayList<>(replica.members());
            peers.sort((a, b) -> Long.compareUnsigned(a.id(), b.id())); // etcd lists them by id
            for (Replica.Peer p : peers) {
                if (out.charAt(out.length() - 1) != '[') out.append(',');
                out.append("{\"ID\":\"").append(Long.toUnsignedString(p.id())).append("\",\"name\":\"").append(p.name())
                        .append("\",\"peerURLs\":[\"").append(p.peerUrl()).append("\"],\"clientURLs\":[\"").append(p.clientUrl()).append("\"]}");
            }
            return out.append("]}").toString();
        }
        return header.substring(0, header.length() - 1)
                + ",\"members\":[{\"ID\":\"" + Long.toUnsignedString(member.memberId()) + "\",\"name\":\"default\""
                + ",\"clientURLs\":[\"http://127.0.0.1:" + port.getAsInt() + "\"]}]}";
    }
}
