package minietcd.kit.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import minietcd.kit.grader.ForkedTests;
import minietcd.kit.grader.LabChoice;
import minietcd.kit.grader.Layout;
import minietcd.kit.grader.MutationRun;
import minietcd.kit.grader.Progress;
import minietcd.kit.grader.Report;
import minietcd.kit.grader.TestResult;
import minietcd.kit.testing.Lab;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * An instructor's commands: {@code grade} (visible and hidden tests, the score per part),
 * {@code soak} (every graded test over many seeds) and {@code mutation} (how many of a lab's
 * mutants its graded tests catch).
 */
final class GradeCommands {
    private GradeCommands() {}

    @Command(name = "grade", mixinStandardHelpOptions = true, version = KitCli.VERSION,
            description = "Grades labs with their graded tests (the visible ones, and the hidden ones where this edition has them) and prints the score per part.")
    static final class GradeCommand implements Callable<Integer> {
        @Option(names = "--lab", description = "the lab to grade; repeatable (default: every lab)") List<String> labs = new ArrayList<>();
        @Option(names = "--submission", description = "another checkout of the kit whose labs/ to grade (default: this one)") Path submission;
        @Option(names = "--test", description = "only this test; repeatable") List<String> tests = new ArrayList<>();
        @Option(names = "--seeds", description = "how many seeds each scenario runs (default: the test's own)") Integer seeds;
        @Option(names = "--replay", description = "run one seed only, with its trace (use with --test)") Long replay;
        @Option(names = "--timeout", description = "a test's time limit in seconds (default ${DEFAULT-VALUE})") long timeout = 60;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            Layout layout = Layout.current();
            List<Lab> which = labs.isEmpty() ? List.of(Lab.values()) : labs.stream().map(n -> KitCli.lab(new CommandLine(this), n)).toList();
            if (submission != null)
                for (Lab lab : which)
                    if (!Files.isDirectory(submission.resolve("labs").resolve(lab.folder).resolve("src/main/java")))
                        throw new CommandLine.ParameterException(spec.commandLine(), "--submission " + submission + " is not a checkout of the kit: it has no labs/"
                                + lab.folder + "/src/main/java (give the folder that holds labs/, or --lab for the labs it has)");
            int earned = 0, possible = 0;
            for (Lab lab : which) {
                List<Path> cp = new ArrayList<>(layout.testClasspath());
                Path classes = submission == null ? layout.labClasses(lab) : compile(layout, lab, submission);
                LabChoice choice = LabChoice.reference(layout);
                for (Lab l : Lab.values()) cp.add(l == lab ? classes : choice.classes(l));
                List<Path> roots = new ArrayList<>(List.of(layout.labTests(lab)));
                if (Files.isDirectory(layout.hiddenTests(lab))) roots.add(layout.hiddenTests(lab));
                if (which.size() == 1) KitCli.checkTests(new CommandLine(this), cp, roots, lab, tests);
                System.out.println("Grading lab " + lab.number + " (" + lab.shortName + ") of " + (submission == null ? layout.root() : submission.toAbsolutePath().normalize()));
                List<TestResult> results = KitCli.run(new CommandLine(this), layout, cp, roots, new ForkedTests.Selection(lab.number, List.of(), tests), seeds, replay, timeout);
                int[] score = Report.print(System.out, lab, results);
                if (submission == null) new Progress(layout.progress()).recordQuietly(Progress.Result.of("grade", lab.number, results, !tests.isEmpty() || seeds != null || replay != null), System.out);
                earned += score[0];
                possible += score[1];
            }
            if (possible == 0 && !tests.isEmpty())
                throw new CommandLine.ParameterException(new CommandLine(this), "no lab has a test named " + String.join(" or ", tests) + " (./jbang grade --lab N --test X lists lab N's tests)");
            System.out.printf("%nScore: %d/%d%n", earned, possible);
            return 0;
        }
    }

    @Command(name = "mutation", mixinStandardHelpOptions = true, version = KitCli.VERSION,
            description = "Measures the graded tests' strength: mutates each lab's reference classes (PIT) and counts the mutants its visible and hidden tests catch.")
    static final class MutationCommand implements Callable<Integer> {
        /** The bar: the graded tests catch at least this share of a lab's non-equivalent mutants. */
        static final double BAR = 90;

        @Option(names = "--lab", description = "only this lab; repeatable (default: every lab)") List<String> labs = new ArrayList<>();
        @Option(names = "--threads", description = "mutants tested at once (default ${DEFAULT-VALUE})") int threads = 2;
        @Option(names = "--verbose", description = "print PIT's own output") boolean verbose;

        @Override
        public Integer call() throws IOException, InterruptedException {
            Layout layout = Layout.current();
            if (!layout.hasSolutions()) throw new CommandLine.ParameterException(new CommandLine(this), "mutation needs the instructor's edition: the reference solutions and their hidden tests");
            List<Lab> which = labs.isEmpty() ? List.of(Lab.values()) : labs.stream().map(n -> KitCli.lab(new CommandLine(this), n)).toList();
            boolean allMet = true;
            for (Lab lab : which) {
                long start = System.nanoTime();
                System.out.println("Mutation: lab " + lab.number + " (" + lab.shortName + "), its graded tests against mutants of its reference classes...");
                MutationRun run = new MutationRun(layout, lab, threads);
                MutationRun.Result r = run.run(verbose ? System.out::println : line -> {});
                boolean met = r.score() >= BAR;
                allMet &= met;
                System.out.printf("  %d mutants, %d equivalent (listed in solutions/%s/equivalent-mutants.txt), %d caught, %d not: %.1f%% caught (bar %.0f%%: %s) in %.0f s%n",
                        r.mutants().size(), r.mutants().size() - r.counted().size(), lab.folder, r.detected(), r.undetected().size(), r.score(), BAR,
                        met ? "met" : "missed", (System.nanoTime() - start) / 1e9);
                for (MutationRun.Mutant m : r.undetected()) System.out.println("    not caught: " + m);
                for (MutationRun.Mutant m : r.caughtButListed()) System.out.println("    listed as equivalent, but caught (take it off the list): " + m);
                System.out.println("  report: " + layout.root().relativize(run.reportDir().resolve("index.html")));
            }
            return allMet ? 0 : 1;
        }
    }

    @Command(name = "soak", mixinStandardHelpOptions = true, version = KitCli.VERSION,
            description = "Runs every graded test, visible and hidden, on the reference solutions over many seeds, and counts failures.")
    static final class SoakCommand implements Callable<Integer> {
        @Option(names = "--seeds", description = "seeds per scenario (default ${DEFAULT-VALUE})") int seeds = 10_000;
        @Option(names = "--lab", description = "only this lab; repeatable (default: every lab)") List<String> labs = new ArrayList<>();

        @Override
        public Integer call() {
            Layout layout = Layout.current();
            List<Path> cp = new ArrayList<>(layout.testClasspath());
            List<Path> roots = new ArrayList<>();
            if (!layout.hasSolutions()) throw new CommandLine.ParameterException(new CommandLine(this), "soak needs the instructor's edition: the reference solutions and their hidden tests");
            for (Lab lab : Lab.values()) {
                cp.add(layout.solutionClasses(lab));
                roots.add(layout.labTests(lab));
                roots.add(layout.hiddenTests(lab));
            }
            List<Lab> which = labs.isEmpty() ? List.of(Lab.values()) : labs.stream().map(n -> KitCli.lab(new CommandLine(this), n)).toList();
            int failures = 0, tests = 0;
            long start = System.nanoTime();
            for (Lab lab : which) {
                System.out.println("Soak: lab " + lab.number + " (" + lab.shortName + ") on the reference solutions, " + seeds + " seeds per scenario");
                List<TestResult> results = KitCli.run(new CommandLine(this), layout, cp, roots, new ForkedTests.Selection(lab.number, List.of(), List.of()), seeds, null, 24 * 3600);
                tests += results.size();
                failures += (int) results.stream().filter(r -> !r.passed()).count();
            }
            System.out.printf("%nSoak: %d tests x %d seeds, %d failed, %.0f s%n", tests, seeds, failures, (System.nanoTime() - start) / 1e9);
            return failures == 0 ? 0 : 1;
        }
    }

    /** Compiles a submission's lab sources against the kit; returns the folder of classes. */
    static Path compile(Layout layout, Lab lab, Path submission) throws IOException {
        Path sources = submission.resolve("labs").resolve(lab.folder).resolve("src/main/java");
        if (!Files.isDirectory(sources)) throw new IllegalStateException("the submission has no " + sources);
        Path out = Files.createTempDirectory("minietcd-" + lab.shortName + "-");
        List<String> files;
        try (Stream<Path> walk = Files.walk(sources)) {
            files = walk.filter(f -> f.toString().endsWith(".java")).map(Path::toString).toList();
        }
        List<String> args = new ArrayList<>(List.of("--release", "17", "-nowarn", "-d", out.toString(), "-cp",
                String.join(java.io.File.pathSeparator, layout.testClasspath().stream().map(Path::toString).toList())));
        args.addAll(files);
        java.io.ByteArrayOutputStream errors = new java.io.ByteArrayOutputStream();
        var compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) throw new IllegalStateException("grading a submission needs a JDK (javac), not a JRE");
        boolean ok = compiler.run(null, errors, errors, args.toArray(String[]::new)) == 0;
        if (!ok) System.out.println("The submission's lab " + lab.number + " does not compile; every test of it scores 0:\n" + errors);
        return out;
    }
}
