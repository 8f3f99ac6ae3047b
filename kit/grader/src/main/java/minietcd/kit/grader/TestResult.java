package minietcd.kit.grader;

/**
 * The outcome of one graded test.
 *
 * @param id          JUnit's unique id
 * @param className   the test class's simple name
 * @param method      the test method
 * @param lab         from {@link Graded#lab()}
 * @param part        from {@link Graded#part()}
 * @param points      from {@link Graded#points()}
 * @param description from {@link Graded#value()}
 * @param status      PASSED, FAILED, or TIMED_OUT / CRASHED when the grader had to cut the test off
 * @param reason      one line: what broke
 * @param detail      the whole failure message (seed, replay command, trace file), or ""
 */
public record TestResult(String id, String className, String method, int lab, String part, int points, String description,
                         String status, String reason, String detail) {
    public boolean passed() {
        return "PASSED".equals(status);
    }

    public String name() {
        return className + "." + method;
    }

    public TestResult withOutcome(String status, String reason, String detail) {
        return new TestResult(id, className, method, lab, part, points, description, status, reason, detail);
    }
}
