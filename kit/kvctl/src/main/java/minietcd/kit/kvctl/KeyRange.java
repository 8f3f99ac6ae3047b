package minietcd.kit.kvctl;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The keys a get, del or watch names, read as etcdctl reads them: a key, and either an explicit
 * range end, {@code --prefix} (every key starting with the key) or {@code --from-key} (every key
 * from the key on). An empty key with either flag means the whole keyspace.
 *
 * @param end the exclusive range end, or null for the one key
 */
record KeyRange(byte[] key, byte[] end) {
    /** etcd's "no upper bound" range end: a single zero byte. */
    static final byte[] NO_END = {0};

    /**
     * @param rangeEnd the second positional argument, or null
     * @throws IllegalArgumentException with etcdctl's wording when the flags and arguments do not fit together
     */
    static KeyRange of(String key, String rangeEnd, boolean prefix, boolean fromKey) {
        if (prefix && fromKey) throw new IllegalArgumentException("`--prefix` and `--from-key` cannot be set at the same time, choose one");
        if (rangeEnd != null && (prefix || fromKey))
            throw new IllegalArgumentException("too many arguments, only accept one argument when `--prefix` or `--from-key` is set.");
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        if (rangeEnd != null) return new KeyRange(k, rangeEnd.getBytes(StandardCharsets.UTF_8));
        if ((prefix || fromKey) && k.length == 0) return new KeyRange(NO_END.clone(), NO_END.clone());
        if (prefix) return new KeyRange(k, prefixEnd(k));
        if (fromKey) return new KeyRange(k, NO_END.clone());
        return new KeyRange(k, null);
    }

    /**
     * The smallest key greater than every key starting with {@code prefix}: drop trailing 0xff bytes,
     * then add one to the last byte; a prefix of only 0xff bytes has no such key, so the range runs
     * to the end of the keyspace.
     */
    static byte[] prefixEnd(byte[] prefix) {
        for (int i = prefix.length - 1; i >= 0; i--) {
            if (prefix[i] != (byte) 0xff) {
                byte[] end = Arrays.copyOf(prefix, i + 1);
                end[i]++;
                return end;
            }
        }
        return NO_END.clone();
    }

    /** Writes {@code key} and, when there is one, {@code range_end} into a request, in base64. */
    void into(ObjectNode request) {
        request.put("key", Gateway.base64(key));
        if (end != null) request.put("range_end", Gateway.base64(end));
    }
}
