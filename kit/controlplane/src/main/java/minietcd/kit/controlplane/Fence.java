package minietcd.kit.controlplane;

/**
 * A leader's fencing token: the etcd key of its Lease and that key's mod_revision (the Lease's
 * resourceVersion) as the leader last wrote it. A write made under the fence commits only while the
 * Lease is still exactly as the leader left it: once anyone else takes the Lease, its revision moves
 * on and every write under the old fence is refused by etcd itself.
 */
public record Fence(String leaseKey, long revision) {
    /**
     * The HTTP header in which a component sends its fence with a write to the API server (the kit's
     * own: Kubernetes' API server takes no fence), its value {@link #headerValue}.
     */
    public static final String HEADER = "X-Lease-Fence";

    /** The header's value: the lease key, a space, the revision. */
    public String headerValue() {
        return leaseKey + " " + revision;
    }

    /** The fence a header names; a {@link StatusException} 400 if it names none. */
    public static Fence fromHeader(String value) {
        String[] parts = value.strip().split(" ");
        try {
            if (parts.length == 2 && parts[0].startsWith(Resource.LEASES.keyPrefix())) return new Fence(parts[0], Long.parseLong(parts[1]));
        } catch (NumberFormatException e) {
            // said below
        }
        throw StatusException.badRequest(HEADER + " must be a Lease's key and a revision (\"" + Resource.LEASES.keyPrefix() + "NAMESPACE/NAME 42\"): " + value);
    }

    /** The fence of the Lease {@code namespace/name} at {@code revision}. */
    public static Fence of(String namespace, String name, long revision) {
        return new Fence(Resource.LEASES.keyPrefix() + namespace + "/" + name, revision);
    }
}
