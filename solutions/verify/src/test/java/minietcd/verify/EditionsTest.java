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
    void eachLabsModuleDependsOnTheLabsItBuildsOn() throws java.io.IOException {
        Layout layout = Layout.current();
        java.util.regex.Pattern dependency = java.util.regex.Pattern.compile("<artifactId>solution-([0-9]+-[a-z]+)</artifactId>");
        for (Lab lab : Lab.values()) {
            String pom = java.nio.file.Files.readString(layout.root().resolve("labs").resolve(lab.folder).resolve("pom.xml"));
            java.util.List<String> named = dependency.matcher(pom).results().map(m -> m.group(1)).sorted().toList();
            assertThat(named).as("labs/" + lab.folder + "/pom.xml's test dependencies on reference classes: the labs Lab.buildsOn() names")
                    .isEqualTo(lab.buildsOn().stream().map(l -> l.folder).sorted().toList());
        }
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
