package minietcd.kit.controlplane;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A label selector as {@code ?labelSelector=} gives it: requirements joined by commas, all of which
 * must hold: {@code k=v} (or {@code k==v}), {@code k!=v} (true when k is absent too), {@code k in (a,b)},
 * {@code k notin (a,b)} (true when k is absent), {@code k} (k is set), {@code !k} (k is not set).
 * The empty selector matches everything.
 */
public record LabelSelector(List<Requirement> requirements) {
    public enum Op { EQUALS, NOT_EQUALS, IN, NOT_IN, EXISTS, DOES_NOT_EXIST }

    public record Requirement(String key, Op op, Set<String> values) {
        public Requirement {
            values = Set.copyOf(values);
        }

        boolean matches(Map<String, String> labels) {
            String v = labels.get(key);
            return switch (op) {
                case EQUALS, IN -> v != null && values.contains(v);
                case NOT_EQUALS, NOT_IN -> v == null || !values.contains(v);
                case EXISTS -> v != null;
                case DOES_NOT_EXIST -> v == null;
            };
        }
    }

    public static final LabelSelector EVERYTHING = new LabelSelector(List.of());

    private static final String KEY = "[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?";
    private static final String VALUE = "([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?";
    private static final Pattern SET = Pattern.compile("\\s*(" + KEY + ")\\s+(in|notin)\\s*\\(([^()]*)\\)\\s*");
    private static final Pattern COMPARE = Pattern.compile("\\s*(" + KEY + ")\\s*(==|!=|=)\\s*(" + VALUE + ")\\s*");
    private static final Pattern EXISTS = Pattern.compile("\\s*(!?)\\s*(" + KEY + ")\\s*");

    public LabelSelector {
        requirements = List.copyOf(requirements);
    }

    public boolean matches(Map<String, String> labels) {
        for (Requirement r : requirements) if (!r.matches(labels)) return false;
        return true;
    }

    public boolean isEverything() {
        return requirements.isEmpty();
    }

    /**
     * Parses a selector; null or blank is {@link #EVERYTHING}.
     *
     * @throws StatusException 400 naming the requirement that cannot be read
     */
    public static LabelSelector parse(String text) {
        if (text == null || text.isBlank()) return EVERYTHING;
        List<Requirement> rs = new ArrayList<>();
        for (String part : splitOutsideParentheses(text)) {
            Matcher m;
            if ((m = SET.matcher(part)).matches()) {
                List<String> values = new ArrayList<>();
                for (String v : m.group(4).split(",", -1)) {
                    String t = v.strip();
                    if (!t.matches(VALUE)) throw bad(part, "invalid value " + t);
                    values.add(t);
                }
                rs.add(new Requirement(m.group(1), m.group(3).equals("in") ? Op.IN : Op.NOT_IN, Set.copyOf(values)));
            } else if ((m = COMPARE.matcher(part)).matches()) {
                rs.add(new Requirement(m.group(1), m.group(3).equals("!=") ? Op.NOT_EQUALS : Op.EQUALS, Set.of(m.group(4))));
            } else if ((m = EXISTS.matcher(part)).matches()) {
                rs.add(new Requirement(m.group(2), m.group(1).isEmpty() ? Op.EXISTS : Op.DOES_NOT_EXIST, Set.of()));
            } else {
                throw bad(part, "expected key, !key, key=value, key!=value, key in (...) or key notin (...)");
            }
        }
        return new LabelSelector(rs);
    }

    private static StatusException bad(String part, String why) {
        return StatusException.badRequest("unable to parse requirement: \"" + part.strip() + "\": " + why);
    }

    private static List<String> splitOutsideParentheses(String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0, start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') depth++;
            else if (c == ')') depth--;
            else if (c == ',' && depth == 0) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts;
    }
}
