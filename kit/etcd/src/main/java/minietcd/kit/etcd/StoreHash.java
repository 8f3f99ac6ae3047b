package minietcd.kit.etcd;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;
import minietcd.kit.mvcc.Bytes;
import minietcd.kit.mvcc.KV;
import minietcd.kit.mvcc.KeyValue;
import minietcd.kit.mvcc.KvRequest;

/**
 * A hash of what a store holds at one revision, for comparing members (etcd's corruption check
 * compares its members' HashKV): CRC-32C over every key alive at the revision, in key order, with its
 * create and mod revisions, version, lease and value. Members that applied the same log agree on it
 * at every revision they both hold; a member whose stored data changed under it does not.
 */
public final class StoreHash {
    private StoreHash() {}

    /**
     * The hash at {@code revision} (0 for the current one), as an unsigned 32-bit number.
     *
     * @throws minietcd.kit.mvcc.EtcdException a compacted or future revision, as a range at it would
     */
    public static long at(KV kv, long revision) {
        KvRequest.Range all = new KvRequest.Range(Bytes.ZERO, Bytes.ZERO, 0, revision, KvRequest.SortOrder.NONE, KvRequest.SortTarget.KEY,
                true, false, false, 0, 0, 0, 0);
        CRC32C crc = new CRC32C();
        ByteBuffer numbers = ByteBuffer.allocate(4 * Long.BYTES + 2 * Integer.BYTES);
        for (KeyValue kv1 : kv.range(all).kvs()) {
            byte[] key = kv1.key().toByteArray(), value = kv1.value().toByteArray();
            numbers.clear();
            numbers.putInt(key.length).putInt(value.length).putLong(kv1.createRevision()).putLong(kv1.modRevision()).putLong(kv1.version()).putLong(kv1.lease());
            crc.update(numbers.array());
            crc.update(key);
            crc.update(value);
        }
        return crc.getValue();
    }
}
