package minietcd.kit.server;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A {@code /v3/watch} request body cut into its JSON values as the bytes arrive, so that each request
 * is applied as soon as its last byte is in, as etcd's gateway applies them (it takes one value at a
 * time off the body with Go's json.Decoder).
 *
 * <p>This class only finds where each top-level value ends; reading the value, and telling a bad one
 * with Go's message, is {@link minietcd.kit.etcd.WatchGateway}'s. An object or array ends at the bracket that closes its
 * first one (brackets inside strings, escapes included, do not count); a string at its closing quote;
 * anything else (a number, a literal, garbage) at the first byte that cannot continue it (white
 * space, a bracket, a comma, a colon, a quote), or at the end of the body. A value that is still open
 * is {@link #pending()}; white space between values is skipped. Not thread-safe: one reader feeds it.
 */
final class WatchBody {
    /** The most bytes one value may take; more is refused (etcd's own limit, a gRPC message of 2 MiB, is lower). */
    static final int MAX_VALUE_BYTES = 16 << 20;

    private enum Kind { NONE, NESTED, STRING, SCALAR }

    private byte[] buf = new byte[256];
    private int len;
    private Kind kind = Kind.NONE;
    private int depth;
    private boolean inString, escaped;
    private boolean tooLarge;

    /**
     * Takes the next bytes of the body; returns the values they completed, in order, each as its text.
     * After {@link #tooLarge()} turns true nothing more is taken.
     */
    List<String> feed(byte[] b, int off, int n) {
        List<String> done = new ArrayList<>(1);
        for (int i = off; i < off + n && !tooLarge; i++) {
            int c = b[i] & 0xff;
            if (kind == Kind.NONE) {
                if (isSpace(c)) continue;
                kind = c == '{' || c == '[' ? Kind.NESTED : c == '"' ? Kind.STRING : Kind.SCALAR;
                depth = 0;
                inString = kind == Kind.STRING;
                escaped = false;
                append(c);
                if (kind == Kind.NESTED) depth = 1;
                continue;
            }
            if (kind == Kind.SCALAR && ends(c)) {
                done.add(take());
                i--; // the byte begins the next value
                continue;
            }
            append(c);
            if (inString) {
                if (escaped) escaped = false;
                else if (c == '\\') escaped = true;
                else if (c == '"') {
                    inString = false;
                    if (kind == Kind.STRING) done.add(take());
                }
            } else if (kind == Kind.NESTED) {
                if (c == '"') inString = true;
                else if (c == '{' || c == '[') depth++;
                else if ((c == '}' || c == ']') && --depth == 0) done.add(take());
            }
        }
        return done;
    }

    /** The body ended: the value still open, if any, as it stands (Go reads it to the end, and then judges it). */
    String end() {
        return kind == Kind.NONE ? null : take();
    }

    /** The text of the value still open, or null; for an object or array only, whose error may show before it ends. */
    String pending() {
        return kind == Kind.NESTED ? new String(buf, 0, len, StandardCharsets.UTF_8) : null;
    }

    /** How many bytes the open value holds. */
    int pendingBytes() {
        return len;
    }

    /** A value grew past {@link #MAX_VALUE_BYTES}. */
    boolean tooLarge() {
        return tooLarge;
    }

    private void append(int c) {
        if (len == MAX_VALUE_BYTES) {
            tooLarge = true;
            return;
        }
        if (len == buf.length) buf = Arrays.copyOf(buf, Math.min(MAX_VALUE_BYTES, buf.length * 2));
        buf[len++] = (byte) c;
    }

    private String take() {
        String s = new String(buf, 0, len, StandardCharsets.UTF_8);
        len = 0;
        kind = Kind.NONE;
        if (buf.length > 4096) buf = new byte[256];
        return s;
    }

    /** Go's white space between JSON values. */
    private static boolean isSpace(int c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    /** A byte that cannot continue a number or a literal. */
    private static boolean ends(int c) {
        return isSpace(c) || c == '{' || c == '}' || c == '[' || c == ']' || c == ',' || c == ':' || c == '"';
    }
}
