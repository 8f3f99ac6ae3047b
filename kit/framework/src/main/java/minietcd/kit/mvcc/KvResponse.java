package minietcd.kit.mvcc;

import java.util.List;

/** etcd's KV responses. {@code revision} is the response header's revision. */
public sealed interface KvResponse {
    long revision();

    /** {@code count} counts every match, ignoring limit; {@code more} says limit cut the result. */
    record Range(long revision, List<KeyValue> kvs, boolean more, long count) implements KvResponse {
        public Range {
            kvs = List.copyOf(kvs);
        }
    }

    /** {@code prevKv} is null when not asked for or when the key did not exist. */
    record Put(long revision, KeyValue prevKv) implements KvResponse {}

    record DeleteRange(long revision, long deleted, List<KeyValue> prevKvs) implements KvResponse {
        public DeleteRange {
            prevKvs = List.copyOf(prevKvs);
        }
    }

    record Txn(long revision, boolean succeeded, List<KvResponse> responses) implements KvResponse {
        public Txn {
            responses = List.copyOf(responses);
        }
    }
}
