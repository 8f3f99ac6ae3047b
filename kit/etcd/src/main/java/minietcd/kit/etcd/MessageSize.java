package minietcd.kit.etcd;

import minietcd.kit.mvcc.Compare;
import minietcd.kit.mvcc.KeyValue;
import minietcd.kit.mvcc.KvRequest;
import minietcd.kit.mvcc.KvResponse;

/**
 * The size of a request or a response as etcd's protobuf messages would be, near enough to apply
 * etcd's limits before anything large is built: each key and value counts its bytes and a few more
 * for field tags and lengths, and each number its varint at most. Used to refuse an answer that
 * would not fit in memory before it is encoded, and a request body before it reaches the log.
 */
public final class MessageSize {
    private MessageSize() {}

    private static final int FIELD = 12; // tag, length or varint of one field, at most
    private static final int KV_FIELDS = 6 * FIELD; // create, mod, version, lease and the two lengths

    public static long of(KvResponse r) {
        long n = 4 * FIELD;
        if (r instanceof KvResponse.Range x) for (KeyValue kv : x.kvs()) n += of(kv);
        else if (r instanceof KvResponse.Put x && x.prevKv() != null) n += of(x.prevKv());
        else if (r instanceof KvResponse.DeleteRange x) for (KeyValue kv : x.prevKvs()) n += of(kv);
        else if (r instanceof KvResponse.Txn x) for (KvResponse op : x.responses()) n += FIELD + of(op);
        return n;
    }

    public static long of(KvRequest r) {
        if (r instanceof KvRequest.Range x) return 10L * FIELD + x.key().length() + x.rangeEnd().length();
        if (r instanceof KvRequest.Put x) return 6L * FIELD + x.key().length() + x.value().length();
        if (r instanceof KvRequest.DeleteRange x) return 3L * FIELD + x.key().length() + x.rangeEnd().length();
        KvRequest.Txn x = (KvRequest.Txn) r;
        long n = 0;
        for (Compare c : x.compare()) n += 6L * FIELD + c.key().length() + c.rangeEnd().length() + c.value().length();
        for (KvRequest op : x.success()) n += FIELD + of(op);
        for (KvRequest op : x.failure()) n += FIELD + of(op);
        return n;
    }

    private static long of(KeyValue kv) {
        return KV_FIELDS + kv.key().length() + kv.value().length();
    }
}
