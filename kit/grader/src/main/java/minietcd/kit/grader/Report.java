package minietcd.kit.grader;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import minietcd.kit.testing.Lab;

/** Prints results the way a learner reads them: a table per part, the total, then each failure in full. */
public final class Report {
    private Report() {}

    /** One line as a result arrives. */
    public static void progress(PrintStream out, TestResult r) {
        out.printf("  %-4s %-52s %s%n", r.passed() ? "ok" : "FAIL", r.name(), r.passed() ? "" : r.reason());
    }

    /** Prints the tables and returns {earned, possible}. */
    public static int[] print(PrintStream out, Lab lab, List<TestResult> results) {
        out.println();
        out.println("Lab " + lab.number + " (" + lab.shortName + "): " + lab.title);
        Map<String, List<TestResult>> byPart = new TreeMap<>(results.stream().collect(Collectors.groupingBy(TestResult::part)));
        int earned = 0, possible = 0;
        for (var part : byPart.entrySet()) {
            int e = part.getValue().stream().filter(TestResult::passed).mapToInt(TestResult::points).sum();
            int p = part.getValue().stream().mapToInt(TestResult::points).sum();
            earned += e;
            possible += p;
            out.printf("%n  Part %s  %d/%d%n", part.getKey(), e, p);
            out.printf("  %-6s %-4s %-44s %s%n", "result", "pts", "test", "rule");
            for (TestResult r : part.getValue()) {
                out.printf("  %-6s %-4d %-44s %s%n", r.passed() ? "pass" : r.status().equals("FAILED") ? "FAIL" : r.status(), r.points(), r.name(), r.description());
            }
        }
        out.printf("%n  Total: %d/%d points, %d of %d tests pass%n", earned, possible, results.stream().filter(TestResult::passed).count(), results.size());
        List<TestResult> failed = results.stream().filter(r -> !r.passed()).toList();
        if (!failed.isEmpty()) {
            out.println("\nWhat broke:");
            // code not written yet says the same for every test that reaches it: once, with the tests it stops
            Map<String, List<TestResult>> todo = new java.util.LinkedHashMap<>();
            for (TestResult r : failed) if (r.reason().startsWith("not implemented yet: ")) todo.computeIfAbsent(r.reason(), k -> new java.util.ArrayList<>()).add(r);
            for (var t : todo.entrySet()) {
                out.println("\n  " + t.getKey());
                out.println("    stops " + (t.getValue().size() == 1 ? "1 test: " : t.getValue().size() + " tests: ")
                        + String.join(", ", t.getValue().stream().map(TestResult::name).toList()));
            }
            for (TestResult r : failed) {
                if (todo.containsKey(r.reason())) continue;
                out.println("\n  " + r.name() + " (part " + r.part() + "): " + r.description());
                out.println("    " + r.reason());
                r.detail().lines().skip(1).forEach(line -> out.println("    " + line.strip()));
            }
        }
        return new int[] {earned, possible};
    }
}
