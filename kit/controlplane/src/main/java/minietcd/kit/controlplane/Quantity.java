package minietcd.kit.controlplane;

import java.math.BigDecimal;
import java.util.Map;

/**
 * Kubernetes resource quantities as numbers: CPU in millicores ({@code 100m}, {@code 1}, {@code 0.5})
 * and memory in bytes ({@code 64Mi}, {@code 1Gi}, {@code 500M}, {@code 128974848}, {@code 1e6}).
 */
public final class Quantity {
    private static final Map<String, BigDecimal> SUFFIXES = Map.ofEntries(
            Map.entry("n", new BigDecimal("1e-9")), Map.entry("u", new BigDecimal("1e-6")), Map.entry("m", new BigDecimal("1e-3")),
            Map.entry("", BigDecimal.ONE), Map.entry("k", new BigDecimal("1e3")), Map.entry("M", new BigDecimal("1e6")),
            Map.entry("G", new BigDecimal("1e9")), Map.entry("T", new BigDecimal("1e12")), Map.entry("P", new BigDecimal("1e15")),
            Map.entry("E", new BigDecimal("1e18")), Map.entry("Ki", BigDecimal.valueOf(1L << 10)), Map.entry("Mi", BigDecimal.valueOf(1L << 20)),
            Map.entry("Gi", BigDecimal.valueOf(1L << 30)), Map.entry("Ti", BigDecimal.valueOf(1L << 40)), Map.entry("Pi", BigDecimal.valueOf(1L << 50)),
            Map.entry("Ei", BigDecimal.valueOf(1L << 60)));

    private Quantity() {}

    /** CPU in millicores, rounded up; "" is 0. */
    public static long millicores(String quantity) {
        return parse(quantity).movePointRight(3).setScale(0, java.math.RoundingMode.CEILING).longValueExact();
    }

    /** Memory in bytes, rounded up; "" is 0. */
    public static long bytes(String quantity) {
        return parse(quantity).setScale(0, java.math.RoundingMode.CEILING).longValueExact();
    }

    private static BigDecimal parse(String q) {
        String s = q == null ? "" : q.strip();
        if (s.isEmpty()) return BigDecimal.ZERO;
        int i = 0;
        while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.' || s.charAt(i) == '+' || s.charAt(i) == '-')) i++;
        String number = s.substring(0, i), suffix = s.substring(i);
        try {
            if (suffix.matches("[eE][-+]?[0-9]+")) return new BigDecimal(s);
            BigDecimal unit = SUFFIXES.get(suffix);
            if (unit == null || number.isEmpty()) throw new NumberFormatException();
            return new BigDecimal(number).multiply(unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw StatusException.badRequest("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': " + q);
        }
    }
}
