package minietcd.kit.etcd;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import minietcd.kit.mvcc.EtcdException;

/**
 * Reads JSON the way the Go program behind etcd's gateway does, so that a malformed request is
 * refused with the very message etcd sends. Two of Go's readers are imitated, both on top of
 * {@link GoJsonScanner}:
 *
 * <ul>
 *   <li>json.Decoder taking the first value off a stream ({@link Stream}): white space only means
 *       no value, an unfinished value is "unexpected EOF", and whatever follows the value is left
 *       unread;
 *   <li>json.Unmarshal reading a whole buffer ({@link #parseWhole}): "unexpected end of JSON input",
 *       and "invalid character ... after top-level value" for anything but white space after it.
 * </ul>
 *
 * <p>The values keep what the later steps of Go's decoding look at: a string keeps its raw text
 * (escapes not applied) beside its decoded bytes, and a number keeps its literal. Jackson is not
 * used on this side because it neither reports Go's messages nor keeps raw literals.
 */
final class GoJson {
    private GoJson() {}

    sealed interface Value permits Obj, Arr, Str, Num, Bool, Null {}

    /** An object; when a name repeats, the last value wins (as in a Go map). */
    record Obj(Map<String, Value> fields) implements Value {}

    record Arr(List<Value> items) implements Value {}

    /** A string: {@code bytes} after unescaping, {@code raw} as written between the quotes. */
    record Str(byte[] bytes, byte[] raw) implements Value {
        String rawText() {
            return new String(raw, StandardCharsets.UTF_8);
        }
    }

    /** A number, as written. */
    record Num(String literal) implements Value {}

    record Bool(boolean value) implements Value {}

    enum Null implements Value { NULL }

    /** Go's name for the kind of a value in "json: cannot unmarshal KIND into ...". */
    static String kind(Value v) {
        if (v instanceof Obj) return "object";
        if (v instanceof Arr) return "array";
        if (v instanceof Str) return "string";
        if (v instanceof Num) return "number";
        if (v instanceof Bool) return "bool";
        return "null";
    }

    static EtcdException invalid(String message) {
        return new EtcdException(EtcdException.INVALID_ARGUMENT, message);
    }

    /** Go's json.UnmarshalTypeError for a value that does not fit the Go type. */
    static EtcdException typeError(String what, String goType) {
        return invalid("json: cannot unmarshal " + what + " into Go value of type " + goType);
    }

    /** Successive top-level values of one body, as Go's json.Decoder hands them out. */
    static final class Stream {
        private final byte[] buf;
        private int pos;

        Stream(String body) {
            this.buf = body.getBytes(StandardCharsets.UTF_8);
        }

        /** The next value, or null when only white space is left. */
        Value next() {
            if (pos >= buf.length) return null;
            Reader r = new Reader(buf, pos, true);
            Value v = r.read();
            pos = r.end;
            return v;
        }
    }

    /** Reads a whole buffer as one value, as Go's json.Unmarshal does. */
    static Value parseWhole(byte[] data) {
        return new Reader(data, 0, false).read();
    }

    /** Builds values from the scanner's verdicts, one byte at a time, without recursion. */
    private static final class Reader {
        private final byte[] buf;
        private final int start;
        private final boolean stream;
        private int end;

        Reader(byte[] buf, int start, boolean stream) {
            this.buf = buf;
            this.start = start;
            this.stream = stream;
        }

        private static final class Container {
            final Map<String, Value> fields;
            final List<Value> items;
            String pendingKey;

            Container(boolean object) {
                fields = object ? new LinkedHashMap<>() : null;
                items = object ? null : new ArrayList<>();
            }

            /** In an object the values alternate: a key, then its value. */
            void add(Value v) {
                if (items != null) {
                    items.add(v);
                } else if (pendingKey == null) {
                    pendingKey = new String(((Str) v).bytes(), StandardCharsets.UTF_8);
                } else {
                    fields.put(pendingKey, v);
                    pendingKey = null;
                }
            }

            Value build() {
                return items != null ? new Arr(Collections.unmodifiableList(items)) : new Obj(Collections.unmodifiableMap(fields));
            }
        }

        private final ArrayDeque<Container> stack = new ArrayDeque<>();
        private Value top;

        private void add(Value v) {
            if (stack.isEmpty()) top = v;
            else stack.peek().add(v);
        }

        Value read() {
            GoJsonScanner s = new GoJsonScanner();
            int literal = -1;
            for (int i = start; i < buf.length; i++) {
                int op = s.step(buf[i] & 0xff);
                if (op == GoJsonScanner.CONTINUE) continue;
                if (op == GoJsonScanner.ERROR) throw invalid(s.err);
                if (literal >= 0) {
                    add(literal(literal, i));
                    literal = -1;
                }
                switch (op) {
                    case GoJsonScanner.BEGIN_LITERAL -> literal = i;
                    case GoJsonScanner.BEGIN_OBJECT -> stack.push(new Container(true));
                    case GoJsonScanner.BEGIN_ARRAY -> stack.push(new Container(false));
                    case GoJsonScanner.END_OBJECT, GoJsonScanner.END_ARRAY -> {
                        add(stack.pop().build());
                        if (stream && stack.isEmpty()) {
                            end = i + 1;
                            return top;
                        }
                    }
                    case GoJsonScanner.END -> {
                        if (stream) {
                            end = i;
                            return top;
                        }
                    }
                    default -> { }
                }
            }
            end = buf.length;
            if (stream) {
                if (s.step(' ') == GoJsonScanner.END) {
                    if (literal >= 0) add(literal(literal, buf.length));
                    return top;
                }
                for (int i = start; i < buf.length; i++) {
                    if (!GoJsonScanner.isSpace(buf[i] & 0xff)) throw invalid("unexpected EOF");
                }
                return null;
            }
            if (s.err != null) throw invalid(s.err);
            if (!s.endTop) {
                s.step(' ');
                if (!s.endTop) throw invalid(s.err != null ? s.err : "unexpected end of JSON input");
            }
            if (literal >= 0) add(literal(literal, buf.length));
            return top;
        }

        private Value literal(int from, int to) {
            return switch (buf[from]) {
                case '"' -> new Str(unquote(buf, from + 1, to - 1), Arrays.copyOfRange(buf, from + 1, to - 1));
                case 't' -> new Bool(true);
                case 'f' -> new Bool(false);
                case 'n' -> Null.NULL;
                default -> new Num(new String(buf, from, to - from, StandardCharsets.US_ASCII));
            };
        }
    }

    /** Applies the escapes of a string the scanner has already checked; bad surrogates become U+FFFD. */
    static byte[] unquote(byte[] b, int from, int to) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(to - from);
        int r = from;
        while (r < to) {
            int c = b[r] & 0xff;
            if (c != '\\') {
                out.write(c);
                r++;
                continue;
            }
            int e = b[r + 1];
            r += 2;
            switch (e) {
                case 'b' -> out.write('\b');
                case 'f' -> out.write('\f');
                case 'n' -> out.write('\n');
                case 'r' -> out.write('\r');
                case 't' -> out.write('\t');
                case 'u' -> {
                    int rune = hex4(b, r, to);
                    r += 4;
                    if (rune >= 0xD800 && rune < 0xE000) {
                        int low = r + 1 < to && b[r] == '\\' && b[r + 1] == 'u' ? hex4(b, r + 2, to) : -1;
                        if (rune < 0xDC00 && low >= 0xDC00 && low < 0xE000) {
                            rune = 0x10000 + ((rune - 0xD800) << 10) + (low - 0xDC00);
                            r += 6;
                        } else {
                            rune = 0xFFFD;
                        }
                    }
                    out.writeBytes(new String(Character.toChars(rune)).getBytes(StandardCharsets.UTF_8));
                }
                default -> out.write(e); // the quote, the backslash and the slash stand for themselves
            }
        }
        return out.toByteArray();
    }

    private static int hex4(byte[] b, int at, int to) {
        if (at + 4 > to) return -1;
        int v = 0;
        for (int i = at; i < at + 4; i++) {
            int d = Character.digit(b[i], 16);
            if (d < 0) return -1;
            v = v * 16 + d;
        }
        return v;
    }
}
