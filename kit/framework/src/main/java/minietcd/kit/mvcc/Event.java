package minietcd.kit.mvcc;

/**
 * One change to one key (etcd's mvccpb.Event). A DELETE's {@code kv} holds only the key and the
 * deleting revision as its mod revision; {@code prevKv} is the key before the change, or null.
 */
public record Event(Type type, KeyValue kv, KeyValue prevKv) {
    public enum Type { PUT, DELETE }
}
