package minietcd.kit.etcd;

import java.util.Arrays;

/**
 * A port of the syntax scanner of Go's encoding/json (Go 1.19, scanner.go): it is fed one byte at a
 * time and answers what the byte did (began a literal, ended an object, ...), keeping Go's states,
 * its nesting limit of 10000 and its error messages, {@code invalid character 'x' <context>}.
 */
final class GoJsonScanner {
    static final int CONTINUE = 0, BEGIN_LITERAL = 1, BEGIN_OBJECT = 2, OBJECT_KEY = 3, OBJECT_VALUE = 4,
            END_OBJECT = 5, BEGIN_ARRAY = 6, ARRAY_VALUE = 7, END_ARRAY = 8, SKIP_SPACE = 9, END = 10, ERROR = 11;

    private static final int PARSE_OBJECT_KEY = 0, PARSE_OBJECT_VALUE = 1, PARSE_ARRAY_VALUE = 2;
    private static final int MAX_DEPTH = 10000;

    private enum State {
        BEGIN_VALUE_OR_EMPTY, BEGIN_VALUE, BEGIN_STRING_OR_EMPTY, BEGIN_STRING, END_VALUE, END_TOP,
        IN_STRING, IN_STRING_ESC, ESC_U, ESC_U1, ESC_U12, ESC_U123,
        NEG, ONE, ZERO, DOT, DOT0, E, E_SIGN, E0,
        T, TR, TRU, F, FA, FAL, FALS, N, NU, NUL, ERROR
    }

    private State state = State.BEGIN_VALUE;
    private int[] parse = new int[16];
    private int depth;
    String err;
    boolean endTop;

    static boolean isSpace(int c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHex(int c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    int step(int c) {
        return switch (state) {
            case BEGIN_VALUE_OR_EMPTY -> isSpace(c) ? SKIP_SPACE : c == ']' ? endValue(c) : beginValue(c);
            case BEGIN_VALUE -> beginValue(c);
            case BEGIN_STRING_OR_EMPTY -> {
                if (isSpace(c)) yield SKIP_SPACE;
                if (c == '}') {
                    parse[depth - 1] = PARSE_OBJECT_VALUE;
                    yield endValue(c);
                }
                yield beginString(c);
            }
            case BEGIN_STRING -> beginString(c);
            case END_VALUE -> endValue(c);
            case END_TOP -> endTop(c);
            case IN_STRING -> {
                if (c == '"') yield next(State.END_VALUE);
                if (c == '\\') yield next(State.IN_STRING_ESC);
                if (c < 0x20) yield error(c, "in string literal");
                yield CONTINUE;
            }
            case IN_STRING_ESC -> switch (c) {
                case 'b', 'f', 'n', 'r', 't', '\\', '/', '"' -> next(State.IN_STRING);
                case 'u' -> next(State.ESC_U);
                default -> error(c, "in string escape code");
            };
            case ESC_U -> hex(c, State.ESC_U1);
            case ESC_U1 -> hex(c, State.ESC_U12);
            case ESC_U12 -> hex(c, State.ESC_U123);
            case ESC_U123 -> hex(c, State.IN_STRING);
            case NEG -> c == '0' ? next(State.ZERO) : c >= '1' && c <= '9' ? next(State.ONE) : error(c, "in numeric literal");
            case ONE -> isDigit(c) ? CONTINUE : zero(c);
            case ZERO -> zero(c);
            case DOT -> isDigit(c) ? next(State.DOT0) : error(c, "after decimal point in numeric literal");
            case DOT0 -> isDigit(c) ? CONTINUE : c == 'e' || c == 'E' ? next(State.E) : endValue(c);
            case E -> c == '+' || c == '-' ? next(State.E_SIGN) : eSign(c);
            case E_SIGN -> eSign(c);
            case E0 -> isDigit(c) ? CONTINUE : endValue(c);
            case T -> lit(c, 'r', State.TR, "in literal true (expecting 'r')");
            case TR -> lit(c, 'u', State.TRU, "in literal true (expecting 'u')");
            case TRU -> lit(c, 'e', State.END_VALUE, "in literal true (expecting 'e')");
            case F -> lit(c, 'a', State.FA, "in literal false (expecting 'a')");
            case FA -> lit(c, 'l', State.FAL, "in literal false (expecting 'l')");
            case FAL -> lit(c, 's', State.FALS, "in literal false (expecting 's')");
            case FALS -> lit(c, 'e', State.END_VALUE, "in literal false (expecting 'e')");
            case N -> lit(c, 'u', State.NU, "in literal null (expecting 'u')");
            case NU -> lit(c, 'l', State.NUL, "in literal null (expecting 'l')");
            case NUL -> lit(c, 'l', State.END_VALUE, "in literal null (expecting 'l')");
            case ERROR -> ERROR;
        };
    }

    private int next(State s) {
        state = s;
        return CONTINUE;
    }

    private int hex(int c, State then) {
        return isHex(c) ? next(then) : error(c, "in \\u hexadecimal character escape");
    }

    private int lit(int c, int want, State then, String context) {
        return c == want ? next(then) : error(c, context);
    }

    private int beginValue(int c) {
        if (isSpace(c)) return SKIP_SPACE;
        switch (c) {
            case '{':
                state = State.BEGIN_STRING_OR_EMPTY;
                return push(c, PARSE_OBJECT_KEY, BEGIN_OBJECT);
            case '[':
                state = State.BEGIN_VALUE_OR_EMPTY;
                return push(c, PARSE_ARRAY_VALUE, BEGIN_ARRAY);
            case '"':
                state = State.IN_STRING;
                return BEGIN_LITERAL;
            case '-':
                state = State.NEG;
                return BEGIN_LITERAL;
            case '0':
                state = State.ZERO;
                return BEGIN_LITERAL;
            case 't':
                state = State.T;
                return BEGIN_LITERAL;
            case 'f':
                state = State.F;
                return BEGIN_LITERAL;
            case 'n':
                state = State.N;
                return BEGIN_LITERAL;
            default:
                if (c >= '1' && c <= '9') {
                    state = State.ONE;
                    return BEGIN_LITERAL;
                }
                return error(c, "looking for beginning of value");
        }
    }

    private int beginString(int c) {
        if (isSpace(c)) return SKIP_SPACE;
        if (c == '"') {
            state = State.IN_STRING;
            return BEGIN_LITERAL;
        }
        return error(c, "looking for beginning of object key string");
    }

    private int zero(int c) {
        if (c == '.') return next(State.DOT);
        if (c == 'e' || c == 'E') return next(State.E);
        return endValue(c);
    }

    private int eSign(int c) {
        return isDigit(c) ? next(State.E0) : error(c, "in exponent of numeric literal");
    }

    private int endValue(int c) {
        if (depth == 0) {
            state = State.END_TOP;
            endTop = true;
            return endTop(c);
        }
        if (isSpace(c)) {
            state = State.END_VALUE;
            return SKIP_SPACE;
        }
        switch (parse[depth - 1]) {
            case PARSE_OBJECT_KEY:
                if (c == ':') {
                    parse[depth - 1] = PARSE_OBJECT_VALUE;
                    state = State.BEGIN_VALUE;
                    return OBJECT_KEY;
                }
                return error(c, "after object key");
            case PARSE_OBJECT_VALUE:
                if (c == ',') {
                    parse[depth - 1] = PARSE_OBJECT_KEY;
                    state = State.BEGIN_STRING;
                    return OBJECT_VALUE;
                }
                if (c == '}') {
                    pop();
                    return END_OBJECT;
                }
                return error(c, "after object key:value pair");
            default:
                if (c == ',') {
                    state = State.BEGIN_VALUE;
                    return ARRAY_VALUE;
                }
                if (c == ']') {
                    pop();
                    return END_ARRAY;
                }
                return error(c, "after array element");
        }
    }

    private int endTop(int c) {
        if (!isSpace(c)) error(c, "after top-level value"); // reported on the next byte, if any
        return END;
    }

    private int push(int c, int p, int success) {
        if (depth == parse.length) parse = Arrays.copyOf(parse, depth * 2);
        parse[depth++] = p;
        return depth <= MAX_DEPTH ? success : error(c, "exceeded max depth");
    }

    private void pop() {
        depth--;
        if (depth == 0) {
            state = State.END_TOP;
            endTop = true;
        } else {
            state = State.END_VALUE;
        }
    }

    private int error(int c, String context) {
        state = State.ERROR;
        err = "invalid character " + GoStrings.quoteChar(c) + " " + context;
        return ERROR;
    }
}
