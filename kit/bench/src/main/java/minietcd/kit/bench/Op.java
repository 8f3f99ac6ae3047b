package minietcd.kit.bench;

import java.util.Arrays;
import java.util.Optional;

/** The operations the benchmark drives, each one request to etcd's JSON gateway. */
public enum Op {
    /** {@code POST /v3/kv/put} of one key with a 256-byte value. */
    PUT("put", "/v3/kv/put"),
    /** {@code POST /v3/kv/range} of one key, linearizable (etcd's default: the leader confirms it is still leader). */
    RANGE("range", "/v3/kv/range"),
    /** {@code POST /v3/kv/range} of one key with {@code "serializable": true} (the member answers from its own copy). */
    RANGE_SERIALIZABLE("range-serializable", "/v3/kv/range");

    /** The name on the command line and in the table. */
    public final String label;
    /** The gateway's path for it. */
    public final String path;

    Op(String label, String path) {
        this.label = label;
        this.path = path;
    }

    /** The operation called {@code label} (as printed), or empty. */
    public static Optional<Op> byLabel(String label) {
        return Arrays.stream(values()).filter(o -> o.label.equals(label)).findFirst();
    }

    /** The JSON body for this operation on a key and value already in base64. */
    String body(String keyBase64, String valueBase64) {
        return switch (this) {
            case PUT -> "{\"key\":\"" + keyBase64 + "\",\"value\":\"" + valueBase64 + "\"}";
            case RANGE -> "{\"key\":\"" + keyBase64 + "\"}";
            case RANGE_SERIALIZABLE -> "{\"key\":\"" + keyBase64 + "\",\"serializable\":true}";
        };
    }

    @Override
    public String toString() {
        return label;
    }
}
