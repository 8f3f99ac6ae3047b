package minietcd.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import minietcd.kit.grader.ForkedTests;
import minietcd.kit.testing.Lab;
import minietcd.kit.grader.Layout;
import minietcd.kit.grader.TestResult;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every graded test, visible or hidden, must fail on the untouched skeleton of its lab (with the
 * other labs' reference classes), through the same grader a learner uses. That they pass on the
 * solutions, surefire checks in this module directly.
 */
class HonestyTest {
    @TestFactory
    Stream<DynamicTest> everyGradedTestFailsOnTheSkeleton() {
        Layout layout = Layout.current();
        List<DynamicTest> checks = new ArrayList<>();
        for (Lab lab : Lab.values()) {
            List<Path> cp = new ArrayList<>(layout.testClasspath());
            cp.add(layout.labClasses(lab));
            for (Lab other : Lab.values()) if (other != lab) cp.add(layout.solutionClasses(other));
            ForkedTests tests = new ForkedTests(cp, List.of(layout.labTests(lab), layout.hiddenTests(lab)),
                    Map.of("minietcd.traceDir", System.getProperty("minietcd.traceDir", "target/traces")), 120);
            List<TestResult> results = tests.run(new ForkedTests.Selection(lab.number, List.of(), List.of()), r -> {});
            checks.add(DynamicTest.dynamicTest("lab " + lab.shortName + " has graded tests in every part", () ->
                    assertThat(results.stream().map(TestResult::part).distinct().sorted().toList()).isEqualTo(lab.parts)));
            for (TestResult r : results)
                checks.add(DynamicTest.dynamicTest("skeleton of lab " + lab.shortName + " fails " + r.name(), () ->
                        assertThat(r.passed()).as(r.name() + " passed on the untouched skeleton: it checks nothing the lab asks for").isFalse()));
        }
        return checks.stream();
    }
}
