package minietcd.kit.replica;

/**
 * The ids a replicated store's members report in response headers and member lists: uint64 values
 * as etcd's, printed unsigned. etcd derives them by hashing names and URLs; here they are fixed
 * functions of the member number (1, 2, 3, ...), so that answers are reproducible.
 */
public final class MemberIds {
    /** The cluster id: "minietcd" in ASCII. */
    public static final long CLUSTER = 0x6d696e6965746364L;

    private MemberIds() {}

    /** Member {@code n}'s id: a bit mix of the cluster id and n, never 0. */
    public static long member(int n) {
        long z = CLUSTER + n * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return z == 0 ? 1 : z;
    }
}
