package minietcd.verify;

import static org.assertj.core.api.Assertions.assertThat;

import minietcd.kit.grader.Editions;
import minietcd.kit.testing.Lab;
import minietcd.kit.grader.Layout;
import org.junit.jupiter.api.Test;

/** The labs' skeletons are made from the solutions: one source of truth. */
class EditionsTest {
    @Test
    void everySkeletonIsMadeFromItsSolution() {
        Layout layout = Layout.current();
        for (Lab lab : Lab.values())
            assertThat(Editions.differences(layout.solutionSources(lab), layout.labSources(lab)))
                    .as("labs/" + lab.folder + " out of step with solutions/" + lab.folder + ": run ./jbang sync-labs").isEmpty();
    }

    @Test
    void skeletonThrowsTheTodoAndKeepsStubs() {
        String solution = String.join("\n",
                "class A {",
                "    // BEGIN SOLUTION",
                "    private int x;",
                "    // END SOLUTION",
                "    int f() {",
                "        // TODO(lab 9 part Z): return \"x\"",
                "        // BEGIN SOLUTION",
                "        return x;",
                "        // END SOLUTION",
                "    }",
                "    int g() {",
                "        // BEGIN SOLUTION",
                "        // STUB: return 0;",
                "        return x + 1;",
                "        // END SOLUTION",
                "    }",
                "}");
        assertThat(Editions.skeleton(solution, "A.java")).isEqualTo(String.join("\n",
                "class A {",
                "    int f() {",
                "        // TODO(lab 9 part Z): return \"x\"",
                "        throw new UnsupportedOperationException(\"TODO(lab 9 part Z): return \\\"x\\\"\");",
                "    }",
                "    int g() {",
                "        return 0;",
                "    }",
                "}"));
    }
}
