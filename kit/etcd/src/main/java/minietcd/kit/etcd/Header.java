package minietcd.kit.etcd;

/**
 * The header of every etcd response (etcdserverpb.ResponseHeader). {@code clusterId},
 * {@code memberId} and {@code raftTerm} are uint64 in etcd: they are kept in a long's 64 bits and
 * printed unsigned, so an id above 2^63 shows as etcd shows it. {@code revision} is an int64.
 * A field that is 0 is left out of the JSON.
 */
public record Header(long clusterId, long memberId, long revision, long raftTerm) {
    public Header withRevision(long rev) {
        return new Header(clusterId, memberId, rev, raftTerm);
    }

    @Override
    public String toString() {
        return "Header[clusterId=" + Long.toUnsignedString(clusterId) + ", memberId=" + Long.toUnsignedString(memberId)
                + ", revision=" + revision + ", raftTerm=" + Long.toUnsignedString(raftTerm) + "]";
    }
}
