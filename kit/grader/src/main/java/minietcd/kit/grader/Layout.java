package minietcd.kit.grader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import minietcd.kit.testing.Lab;

/**
 * Where things are in a checkout of the kit, in either edition: the kit's compiled classes, each lab's
 * sources, classes and visible tests, and each lab's reference classes: built from {@code solutions/}
 * in the instructor's edition, shipped compiled under {@code reference/} in the student edition.
 */
public record Layout(Path root) {
    /** The checkout named by the {@code minietcd.root} system property, else the working directory. */
    public static Layout current() {
        return new Layout(Path.of(System.getProperty("minietcd.root", ".")).toAbsolutePath().normalize());
    }

    /**
     * What graded tests run with in their own JVM: the grader, the testing support, the framework and
     * their libraries, without a web server (written by the kit-grader build).
     */
    public List<Path> testClasspath() {
        return classpathOf("kit/grader");
    }

    /**
     * What the kit's commands and the member processes they start run with: every module of the
     * kit and its libraries (written by the kit-cli build).
     */
    public List<Path> runtimeClasspath() {
        return classpathOf("kit/cli");
    }

    /** PIT and its plugin for JUnit 5, for {@link MutationRun} (written by the kit-grader build). */
    public List<Path> mutationToolClasspath() {
        return entries(root.resolve("kit/grader/target/pitest-classpath.txt"), new ArrayList<>());
    }

    /** Where the grader's outputs go, under the kit's root: {@code grades/<what>}. */
    public Path grades(String what) {
        return root.resolve("grades").resolve(what);
    }

    private List<Path> classpathOf(String module) {
        return entries(root.resolve(module).resolve("target/classpath.txt"), new ArrayList<>(List.of(root.resolve(module).resolve("target/classes"))));
    }

    private static List<Path> entries(Path file, List<Path> cp) {
        try {
            for (String entry : Files.readString(file).trim().split(java.io.File.pathSeparator)) if (!entry.isBlank()) cp.add(Path.of(entry));
        } catch (IOException e) {
            throw new UncheckedIOException("missing " + file + ": build the kit first (mvn -DskipTests test-compile)", e);
        }
        return cp;
    }

    public Path labSources(Lab lab) { return root.resolve("labs").resolve(lab.folder).resolve("src/main/java"); }
    public Path labTestSources(Lab lab) { return root.resolve("labs").resolve(lab.folder).resolve("src/test/java"); }
    public Path labClasses(Lab lab) { return root.resolve("labs").resolve(lab.folder).resolve("target/classes"); }
    public Path labTests(Lab lab) { return root.resolve("labs").resolve(lab.folder).resolve("target/test-classes"); }
    public Path solutionSources(Lab lab) { return root.resolve("solutions").resolve(lab.folder).resolve("src/main/java"); }
    public Path solutionClasses(Lab lab) { return root.resolve("solutions").resolve(lab.folder).resolve("target/classes"); }
    public Path hiddenTests(Lab lab) { return root.resolve("solutions").resolve(lab.folder).resolve("target/test-classes"); }
    public Path traces() { return root.resolve("traces"); }
    /** The learner's progress database ({@link Progress}). */
    public Path progress() { return root.resolve("progress"); }
    /** Where the student edition keeps a lab's reference classes, compiled (see {@code ./jbang handout}). */
    public Path shippedReference(Lab lab) { return root.resolve("reference").resolve(lab.folder).resolve("classes"); }

    /** A lab's reference classes, or empty when this edition has none for it (a handout made without them). */
    public Optional<Path> referenceClasses(Lab lab) {
        if (Files.isRegularFile(root.resolve("solutions").resolve(lab.folder).resolve("pom.xml"))) return Optional.of(solutionClasses(lab));
        return Files.isDirectory(shippedReference(lab)) ? Optional.of(shippedReference(lab)) : Optional.empty();
    }

    /** Whether this checkout has the reference solutions' sources and the hidden tests (the instructor's edition). */
    public boolean hasSolutions() {
        return Files.isDirectory(root.resolve("solutions"));
    }
}
