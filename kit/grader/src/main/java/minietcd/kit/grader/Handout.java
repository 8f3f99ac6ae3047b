package minietcd.kit.grader;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import minietcd.kit.testing.Lab;

/**
 * Makes the student edition from this one (the instructor's): the kit, the labs with their guides,
 * skeletons and visible tests, the learners' README, and each lab's reference classes compiled only,
 * as a module of {@code reference/} with the artifact the labs' tests depend on ({@code solution-N-name},
 * as in this edition). No solution sources, no hidden tests, none of the instructor's commands.
 *
 * <p>A lab left out ({@code without}) ships no reference classes: the labs whose tests build on it
 * depend on the learner's own module instead. No two labs build on each other (lab 1's scenarios
 * elect their leaders through the kit, not lab 2), so any labs may be left out.
 */
public final class Handout {
    /** Commands only the instructor's edition has. */
    public static final List<String> INSTRUCTOR_ONLY = List.of("sync-labs", "soak", "mutation", "handout");
    /** What stays behind: the solutions' sources and hidden tests, CI, the kit's integration tests, the maintainers' files. */
    static final List<String> LEFT_OUT = List.of("solutions/", ".ci/", "kit/handout/", "kit/integration-tests/", "BENCHMARKS.md", "CONTRIBUTING.md", "TESTING.md", "README.md", "jbang-catalog.json");

    private Handout() {}

    /** Writes the student edition into {@code dir} (which must be empty or absent); returns the files written. */
    public static int make(Layout layout, Path dir, Set<Lab> without) throws IOException {
        if (!layout.hasSolutions()) throw new IllegalStateException("a handout is made from the instructor's edition, which has solutions/; this checkout has none");
        for (Lab lab : Lab.values())
            if (!without.contains(lab) && !Files.isDirectory(layout.solutionClasses(lab)))
                throw new IllegalStateException("the reference classes of lab " + lab.number + " are not built (" + layout.solutionClasses(lab) + "): run mvn -DskipTests test-compile first");
        if (Files.exists(dir) && (!Files.isDirectory(dir) || isNotEmpty(dir)))
            throw new IllegalStateException(dir + " exists and is not empty: choose a new folder");
        Files.createDirectories(dir);
        int files = 0;
        for (String f : sourceFiles(layout)) {
            if (LEFT_OUT.stream().anyMatch(f::startsWith)) continue;
            Path from = layout.root().resolve(f);
            if (!Files.isRegularFile(from)) continue; // deleted in the work tree
            copy(from, dir.resolve(f));
            files++;
        }
        Files.writeString(dir.resolve("README.md"), readme(Files.readString(layout.root().resolve("kit/handout/README.md")), without));
        writeCatalog(layout.root().resolve("jbang-catalog.json"), dir.resolve("jbang-catalog.json"));
        files += 2;
        Path ignore = dir.resolve(".gitignore");
        Files.writeString(ignore, (Files.exists(ignore) ? Files.readString(ignore) : "") + "# the reference classes are shipped compiled\n!/reference/*/classes/**\n");
        List<Lab> shipped = Stream.of(Lab.values()).filter(l -> !without.contains(l)).toList();
        if (!shipped.isEmpty()) {
            Files.createDirectories(dir.resolve("reference"));
            Files.writeString(dir.resolve("reference/pom.xml"), aggregatorPom(shipped));
            for (Lab lab : shipped) {
                Path module = dir.resolve("reference").resolve(lab.folder);
                Files.createDirectories(module);
                Files.writeString(module.resolve("pom.xml"), referencePom(lab, kitDependencies(layout.root().resolve("solutions").resolve(lab.folder).resolve("pom.xml"))));
                files += copyTree(layout.solutionClasses(lab), module.resolve("classes")) + 1;
            }
        }
        for (Lab lab : Lab.values())
            for (Lab base : lab.buildsOn()) if (without.contains(base)) onTheLearnersLab(dir.resolve("labs").resolve(lab.folder).resolve("pom.xml"), base);
        for (Lab base : without) onTheLearnersLab(dir.resolve("web-tutorial/pom.xml"), base); // its tests' reference demos are then skipped, said why
        return files;
    }

    /** The module's pom depends on the learner's lab {@code base} where it depended on its reference classes. */
    private static void onTheLearnersLab(Path pom, Lab base) throws IOException {
        String text = Files.readString(pom);
        Files.writeString(pom, text.replace("<artifactId>solution-" + base.folder + "</artifactId>", "<artifactId>lab-" + base.folder + "</artifactId>"));
    }

    /** The learners' README, saying what an edition without some labs' reference classes means for the order of the labs. */
    static String readme(String text, Set<Lab> without) {
        if (without.isEmpty()) return text;
        String standAlone = "Each lab stands alone: the labs it builds on run on their\nreference classes (compiled, in `reference/`), so you may start at any lab.";
        if (!text.contains(standAlone)) throw new IllegalStateException("kit/handout/README.md no longer says which labs stand alone: update Handout.readme");
        List<Lab> left = Stream.of(Lab.values()).filter(without::contains).toList();
        List<String> after = new ArrayList<>();
        for (Lab lab : Lab.values())
            for (Lab base : lab.buildsOn()) if (without.contains(base)) after.add("lab " + lab.number + " runs on your lab " + base.number);
        String names = left.size() == 1 ? "lab " + left.get(0).number
                : "labs " + String.join(", ", left.subList(0, left.size() - 1).stream().map(l -> String.valueOf(l.number)).toList()) + " and " + left.get(left.size() - 1).number;
        return text.replace(standAlone, "This edition ships no reference classes for " + names + ": you build on your own.\n"
                + (after.isEmpty() ? "" : "So do the labs in order (" + String.join("; ", after) + "); the others ") + (after.isEmpty() ? "The labs " : "")
                + "run on their reference classes (compiled, in `reference/`).");
    }

    private static boolean isNotEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isPresent();
        }
    }

    /** The checkout's files: what git tracks or would (not ignored) where it is a git work tree, else every file outside build output. */
    static List<String> sourceFiles(Layout layout) throws IOException {
        Path root = layout.root();
        if (Files.isDirectory(root.resolve(".git"))) {
            try {
                Process p = new ProcessBuilder("git", "-C", root.toString(), "ls-files", "-z", "--cached", "--others", "--exclude-standard").redirectErrorStream(false).start();
                String listed = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                if (p.waitFor() == 0) return Stream.of(listed.split("\0")).filter(s -> !s.isEmpty()).toList();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while listing files", e);
            } catch (IOException e) {
                // no git on the PATH: walk the tree instead
            }
        }
        List<String> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                String rel = root.relativize(p).toString().replace('\\', '/');
                if (rel.startsWith(".git/") || rel.contains("/target/") || rel.startsWith("target/") || rel.startsWith("traces/") || rel.startsWith("progress/") || rel.startsWith("cluster-data/")) continue;
                out.add(rel);
            }
        }
        return out;
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        Files.copy(from, to, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
    }

    private static int copyTree(Path from, Path to) throws IOException {
        int n = 0;
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                copy(p, to.resolve(from.relativize(p).toString()));
                n++;
            }
        }
        return n;
    }

    private static void writeCatalog(Path from, Path to) throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode catalog = (ObjectNode) json.readTree(from.toFile());
        ObjectNode aliases = (ObjectNode) catalog.get("aliases");
        INSTRUCTOR_ONLY.forEach(aliases::remove);
        Files.writeString(to, json.writeValueAsString(catalog) + "\n");
    }

    private static String aggregatorPom(List<Lab> labs) {
        StringBuilder modules = new StringBuilder();
        for (Lab lab : labs) modules.append("    <module>").append(lab.folder).append("</module>\n");
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <project xmlns="http://maven.apache.org/POM/4.0.0"
                         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
                  <modelVersion>4.0.0</modelVersion>
                  <parent><groupId>dev.minietcd</groupId><artifactId>mini-etcd-lab-kit</artifactId><version>0.1.0-SNAPSHOT</version><relativePath>../pom.xml</relativePath></parent>
                  <artifactId>reference</artifactId>
                  <packaging>pom</packaging>
                  <name>reference: the labs' reference classes, compiled (no sources)</name>
                  <modules>
                %s  </modules>
                </project>
                """.formatted(modules);
    }

    /**
     * The kit modules a solution's pom names besides what every lab has (lab 5's kit-controlplane,
     * say), as dependency lines, so that its reference module brings them to the labs built on it.
     */
    static String kitDependencies(Path solutionPom) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (String line : Files.readAllLines(solutionPom))
            if (line.contains("<artifactId>kit-") && line.contains("<dependency>") && !line.contains("<scope>")) lines.append("    ").append(line.strip()).append('\n');
        return lines.toString();
    }

    private static String referencePom(Lab lab, String kitDependencies) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <project xmlns="http://maven.apache.org/POM/4.0.0"
                         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
                  <modelVersion>4.0.0</modelVersion>
                  <parent><groupId>dev.minietcd</groupId><artifactId>mini-etcd-lab-kit</artifactId><version>0.1.0-SNAPSHOT</version><relativePath>../../pom.xml</relativePath></parent>
                  <artifactId>solution-%1$s</artifactId>
                  <name>reference %1$s: lab %2$d's reference classes, compiled; the labs that build on it run their tests on them</name>
                  <dependencies>
                    <dependency><groupId>dev.minietcd</groupId><artifactId>kit-framework</artifactId></dependency>
                %3$s  </dependencies>
                  <build>
                    <!-- the classes are shipped compiled: the build copies them as they are -->
                    <resources><resource><directory>classes</directory></resource></resources>
                  </build>
                </project>
                """.formatted(lab.folder, lab.number, kitDependencies);
    }

    /** Makes the handout a git repository with one commit, so that it can be cloned and pushed as it is. */
    public static void commit(Path dir, PrintStream out) throws IOException, InterruptedException {
        List<List<String>> steps = List.of(List.of("git", "init", "-q", "-b", "main"), List.of("git", "add", "-A"),
                List.of("git", "-c", "user.name=mini-etcd lab kit", "-c", "user.email=handout@localhost", "commit", "-q", "-m", "The mini-etcd lab kit, student edition"));
        for (List<String> step : steps) {
            Process p;
            try {
                p = new ProcessBuilder(step).directory(dir.toFile()).redirectErrorStream(true).start();
            } catch (IOException e) {
                out.println("note: no git on the PATH, so the handout is a plain folder");
                return;
            }
            String said = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) throw new IOException(String.join(" ", step) + " failed: " + said);
        }
    }
}
