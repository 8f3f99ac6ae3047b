package minietcd.kit.controlplane;

/**
 * A leader's fencing token: the etcd key of its Lease and that key's mod_revision (the Lease's
 * resourceVersion) as the leader last wrote it. A write made under the fence commits only while the
 * Lease is still exactly as the leader left it: once anyone else takes the Lease, its revision moves
 * on and every write under the old fence is refused by etcd itself.
 */
public record Fence(String leaseKey, long revision) {
    /** The fence of the Lease {@code namespace/name} at {@code revision}. */
    public static Fence of(String namespace, String name, long revision) {
        return new Fence(Resource.LEASES.keyPrefix() + namespace + "/" + name, revision);
    }
}
