package minietcd.kit.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import minietcd.kit.bench.SimBench;
import minietcd.kit.bench.StoreBench;
import minietcd.kit.grader.Editions;
import minietcd.kit.grader.ForkedTests;
import minietcd.kit.grader.Handout;
import minietcd.kit.grader.LabChoice;
import minietcd.kit.grader.Layout;
import minietcd.kit.grader.Report;
import minietcd.kit.grader.TestResult;
import minietcd.kit.testing.Lab;

/**
 * The kit's commands: {@code lab} (a learner's self-check), {@code grade} (an instructor's grading),
 * {@code sync-labs}, {@code soak}, {@code bench}, {@code serve} (one member's gateway) and
 * {@code kvctl} (the etcdctl-style client, which gets every argument after its name as is).
 */
@Command(name = "kit", mixinStandardHelpOptions = true, description = "The mini-etcd lab kit.",
        subcommands = {KitCli.StartCommand.class, KitCli.LabCommand.class, KitCli.GradeCommand.class, KitCli.SyncLabsCommand.class, KitCli.HandoutCommand.class, KitCli.SoakCommand.class, KitCli.BenchCommand.class, KitCli.ServeCommand.class,
                KitCli.KvctlCommand.class, ClusterCli.class, KitCli.VersusCommand.class, KitCli.WatchBenchCommand.class})
public final class KitCli {
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The kit's command line as {@link #main} runs it: {@code kvctl} takes every argument after its name as is. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new KitCli()).setExpandAtFiles(false); // "@x" is a key to kvctl, not a file of arguments
        cli.getSubcommands().get("kvctl").setStopAtUnmatched(true);
        cli.getSubcommands().get("versus").setStopAtUnmatched(true); // its options are the benchmark's own
        cli.getSubcommands().get("watch-bench").setStopAtUnmatched(true);
        cli.setParameterExceptionHandler((e, args) -> { // the message, not a page of usage
            var err = e.getCommandLine().getErr();
            err.println(e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
            err.println("(" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help lists the options)");
            return 2;
        });
        return cli;
    }

    @Command(name = "start", mixinStandardHelpOptions = true, description = "A guided start: what the labs are, then the first lab's self-check.")
    static final class StartCommand implements Callable<Integer> {
        @Override
        public Integer call() {
            System.out.println("""
                    mini-etcd lab kit: rebuild the store under Kubernetes, one lab at a time.

                    Every lab runs your classes on a deterministic simulator: one seed replays a whole run,
                    and a failure names the rule that broke, the seed, and the command that replays it.
                    Each lab stands alone (the other labs' classes come from the reference solutions).
                    """);
            System.out.printf("  %-4s %-10s %-22s %-18s %s%n", "lab", "name", "guide", "self-check", "what you build");
            for (Lab lab : Lab.values())
                System.out.printf("  %-4d %-10s %-22s %-18s %s%n", lab.number, lab.shortName, "labs/" + lab.folder + "/README.md", "./jbang lab-" + lab.shortName, lab.title);
            System.out.println("\nHere is lab 1's self-check on the code as it is now: everything fails until you fill in the TODOs.\n");
            LabCommand first = new LabCommand();
            first.name = Lab.LOG.shortName;
            first.call();
            return 0;
        }
    }

    @Command(name = "lab", mixinStandardHelpOptions = true,
            description = "Runs a lab's self-check on your classes; the other labs' classes come from the reference solutions.")
    static final class LabCommand implements Callable<Integer> {
        @Parameters(index = "0", description = "the lab: log, election, mvcc, watch (or its number)") String name;
        @Option(names = "--part", description = "only this part (A, B, C, D); repeatable") List<String> parts = new ArrayList<>();
        @Option(names = "--test", description = "only this test (method or Class.method); repeatable") List<String> tests = new ArrayList<>();
        @Option(names = "--seeds", description = "how many seeds each scenario runs (default: the test's own)") Integer seeds;
        @Option(names = "--replay", description = "run one seed only, with its trace (use with --test)") Long replay;
        @Option(names = "--capstone", description = "use your own classes for every other lab too") boolean capstone;
        @Option(names = "--mine", paramLabel = "LABS", description = "use your own classes for these other labs too, e.g. --mine 2 or --mine 3,4") String mine;
        @Option(names = "--hidden", description = "also run the instructor's hidden tests, if this checkout has them") boolean hidden;
        @Option(names = "--timeout", description = "a test's time limit in seconds (default ${DEFAULT-VALUE})") long timeout = 60;

        @Override
        public Integer call() {
            Layout layout = Layout.current();
            Lab lab = lab(name);
            CommandLine self = new CommandLine(this);
            if (replay != null && tests.isEmpty()) throw new CommandLine.ParameterException(self, "--replay needs --test: the failure message prints the whole command");
            for (String part : parts)
                if (!lab.parts.contains(part.toUpperCase()))
                    throw new CommandLine.ParameterException(self, "lab " + lab.number + " has no part '" + part + "'; its parts are " + String.join(", ", lab.parts));
            java.util.Set<Lab> own = capstone ? java.util.EnumSet.allOf(Lab.class) : mineOption(self, mine);
            own.add(lab);
            LabChoice choice = new LabChoice(layout, own);
            List<Path> cp = new ArrayList<>(layout.testClasspath());
            cp.addAll(choice.classes(List.of(Lab.values())));
            List<Path> roots = new ArrayList<>(List.of(layout.labTests(lab)));
            if ((hidden || !tests.isEmpty()) && Files.isDirectory(layout.hiddenTests(lab))) roots.add(layout.hiddenTests(lab));
            List<Lab> others = java.util.Arrays.stream(Lab.values()).filter(l -> l != lab).toList();
            System.out.println("Lab " + lab.number + " (" + lab.shortName + ") self-check: your classes in labs/" + lab.folder + "/src/main/java; the other labs: "
                    + String.join(", ", others.stream().map(l -> l.number + " " + (choice.isMine(l) ? "yours" : "reference")).toList()) + ".");
            choice.notes().forEach(n -> System.out.println("Note: " + n + "."));
            choice.unfinished(others).forEach(n -> System.out.println("Note: " + n + "; tests that need it fail on its TODO."));
            if (!tests.isEmpty()) {
                List<String> unknown = unknownTests(layout, cp, roots, lab);
                if (!unknown.isEmpty()) throw new CommandLine.ParameterException(self, unknown.get(0));
            }
            List<TestResult> results = run(layout, cp, roots, new ForkedTests.Selection(lab.number, parts, tests), seeds, replay, timeout);
            Report.print(System.out, lab, results);
            nextStep(layout, lab, results, !parts.isEmpty() || !tests.isEmpty());
            return results.stream().allMatch(TestResult::passed) && !results.isEmpty() ? 0 : 1;
        }

        /** An error for the first --test that names no graded test of the lab, listing the ones there are; empty if all exist. */
        private List<String> unknownTests(Layout layout, List<Path> cp, List<Path> roots, Lab lab) {
            List<TestResult> all = new ForkedTests(cp, roots.stream().filter(Files::isDirectory).toList(), java.util.Map.of(), timeout)
                    .plan(new ForkedTests.Selection(lab.number, List.of(), List.of()));
            List<String> out = new ArrayList<>();
            for (String t : tests)
                if (all.stream().noneMatch(r -> r.name().equals(t) || r.name().endsWith("." + t)))
                    out.add("lab " + lab.number + " has no test '" + t + "'; its tests are:\n  "
                            + String.join("\n  ", all.stream().map(r -> r.name() + " (part " + r.part() + ")").toList()));
            return out;
        }
    }

    /** The labs a {@code --mine} option names, or a clear error. */
    static java.util.Set<Lab> mineOption(CommandLine cli, String value) {
        try {
            return LabChoice.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cli, e.getMessage());
        }
    }

    @Command(name = "grade", mixinStandardHelpOptions = true,
            description = "Grades labs with the visible and the hidden tests and prints the score per part.")
    static final class GradeCommand implements Callable<Integer> {
        @Option(names = "--lab", description = "the lab to grade; repeatable (default: every lab)") List<String> labs = new ArrayList<>();
        @Option(names = "--submission", description = "another checkout of the kit whose labs/ to grade (default: this one)") Path submission;
        @Option(names = "--test", description = "only this test; repeatable") List<String> tests = new ArrayList<>();
        @Option(names = "--seeds", description = "how many seeds each scenario runs (default: the test's own)") Integer seeds;
        @Option(names = "--replay", description = "run one seed only, with its trace (use with --test)") Long replay;
        @Option(names = "--timeout", description = "a test's time limit in seconds (default ${DEFAULT-VALUE})") long timeout = 60;

        @Override
        public Integer call() throws IOException {
            Layout layout = Layout.current();
            List<Lab> which = labs.isEmpty() ? List.of(Lab.values()) : labs.stream().map(KitCli::lab).toList();
            int earned = 0, possible = 0;
            for (Lab lab : which) {
                List<Path> cp = new ArrayList<>(layout.testClasspath());
                Path classes = submission == null ? layout.labClasses(lab) : compile(layout, lab, submission);
                LabChoice choice = LabChoice.reference(layout);
                for (Lab l : Lab.values()) cp.add(l == lab ? classes : choice.classes(l));
                List<Path> roots = new ArrayList<>(List.of(layout.labTests(lab)));
                if (Files.isDirectory(layout.hiddenTests(lab))) roots.add(layout.hiddenTests(lab));
                System.out.println("Grading lab " + lab.number + " (" + lab.shortName + ") of " + (submission == null ? layout.root() : submission.toAbsolutePath().normalize()));
                int[] score = Report.print(System.out, lab, run(layout, cp, roots, new ForkedTests.Selection(lab.number, List.of(), tests), seeds, replay, timeout));
                earned += score[0];
                possible += score[1];
            }
            System.out.printf("%nScore: %d/%d%n", earned, possible);
            return 0;
        }
    }

    @Command(name = "sync-labs", mixinStandardHelpOptions = true,
            description = {"Makes the labs' skeletons from the reference solutions (the one source of truth); for the kit's maintainers.",
                    "A lab file with changes not yet committed (a learner's work) is left alone unless --force."})
    static final class SyncLabsCommand implements Callable<Integer> {
        @Option(names = "--check", description = "only report skeletons that are out of step; exit 1 if any") boolean check;
        @Option(names = "--force", description = "overwrite lab files even if they hold uncommitted changes") boolean force;

        @Override
        public Integer call() throws IOException {
            Layout layout = Layout.current();
            if (!layout.hasSolutions()) {
                System.err.println("sync-labs makes the skeletons from solutions/, which only the instructor's edition has; nothing to do here.");
                return 2;
            }
            int problems = 0;
            List<Path> kept = new ArrayList<>();
            for (Lab lab : Lab.values()) {
                if (check) {
                    List<String> diffs = Editions.differences(layout.solutionSources(lab), layout.labSources(lab));
                    diffs.forEach(System.out::println);
                    problems += diffs.size();
                } else {
                    java.util.Set<Path> edited = force ? java.util.Set.of() : Editions.uncommitted(layout.root(), layout.labSources(lab));
                    Editions.write(layout.solutionSources(lab), layout.labSources(lab), edited, kept).forEach(f -> System.out.println("wrote " + layout.root().relativize(f)));
                }
            }
            for (Path f : kept) System.out.println("kept " + layout.root().relativize(f) + ": it has uncommitted changes (someone's work); --force overwrites it");
            if (check && problems == 0) System.out.println("every lab skeleton is in step with its solution");
            return problems == 0 && kept.isEmpty() ? 0 : 1;
        }
    }

    @Command(name = "handout", mixinStandardHelpOptions = true,
            description = {"Makes the student edition in DIR: the kit, the labs (skeletons, guides, visible tests), the learners' README,",
                    "and the labs' reference classes compiled only; no solution sources, no hidden tests. DIR becomes a git repository."})
    static final class HandoutCommand implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DIR", description = "a new or empty folder") Path dir;
        @Option(names = "--without", paramLabel = "LABS", description = "ship no reference classes for these labs (e.g. 1,2): learners build on their own") String without;

        @Override
        public Integer call() throws Exception {
            Layout layout = Layout.current();
            java.util.Set<Lab> left = mineOption(new CommandLine(this), without);
            Path target = dir.toAbsolutePath().normalize();
            int files;
            try {
                files = Handout.make(layout, target, left, System.out);
            } catch (IllegalStateException e) {
                System.err.println("handout: " + e.getMessage());
                return 2;
            }
            Handout.commit(target, System.out);
            System.out.println("Wrote the student edition to " + target + " (" + files + " files"
                    + (left.isEmpty() ? "" : "; no reference classes for lab " + String.join(", ", left.stream().map(l -> String.valueOf(l.number)).toList())) + ").");
            System.out.println("Learners start there with ./jbang start; its README says the rest.");
            return 0;
        }
    }

    @Command(name = "soak", mixinStandardHelpOptions = true,
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
            List<Lab> which = labs.isEmpty() ? List.of(Lab.values()) : labs.stream().map(KitCli::lab).toList();
            int failures = 0, tests = 0;
            long start = System.nanoTime();
            for (Lab lab : which) {
                System.out.println("Soak: lab " + lab.number + " (" + lab.shortName + ") on the reference solutions, " + seeds + " seeds per scenario");
                List<TestResult> results = run(layout, cp, roots, new ForkedTests.Selection(lab.number, List.of(), List.of()), seeds, null, 24 * 3600);
                tests += results.size();
                failures += (int) results.stream().filter(r -> !r.passed()).count();
            }
            System.out.printf("%nSoak: %d tests x %d seeds, %d failed, %.0f s%n", tests, seeds, failures, (System.nanoTime() - start) / 1e9);
            return failures == 0 ? 0 : 1;
        }
    }

    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = "Runs one member answering etcd 3.4's HTTP/JSON API on 127.0.0.1 (etcd's curl examples work), over labs 3 and 4.")
    static final class ServeCommand implements Callable<Integer> {
        @Option(names = "--port", description = "client port (default ${DEFAULT-VALUE})") int port = 2379;
        @Option(names = "--data-dir", description = "keep the store in H2 files here (default: in memory)") Path dataDir;
        @Option(names = "--mine", paramLabel = "LABS", arity = "0..1", fallbackValue = "3,4",
                description = "use your own classes for these labs (of 3 and 4; --mine alone: both) instead of the reference solutions") String mine;

        @Override
        public Integer call() throws Exception {
            Layout layout = Layout.current();
            LabChoice choice = new LabChoice(layout, mineOption(new CommandLine(this), mine));
            List<String> unfinished = choice.unfinished(List.of(Lab.MVCC, Lab.WATCH));
            if (!unfinished.isEmpty()) {
                unfinished.forEach(u -> System.err.println(u + "."));
                System.err.println("The member needs labs 3 and 4: finish them, or leave them to the reference classes (--mine names the labs that are yours).");
                return 1;
            }
            List<String> cp = new ArrayList<>();
            layout.runtimeClasspath().forEach(p -> cp.add(p.toString()));
            for (Lab lab : List.of(Lab.MVCC, Lab.WATCH)) cp.add(choice.classes(lab).toString());
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    String.join(java.io.File.pathSeparator, cp), "minietcd.kit.server.SingleMember", "--port", String.valueOf(port)));
            if (dataDir != null) { cmd.add("--data-dir"); cmd.add(dataDir.toAbsolutePath().toString()); }
            System.out.println("One member over " + String.join(" and ", List.of(Lab.MVCC, Lab.WATCH).stream().map(l -> (choice.isMine(l) ? "your" : "the reference") + " lab " + l.number).toList()) + " classes"
                    + "; try: curl -L http://127.0.0.1:" + port + "/v3/kv/put -X POST -d '{\"key\": \"Zm9v\", \"value\": \"YmFy\"}'");
            Process p = new ProcessBuilder(cmd).inheritIO().start();
            Runtime.getRuntime().addShutdownHook(new Thread(p::destroy));
            return p.waitFor();
        }
    }

    @Command(name = "kvctl", description = "An etcdctl-style client for any etcd 3.4 HTTP/JSON gateway (./jbang serve, or a real etcd); try kvctl --help.")
    static final class KvctlCommand implements Callable<Integer> {
        /** Everything after {@code kvctl}, options included: the command stops parsing at its first argument (see {@link KitCli#commandLine()}). */
        @CommandLine.Unmatched List<String> args = new ArrayList<>();

        @Override
        public Integer call() {
            return minietcd.kit.kvctl.KvCtl.run(args.toArray(String[]::new), System.in, System.out, System.err);
        }
    }

    @Command(name = "versus", description = {"Runs etcd 3.4.23 (installed from Debian's etcd-server if absent) and then this kit's cluster under the same load,",
            "and prints one table; try versus --help. Without a command after --, ours is ./jbang cluster over the reference solutions."})
    static final class VersusCommand implements Callable<Integer> {
        @CommandLine.Unmatched List<String> args = new ArrayList<>();

        @Override
        public Integer call() {
            return new CommandLine(new minietcd.kit.bench.VersusMain()).execute(withOurCluster(args));
        }

        /** The arguments, with our cluster's command line after {@code --} unless one is given. */
        static String[] withOurCluster(List<String> args) {
            List<String> all = new ArrayList<>(args);
            if (!all.contains("--") && !all.contains("--help") && !all.contains("-h")) {
                Layout layout = Layout.current();
                all.addAll(List.of("--", Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", ClusterCli.classpath(layout, LabChoice.reference(layout)),
                        "-Dminietcd.root=" + layout.root(), KitCli.class.getName(), "cluster", "--members", "{members}", "--data-dir", "{dir}", "--fresh",
                        "--base-port", "4379"));
            }
            return all.toArray(String[]::new);
        }
    }

    @Command(name = "watch-bench", description = {"Runs etcd 3.4.23 and then one member of ours, each alone and then with N idle watch streams open,",
            "and prints put and range figures for both; try watch-bench --help. Without a command after --, ours is ./jbang cluster over the reference solutions."})
    static final class WatchBenchCommand implements Callable<Integer> {
        @CommandLine.Unmatched List<String> args = new ArrayList<>();

        @Override
        public Integer call() {
            return new CommandLine(new minietcd.kit.bench.WatchBenchMain()).execute(VersusCommand.withOurCluster(args));
        }
    }

    @Command(name = "bench", mixinStandardHelpOptions = true, description = "Measures the simulator and the store with the reference solutions.")
    static final class BenchCommand implements Callable<Integer> {
        @Option(names = "--sim-seconds", description = "simulated seconds for the idle cluster (default ${DEFAULT-VALUE})") long simSeconds = 3_600;

        @Override
        public Integer call() throws Exception {
            Layout layout = Layout.current();
            List<String> cp = new ArrayList<>();
            layout.runtimeClasspath().forEach(p -> cp.add(p.toString()));
            for (Lab lab : Lab.values()) cp.add(LabChoice.reference(layout).classes(lab).toString());
            for (String main : List.of(SimBench.class.getName(), StoreBench.class.getName())) {
                Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC", "-cp",
                        String.join(java.io.File.pathSeparator, cp), main, String.valueOf(simSeconds)).inheritIO().start();
                if (p.waitFor() != 0) return p.exitValue();
            }
            return 0;
        }
    }

    static Lab lab(String name) {
        return Lab.byName(name).orElseThrow(() -> new CommandLine.ParameterException(new CommandLine(new KitCli()),
                "no lab '" + name + "'; the labs are: " + String.join(", ", Stream.of(Lab.values()).map(l -> l.shortName).toList())));
    }

    static List<TestResult> run(Layout layout, List<Path> cp, List<Path> roots, ForkedTests.Selection selection, Integer seeds, Long replay, long timeout) {
        Map<String, String> props = new TreeMap<>();
        props.put("minietcd.traceDir", layout.traces().toString());
        if (seeds != null) props.put("minietcd.seeds", String.valueOf(seeds));
        if (replay != null) props.put("minietcd.replay", String.valueOf(replay));
        List<Path> existing = roots.stream().filter(Files::isDirectory).toList();
        if (existing.isEmpty()) throw new IllegalStateException("no compiled tests in " + roots + ": build first (mvn -DskipTests test-compile)");
        return new ForkedTests(cp, existing, props, timeout).run(selection, r -> Report.progress(System.out, r));
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

    private static final java.util.regex.Pattern TODO_TAG = java.util.regex.Pattern.compile("TODO\\(lab (\\d+) part ([A-Z])\\)");

    /**
     * After a self-check, points the learner at the first thing to do: the first failing part's
     * places that still throw their TODO (in whichever lab the failure names, which with --mine may
     * be another), or, when every such place is filled in, the failing test and the places marked
     * for its part. {@code partial} when only some tests ran.
     */
    static void nextStep(Layout layout, Lab lab, List<TestResult> results, boolean partial) {
        java.util.Optional<TestResult> failing = results.stream().filter(r -> !r.passed()).min(java.util.Comparator.comparing(TestResult::part));
        if (failing.isEmpty()) {
            System.out.println(partial ? "\nEvery test you chose passes; run the whole self-check (without --part or --test) next."
                    : "\nEvery test passes. Try more seeds (--seeds 500) or the next lab.");
            return;
        }
        TestResult f = failing.get();
        java.util.regex.Matcher named = TODO_TAG.matcher(f.reason());
        boolean namesTodo = named.find();
        Lab target = namesTodo ? Lab.byNumber(Integer.parseInt(named.group(1))).orElse(lab) : lab;
        String part = namesTodo ? named.group(2) : f.part();
        String tag = "TODO(lab " + target.number + " part " + part + ")";
        List<String> throwing = places(layout, target, "throw new UnsupportedOperationException(\"" + tag);
        List<String> marked = places(layout, target, "// " + tag);
        String guide = "labs/" + target.folder + "/README.md";
        if (!throwing.isEmpty()) {
            System.out.println("\nNext: " + (target == lab ? "" : "lab " + target.number + ", ") + "part " + part + ". Read " + guide
                    + ", then fill in the places that still throw " + tag + ":");
            throwing.forEach(p -> System.out.println("  " + p));
            if (!marked.isEmpty()) System.out.println("The comments marking part " + part + "'s places:");
        } else {
            System.out.println("\nNext: part " + part + " of lab " + target.number + ": " + f.name() + " fails (see above).");
            System.out.println("Every place that threw " + tag + " is filled in; the rule above is what to look at (" + guide + ", its rules and common bugs)."
                    + (marked.isEmpty() ? "" : " The places marked for part " + part + ":"));
        }
        marked.forEach(p -> System.out.println("  " + p));
    }

    /** The lines of a lab's sources that start with {@code prefix} (stripped), as file:line and the line. */
    private static List<String> places(Layout layout, Lab lab, String prefix) {
        List<String> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(layout.labSources(lab))) {
            for (Path f : walk.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++)
                    if (lines.get(i).strip().startsWith(prefix)) out.add(layout.root().relativize(f) + ":" + (i + 1) + "  " + lines.get(i).strip());
            }
        } catch (IOException e) {
            out.add("(cannot read the lab's sources: " + e.getMessage() + ")");
        }
        return out;
    }
}
