package minietcd.kit.mvcc;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * An immutable byte string, ordered as etcd orders keys: unsigned, byte by byte, a prefix first.
 * Keys, values and range ends are bytes in etcd, not text.
 */
public final class Bytes implements Comparable<Bytes> {
    public static final Bytes EMPTY = new Bytes(new byte[0]);
    /** The single zero byte: as a range end it means "every key from the start key on". */
    public static final Bytes ZERO = new Bytes(new byte[] {0});

    private final byte[] bytes;

    private Bytes(byte[] bytes) {
        this.bytes = bytes;
    }

    public static Bytes of(byte[] bytes) {
        return bytes.length == 0 ? EMPTY : new Bytes(bytes.clone());
    }

    public static Bytes of(String utf8) {
        return of(utf8.getBytes(StandardCharsets.UTF_8));
    }

    public static Bytes fromBase64(String base64) {
        return of(Base64.getDecoder().decode(base64));
    }

    public byte[] toByteArray() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    public boolean isEmpty() {
        return bytes.length == 0;
    }

    public String base64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    public String utf8() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The smallest key greater than every key with this prefix (etcd's prefix range end), or {@link #ZERO} if there is none. */
    public Bytes prefixEnd() {
        byte[] end = bytes.clone();
        for (int i = end.length - 1; i >= 0; i--) {
            if (end[i] != (byte) 0xff) {
                end[i]++;
                return new Bytes(Arrays.copyOf(end, i + 1));
            }
        }
        return ZERO;
    }

    @Override
    public int compareTo(Bytes o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bytes b && Arrays.equals(bytes, b.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** Printable bytes as text, anything else as base64. */
    @Override
    public String toString() {
        for (byte b : bytes) if (b < 0x20 || b > 0x7e) return "b64:" + base64();
        return utf8();
    }
}
