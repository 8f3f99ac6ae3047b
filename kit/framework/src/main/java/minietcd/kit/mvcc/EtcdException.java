package minietcd.kit.mvcc;

/**
 * An error as etcd reports it: a gRPC status code and etcd's own message. The messages are
 * etcd's, word for word, so that clients and tests can match them.
 */
public final class EtcdException extends RuntimeException {
    public static final int INVALID_ARGUMENT = 3, NOT_FOUND = 5, RESOURCE_EXHAUSTED = 8, FAILED_PRECONDITION = 9, OUT_OF_RANGE = 11, INTERNAL = 13,
            UNAVAILABLE = 14, UNKNOWN = 2, DEADLINE_EXCEEDED = 4;

    private final int code;

    public EtcdException(int code, String message) {
        super(message);
        this.code = code;
    }

    /** The gRPC status code. */
    public int code() {
        return code;
    }

    public static EtcdException keyNotProvided() { return new EtcdException(INVALID_ARGUMENT, "etcdserver: key is not provided"); }
    public static EtcdException keyNotFound() { return new EtcdException(INVALID_ARGUMENT, "etcdserver: key not found"); }
    public static EtcdException valueProvided() { return new EtcdException(INVALID_ARGUMENT, "etcdserver: value is provided"); }
    public static EtcdException leaseProvided() { return new EtcdException(INVALID_ARGUMENT, "etcdserver: lease is provided"); }
    public static EtcdException duplicateKey() { return new EtcdException(INVALID_ARGUMENT, "etcdserver: duplicate key given in txn request"); }
    public static EtcdException tooManyOps() { return new EtcdException(INVALID_ARGUMENT, "etcdserver: too many operations in txn request"); }
    public static EtcdException compacted() { return new EtcdException(OUT_OF_RANGE, "etcdserver: mvcc: required revision has been compacted"); }
    public static EtcdException futureRevision() { return new EtcdException(OUT_OF_RANGE, "etcdserver: mvcc: required revision is a future revision"); }
    public static EtcdException leaseNotFound() { return new EtcdException(NOT_FOUND, "etcdserver: requested lease not found"); }
    /** gRPC's refusal of a request message over the server's limit (etcd: --max-request-bytes + 512 KiB). */
    public static EtcdException requestMessageTooLarge(long size, long max) {
        return new EtcdException(RESOURCE_EXHAUSTED, "grpc: received message larger than max (" + size + " vs. " + max + ")");
    }
    /** gRPC's refusal to send an answer over the server's limit. */
    public static EtcdException responseMessageTooLarge(long size, long max) {
        return new EtcdException(RESOURCE_EXHAUSTED, "grpc: trying to send message larger than max (" + size + " vs. " + max + ")");
    }
    public static EtcdException leaseExists() { return new EtcdException(FAILED_PRECONDITION, "etcdserver: lease already exists"); }
}
