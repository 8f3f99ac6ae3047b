package minietcd.kit.kvctl;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Durations written as Go writes them, since etcdctl's flags take Go durations ({@code 2s},
 * {@code 500ms}, {@code 1m30s}, {@code 1.5h}) and its output prints them ({@code 1.810161ms}).
 */
final class Durations implements CommandLine.ITypeConverter<Duration> {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");
    private static final Map<String, Long> NANOS = Map.of("ns", 1L, "us", 1_000L, "µs", 1_000L, "μs", 1_000L,
            "ms", 1_000_000L, "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);

    /** picocli's converter: {@link #parse}. */
    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    /**
     * Reads a Go duration: one or more number-and-unit parts, with an optional leading sign; a bare
     * {@code 0} is zero.
     *
     * @throws IllegalArgumentException if it is not one
     */
    static Duration parse(String text) {
        String s = text.strip();
        boolean negative = s.startsWith("-");
        if (negative || s.startsWith("+")) s = s.substring(1);
        if (s.equals("0")) return Duration.ZERO;
        Matcher m = PART.matcher(s);
        BigDecimal nanos = BigDecimal.ZERO;
        int at = 0;
        while (at < s.length()) {
            if (!m.find(at) || m.start() != at) throw new IllegalArgumentException("invalid duration \"" + text + "\"");
            nanos = nanos.add(new BigDecimal(m.group(1).startsWith(".") ? "0" + m.group(1) : m.group(1)).multiply(BigDecimal.valueOf(NANOS.get(m.group(2)))));
            at = m.end();
        }
        if (at == 0) throw new IllegalArgumentException("invalid duration \"" + text + "\"");
        Duration d = Duration.ofNanos(nanos.longValue());
        return negative ? d.negated() : d;
    }

    /** Go's {@code Duration.String()}: {@code 0s}, {@code 800ns}, {@code 1.5µs}, {@code 1.810161ms}, {@code 2s}, {@code 1m30s}, {@code 1h0m0s}. */
    static String format(Duration d) {
        long n = d.toNanos();
        if (n == 0) return "0s";
        String sign = n < 0 ? "-" : "";
        n = Math.abs(n);
        if (n < 1_000) return sign + n + "ns";
        if (n < 1_000_000) return sign + decimal(n, 1_000) + "µs";
        if (n < 1_000_000_000) return sign + decimal(n, 1_000_000) + "ms";
        long seconds = n / 1_000_000_000, hours = seconds / 3600, minutes = seconds / 60 % 60;
        String secs = decimal(seconds % 60 * 1_000_000_000 + n % 1_000_000_000, 1_000_000_000) + "s";
        if (hours > 0) return sign + hours + "h" + minutes + "m" + secs;
        if (minutes > 0) return sign + minutes + "m" + secs;
        return sign + secs;
    }

    /** value/unit in decimal, with no trailing zeros after the point. */
    private static String decimal(long value, long unit) {
        return BigDecimal.valueOf(value).divide(BigDecimal.valueOf(unit)).stripTrailingZeros().toPlainString();
    }
}
