package minietcd.kit.grader;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import minietcd.kit.testing.Lab;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * How strong a lab's graded tests are: PIT mutates the lab's reference classes one small change at
 * a time and runs the lab's graded tests, visible and hidden, against each mutant; a mutant the
 * tests let pass is a bug a learner could hand in with full marks. The tests run with their own
 * fixed seeds, so a run's result is reproducible.
 *
 * <p>Mutants that change nothing a test could see (equivalent ones) are listed, each with the
 * reason, in the lab's {@code solutions/N-name/equivalent-mutants.txt}: one per line,
 * {@code File.java:line Mutator: what changed | why} (as a run prints the mutants it did not
 * catch); they are left out of the score.
 *
 * @param threads how many mutants are tested at once
 */
public record MutationRun(Layout layout, Lab lab, int threads) {
    /** One mutant: where, what, and what became of it (KILLED, SURVIVED, TIMED_OUT, NO_COVERAGE, ...). */
    public record Mutant(String file, int line, String method, String mutator, String description, String status, String killedBy) {
        /** Whether the tests noticed it (a timeout is noticed: the learner's code would hang). */
        public boolean detected() {
            return status.equals("KILLED") || status.equals("TIMED_OUT") || status.equals("MEMORY_ERROR") || status.equals("RUN_ERROR");
        }

        /** {@code File.java:line Mutator: what changed}: how equivalent-mutants.txt names it. */
        public String key() {
            return file + ":" + line + " " + mutator + ": " + description;
        }

        @Override
        public String toString() {
            return key() + " (in " + method + ", " + status.toLowerCase().replace('_', ' ') + ")";
        }
    }

    /** What a run found. */
    public record Result(List<Mutant> mutants, Set<String> equivalent) {
        public List<Mutant> counted() { return mutants.stream().filter(m -> !equivalent.contains(m.key())).toList(); }
        /** Mutants listed as equivalent that the tests catch all the same: the list is wrong about them. */
        public List<Mutant> caughtButListed() { return mutants.stream().filter(m -> equivalent.contains(m.key()) && m.detected()).toList(); }
        public List<Mutant> undetected() { return counted().stream().filter(m -> !m.detected()).toList(); }
        public long detected() { return counted().stream().filter(Mutant::detected).count(); }

        /** Detected mutants over the non-equivalent ones, in percent. */
        public double score() {
            List<Mutant> counted = counted();
            return counted.isEmpty() ? 100 : 100.0 * detected() / counted.size();
        }
    }

    /** Where PIT writes its reports for the lab. */
    public Path reportDir() {
        return layout.grades("mutation").resolve(lab.folder);
    }

    /** Runs PIT in a JVM of its own, its output lines to {@code output}, and reads its result. */
    public Result run(Consumer<String> output) throws IOException, InterruptedException {
        List<Path> classpath = new ArrayList<>();
        for (Lab l : Lab.values()) classpath.add(layout.solutionClasses(l));
        classpath.add(layout.labTests(lab));
        classpath.add(layout.hiddenTests(lab));
        classpath.addAll(layout.testClasspath());
        List<Path> tool = new ArrayList<>(layout.mutationToolClasspath());
        tool.addAll(classpath);
        Files.createDirectories(reportDir());
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", join(tool),
                "org.pitest.mutationtest.commandline.MutationCoverageReport",
                "--reportDir", reportDir().toString(),
                "--targetClasses", String.join(",", classNames(layout.solutionClasses(lab), true)),
                "--targetTests", String.join(",", testClasses()),
                "--sourceDirs", layout.solutionSources(lab).toString(),
                "--classPath", join(classpath),
                "--threads", String.valueOf(threads),
                "--outputFormats", "XML,HTML",
                "--timestampedReports=false");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (var lines = p.inputReader().lines()) {
            lines.forEach(output);
        }
        int exit = p.waitFor();
        if (exit != 0) throw new IOException("PIT exited with " + exit);
        return new Result(read(reportDir().resolve("mutations.xml")), equivalent());
    }

    /** The mutants of a PIT XML report. */
    public static List<Mutant> read(Path mutationsXml) {
        try {
            var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(mutationsXml.toFile());
            NodeList nodes = doc.getElementsByTagName("mutation");
            List<Mutant> out = new ArrayList<>();
            for (int i = 0; i < nodes.getLength(); i++) {
                Element m = (Element) nodes.item(i);
                String mutator = text(m, "mutator");
                out.add(new Mutant(text(m, "sourceFile"), Integer.parseInt(text(m, "lineNumber")), text(m, "mutatedMethod"),
                        mutator.substring(mutator.lastIndexOf('.') + 1), text(m, "description"), m.getAttribute("status"), text(m, "killingTest")));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + mutationsXml + ": " + e.getMessage(), e);
        }
    }

    /** The keys of the lab's equivalent mutants (see the class comment). */
    public Set<String> equivalent() throws IOException {
        Path file = layout.root().resolve("solutions").resolve(lab.folder).resolve("equivalent-mutants.txt");
        Set<String> keys = new TreeSet<>();
        if (!Files.exists(file)) return keys;
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank() || line.startsWith("#")) continue;
            int bar = line.indexOf('|');
            if (bar < 0) throw new IllegalArgumentException(file + ": '" + line + "' gives no reason (File.java:line Mutator: what changed | why)");
            keys.add(line.substring(0, bar).strip());
        }
        return keys;
    }

    private List<String> testClasses() throws IOException {
        List<String> tests = new ArrayList<>(classNames(layout.labTests(lab), false));
        tests.addAll(classNames(layout.hiddenTests(lab), false));
        return tests;
    }

    /** The top-level classes compiled in {@code dir}, each with {@code *} after it when {@code nested} (its nested classes too). */
    private static List<String> classNames(Path dir, boolean nested) throws IOException {
        if (!Files.isDirectory(dir)) throw new IOException(dir + " does not exist: build the kit first (mvn -DskipTests test-compile)");
        try (Stream<Path> files = Files.walk(dir)) {
            return files.map(f -> dir.relativize(f).toString()).filter(f -> f.endsWith(".class") && !f.contains("$"))
                    .map(f -> f.substring(0, f.length() - ".class".length()).replace(File.separatorChar, '.') + (nested ? "*" : ""))
                    .sorted().toList();
        }
    }

    private static String text(Element e, String tag) {
        NodeList n = e.getElementsByTagName(tag);
        return n.getLength() == 0 ? "" : n.item(0).getTextContent();
    }

    private static String join(List<Path> paths) {
        return String.join(File.pathSeparator, paths.stream().map(Path::toString).toList());
    }
}
