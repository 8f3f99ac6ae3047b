package minietcd.kit.grading;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Where things are in a checkout of the kit: compiled classes of the kit, of each lab and of each solution. */
public record Layout(Path root) {
    /** The checkout named by the {@code minietcd.root} system property, else the working directory. */
    public static Layout current() {
        return new Layout(Path.of(System.getProperty("minietcd.root", ".")).toAbsolutePath().normalize());
    }

    /** The kit's classes and every library it runs with (written by the kit-grading build). */
    public List<Path> kitClasspath() {
        List<Path> cp = new ArrayList<>(List.of(root.resolve("kit/core/target/classes"), root.resolve("kit/server/target/classes"),
                root.resolve("kit/grading/target/classes")));
        Path file = root.resolve("kit/grading/target/classpath.txt");
        try {
            for (String entry : Files.readString(file).trim().split(java.io.File.pathSeparator)) if (!entry.isBlank()) cp.add(Path.of(entry));
        } catch (IOException e) {
            throw new UncheckedIOException("missing " + file + ": build the kit first (mvn -DskipTests test-compile)", e);
        }
        return cp;
    }

    public Path labSources(Lab lab) { return root.resolve("labs").resolve(lab.folder).resolve("src/main/java"); }
    public Path labClasses(Lab lab) { return root.resolve("labs").resolve(lab.folder).resolve("target/classes"); }
    public Path labTests(Lab lab) { return root.resolve("labs").resolve(lab.folder).resolve("target/test-classes"); }
    public Path solutionSources(Lab lab) { return root.resolve("solutions").resolve(lab.folder).resolve("src/main/java"); }
    public Path solutionClasses(Lab lab) { return root.resolve("solutions").resolve(lab.folder).resolve("target/classes"); }
    public Path hiddenTests(Lab lab) { return root.resolve("solutions").resolve(lab.folder).resolve("target/test-classes"); }
    public Path traces() { return root.resolve("traces"); }

    /** Whether this checkout has the reference solutions (the instructor's edition). */
    public boolean hasSolutions() {
        return Files.isDirectory(root.resolve("solutions"));
    }
}
