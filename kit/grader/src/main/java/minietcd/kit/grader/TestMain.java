package minietcd.kit.grader;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.PostDiscoveryFilter;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClasspathRoots;
import minietcd.kit.testing.Graded;
import minietcd.kit.testing.Seeds;

/**
 * Runs graded tests inside the forked test JVM and reports to the grader on its standard output,
 * one JSON line per event behind {@link #MARK}: "plan" for each selected test, "started", then
 * the {@link TestResult}. Everything else the tests print goes to standard error.
 *
 * <p>Arguments: {@code --lab N}, {@code --part X}, {@code --test NAME} (method or Class.method),
 * {@code --skip ID}, {@code --timeout SECONDS}, {@code --list} (report the plan only), and the test class folders.
 */
public final class TestMain {
    public static final String MARK = "@@minietcd ";
    public static final String TIMED_OUT = "timed out: ";
    private static final ObjectMapper JSON = new ObjectMapper();

    record Event(String event, TestResult result) {}

    public static void main(String[] args) throws Exception {
        PrintStream report = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, "UTF-8");
        System.setOut(System.err);
        int lab = 0;
        long timeout = 120;
        boolean list = false;
        Set<String> parts = new HashSet<>(), tests = new HashSet<>(), skip = new HashSet<>();
        Set<Path> roots = new HashSet<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--lab" -> lab = Integer.parseInt(args[++i]);
                case "--part" -> parts.add(args[++i].toUpperCase());
                case "--test" -> tests.add(args[++i]);
                case "--skip" -> skip.add(args[++i]);
                case "--timeout" -> timeout = Long.parseLong(args[++i]);
                case "--list" -> list = true;
                default -> roots.add(Path.of(args[i]));
            }
        }
        int labFilter = lab;
        PostDiscoveryFilter filter = descriptor -> {
            Optional<Graded> g = graded(descriptor.getSource().orElse(null));
            if (descriptor.getSource().orElse(null) instanceof MethodSource m) {
                if (g.isEmpty()) return FilterResult.excluded("not graded");
                boolean in = (labFilter == 0 || g.get().lab() == labFilter)
                        && (parts.isEmpty() || parts.contains(g.get().part()))
                        && (tests.isEmpty() || tests.contains(m.getMethodName()) || tests.contains(simpleName(m.getClassName()) + "." + m.getMethodName()))
                        && !skip.contains(descriptor.getUniqueId().toString());
                return in ? FilterResult.included("selected") : FilterResult.excluded("not selected");
            }
            return FilterResult.included("container");
        };
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClasspathRoots(roots))
                .filters(filter)
                .configurationParameter("junit.jupiter.execution.timeout.default", timeout + " s")
                .configurationParameter("junit.jupiter.execution.timeout.thread.mode.default", "SEPARATE_THREAD")
                .build();
        var launcher = LauncherFactory.create();
        TestPlan plan = launcher.discover(request);
        List<TestResult> planned = new ArrayList<>();
        for (TestIdentifier root : plan.getRoots()) for (TestIdentifier t : plan.getDescendants(root)) if (t.isTest()) resultOf(t, "PLANNED", "", "").ifPresent(planned::add);
        for (TestResult r : planned) emit(report, "plan", r);
        if (list) {
            report.flush();
            System.exit(0);
        }
        launcher.execute(plan, new TestExecutionListener() {
            @Override
            public void executionStarted(TestIdentifier t) {
                if (t.isTest()) resultOf(t, "STARTED", "", "").ifPresent(r -> emit(report, "started", r));
            }

            @Override
            public void executionFinished(TestIdentifier t, TestExecutionResult outcome) {
                if (!t.isTest()) return;
                Throwable e = outcome.getThrowable().orElse(null);
                String status = outcome.getStatus() == TestExecutionResult.Status.SUCCESSFUL ? "PASSED" : "FAILED";
                String reason = e == null ? "" : e instanceof java.util.concurrent.TimeoutException ? TIMED_OUT + e.getMessage() : Seeds.reason(e);
                String detail = e == null ? "" : String.valueOf(e.getMessage());
                String stack = e == null ? "" : Seeds.learnerStack(e);
                if (!stack.isEmpty() && !detail.contains("thrown in your code")) detail += "\nthrown in your code:\n  " + stack.replace("\n", "\n  ");
                resultOf(t, status, reason, detail).ifPresent(r -> emit(report, "result", r));
            }
        });
        report.flush();
        System.exit(0);
    }

    private static Optional<TestResult> resultOf(TestIdentifier t, String status, String reason, String detail) {
        if (!(t.getSource().orElse(null) instanceof MethodSource m)) return Optional.empty();
        return graded(m).map(g -> new TestResult(t.getUniqueId(), simpleName(m.getClassName()), m.getMethodName(), g.lab(), g.part(),
                g.points(), g.value(), status, reason, detail));
    }

    private static Optional<Graded> graded(Object source) {
        if (!(source instanceof MethodSource m)) return Optional.empty();
        try {
            return Optional.ofNullable(m.getJavaMethod().getAnnotation(Graded.class));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    private static synchronized void emit(PrintStream out, String event, TestResult r) {
        try {
            out.println(MARK + JSON.writeValueAsString(new Event(event, r)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
