package minietcd.kit.etcd;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import minietcd.kit.mvcc.EtcdException;

/** Go's ways with text that the gateway's messages depend on: %q quoting and standard base64. */
final class GoStrings {
    private GoStrings() {}

    /** Go's quoteChar: a byte shown as the rune of the same number, in single quotes. */
    static String quoteChar(int c) {
        if (c == '\'') return "'\\''";
        if (c == '"') return "'\"'";
        String q = quote(new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8));
        return "'" + q.substring(1, q.length() - 1) + "'";
    }

    /** Go's strconv.Quote of a byte string (what %q prints). */
    static String quote(byte[] s) {
        StringBuilder b = new StringBuilder("\"");
        int i = 0;
        while (i < s.length) {
            int c = s[i] & 0xff;
            int rune;
            int width;
            if (c < 0x80) {
                rune = c;
                width = 1;
            } else {
                width = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
                rune = width == 1 || i + width > s.length ? -1 : decodeRune(s, i, width);
                if (rune < 0) {
                    b.append(String.format("\\x%02x", c));
                    i++;
                    continue;
                }
            }
            i += width;
            if (rune == '"' || rune == '\\') {
                b.append('\\').appendCodePoint(rune);
            } else if (isPrint(rune)) {
                b.appendCodePoint(rune);
            } else {
                switch (rune) {
                    case 7 -> b.append("\\a");
                    case '\b' -> b.append("\\b");
                    case '\f' -> b.append("\\f");
                    case '\n' -> b.append("\\n");
                    case '\r' -> b.append("\\r");
                    case '\t' -> b.append("\\t");
                    case 11 -> b.append("\\v");
                    default -> {
                        if (rune < ' ' || rune == 0x7f) b.append(String.format("\\x%02x", rune));
                        else if (rune < 0x10000) b.append(String.format("\\u%04x", rune));
                        else b.append(String.format("\\U%08x", rune));
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    private static int decodeRune(byte[] s, int at, int width) {
        int first = s[at] & 0xff;
        int rune = width == 2 ? first & 0x1f : width == 3 ? first & 0x0f : first & 0x07;
        for (int k = 1; k < width; k++) {
            int cont = s[at + k] & 0xff;
            if ((cont & 0xc0) != 0x80) return -1;
            rune = (rune << 6) | (cont & 0x3f);
        }
        int min = width == 2 ? 0x80 : width == 3 ? 0x800 : 0x10000;
        if (rune < min || rune > 0x10FFFF || (rune >= 0xD800 && rune < 0xE000)) return -1;
        return rune;
    }

    /** Close to Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
    private static boolean isPrint(int rune) {
        if (rune < 0x80) return rune >= 0x20 && rune < 0x7f;
        return switch (Character.getType(rune)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER,
                 Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK,
                 Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER,
                 Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                 Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION, Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL,
                 Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL -> true;
            default -> false;
        };
    }

    private static final int[] BASE64 = new int[256];

    static {
        Arrays.fill(BASE64, -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) BASE64[alphabet.charAt(i)] = i;
    }

    /**
     * Go's base64.StdEncoding.Decode: the standard alphabet, padding required, CR and LF skipped,
     * and "illegal base64 data at input byte N" with Go's N on any other input.
     */
    static byte[] base64(byte[] src) {
        byte[] dst = new byte[src.length / 4 * 3 + 3];
        int n = 0;
        int si = 0;
        int[] quantum = new int[4]; // one for the whole input: a value of a few hundred bytes is a hundred quanta
        while (si < src.length) {
            Arrays.fill(quantum, 0);
            int len = 4;
            EtcdException late = null;
            for (int j = 0; j < 4; j++) {
                if (si == src.length) {
                    if (j == 0) return Arrays.copyOf(dst, n);
                    throw corrupt(si - j);
                }
                int in = src[si] & 0xff;
                si++;
                int out = BASE64[in];
                if (out >= 0) {
                    quantum[j] = out;
                    continue;
                }
                if (in == '\n' || in == '\r') {
                    j--;
                    continue;
                }
                if (in != '=' || j < 2) throw corrupt(si - 1);
                if (j == 2) { // a second '=' must follow
                    si = skipNewlines(src, si);
                    if (si == src.length) throw corrupt(src.length);
                    if (src[si] != '=') throw corrupt(si - 1);
                    si++;
                }
                si = skipNewlines(src, si);
                if (si < src.length) late = corrupt(si); // data after the padding
                len = j;
                break;
            }
            int val = quantum[0] << 18 | quantum[1] << 12 | quantum[2] << 6 | quantum[3];
            if (len == 4) dst[n + 2] = (byte) val;
            if (len >= 3) dst[n + 1] = (byte) (val >> 8);
            dst[n] = (byte) (val >> 16);
            n += len - 1;
            if (late != null) throw late;
        }
        return Arrays.copyOf(dst, n);
    }

    private static int skipNewlines(byte[] src, int si) {
        while (si < src.length && (src[si] == '\n' || src[si] == '\r')) si++;
        return si;
    }

    private static EtcdException corrupt(int at) {
        return GoJson.invalid("illegal base64 data at input byte " + at);
    }
}
