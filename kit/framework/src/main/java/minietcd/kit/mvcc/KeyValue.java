package minietcd.kit.mvcc;

/**
 * A key as stored at one revision (etcd's mvccpb.KeyValue).
 *
 * @param createRevision the revision that created the key in its current generation
 * @param modRevision    the revision of its last change
 * @param version        changes since creation, from 1 (a deleted key starts again at 1)
 * @param lease          the lease the key is attached to, or 0
 */
public record KeyValue(Bytes key, long createRevision, long modRevision, long version, Bytes value, long lease) {
    /** The same key without its value (keys_only). */
    public KeyValue withoutValue() {
        return new KeyValue(key, createRevision, modRevision, version, Bytes.EMPTY, lease);
    }
}
