package minietcd.kit.bench;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.SplittableRandom;

/**
 * The keys and the value every row works on: {@code keys} keys of {@code keySize} bytes ({@code k}
 * and the key's number, zero-padded: {@code k0000042}) and one value of {@code valueSize} bytes,
 * the same pseudo-random bytes on every run.
 */
public record Keyspace(int keys, int keySize, int valueSize) {
    /** The workload: 10,000 keys of 8 bytes, 256-byte values. */
    public static Keyspace standard() {
        return new Keyspace(10_000, 8, 256);
    }

    public Keyspace {
        if (keySize < 2 || keySize > 19) throw new IllegalArgumentException("key size must be 2..19 bytes: " + keySize);
        if (keys < 1 || Math.log10(keys) > keySize - 1) throw new IllegalArgumentException(keys + " keys do not fit in " + keySize + "-byte keys");
        if (valueSize < 0) throw new IllegalArgumentException("negative value size");
    }

    /** Key number {@code i} (0 &le; i &lt; keys), {@code keySize} ASCII bytes. */
    public byte[] key(int i) {
        String digits = Long.toString(i);
        return ("k" + "0".repeat(keySize - 1 - digits.length()) + digits).getBytes(StandardCharsets.US_ASCII);
    }

    /** The value every put writes. */
    public byte[] value() {
        byte[] v = new byte[valueSize];
        SplittableRandom r = new SplittableRandom(valueSize);
        for (int i = 0; i < v.length; i++) v[i] = (byte) r.nextInt(256);
        return v;
    }

    /** The request body of {@code op} on every key, in key order, as UTF-8 bytes ready to send. */
    public byte[][] bodies(Op op) {
        Base64.Encoder b64 = Base64.getEncoder();
        String value = b64.encodeToString(value());
        byte[][] bodies = new byte[keys][];
        for (int i = 0; i < keys; i++) bodies[i] = op.body(b64.encodeToString(key(i)), value).getBytes(StandardCharsets.UTF_8);
        return bodies;
    }
}
