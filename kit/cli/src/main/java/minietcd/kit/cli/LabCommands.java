package minietcd.kit.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import minietcd.kit.grader.ForkedTests;
import minietcd.kit.grader.LabChoice;
import minietcd.kit.grader.Layout;
import minietcd.kit.grader.Progress;
import minietcd.kit.grader.Report;
import minietcd.kit.grader.TestResult;
import minietcd.kit.testing.Lab;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** A learner's commands: {@code start} (a guided start) and {@code lab} (a lab's self-check), and what to do next after one. */
final class LabCommands {
    private LabCommands() {}

    @Command(name = "start", mixinStandardHelpOptions = true, version = KitCli.VERSION, description = "A guided start: what the labs are, then the first lab's self-check.")
    static final class StartCommand implements Callable<Integer> {
        @Override
        public Integer call() {
            System.out.println("""
                    mini-etcd lab kit: rebuild the store under Kubernetes, one lab at a time.

                    Every lab runs your classes on a deterministic simulator: one seed replays a whole run,
                    and a failure names the rule that broke, the seed, and the command that replays it.
                    A lab runs on the reference classes of the labs it builds on (lab 2 on lab 1, lab 4 on
                    lab 3, lab 5 on the whole store), where this edition has them; otherwise on yours.
                    """);
            System.out.printf("  %-4s %-10s %-26s %-21s %s%n", "lab", "name", "guide", "self-check", "what you build");
            for (Lab lab : Lab.values())
                System.out.printf("  %-4d %-10s %-26s %-21s %s%n", lab.number, lab.shortName, "labs/" + lab.folder + "/README.md", "./jbang lab-" + lab.shortName, lab.title);
            System.out.println("\nHere is lab 1's self-check on the code as it is now: everything fails until you fill in the TODOs.\n");
            LabCommand first = new LabCommand();
            first.name = Lab.LOG.shortName;
            first.call();
            return 0;
        }
    }

    @Command(name = "lab", mixinStandardHelpOptions = true, version = KitCli.VERSION,
            description = "A lab's self-check, run as ./jbang lab-log, lab-election, lab-mvcc, lab-watch or lab-controlplane: your classes, the labs it builds on from the reference classes.")
    static final class LabCommand implements Callable<Integer> {
        @Parameters(index = "0", description = "the lab: log, election, mvcc, watch, controlplane (or its number)") String name;
        @Option(names = "--part", description = "only this part (a letter, as the lab's guide names its parts); repeatable") List<String> parts = new ArrayList<>();
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
            CommandLine self = new CommandLine(this);
            Lab lab = KitCli.lab(self, name);
            if (replay != null && tests.isEmpty()) throw new CommandLine.ParameterException(self, "--replay needs --test: the failure message prints the whole command");
            for (String part : parts)
                if (!lab.parts.contains(part.toUpperCase()))
                    throw new CommandLine.ParameterException(self, "lab " + lab.number + " has no part '" + part + "'; its parts are " + String.join(", ", lab.parts));
            java.util.Set<Lab> own = capstone ? java.util.EnumSet.allOf(Lab.class) : KitCli.mineOption(self, mine);
            own.add(lab);
            LabChoice choice = new LabChoice(layout, own);
            List<Path> cp = new ArrayList<>(layout.testClasspath());
            cp.addAll(choice.classes(List.of(Lab.values())));
            List<Path> roots = new ArrayList<>(List.of(layout.labTests(lab)));
            if ((hidden || !tests.isEmpty()) && Files.isDirectory(layout.hiddenTests(lab))) roots.add(layout.hiddenTests(lab));
            else if (hidden) System.out.println("Note: this checkout has no hidden tests (the student edition leaves them out): only the visible tests run.");
            System.out.println("Lab " + lab.number + " (" + lab.shortName + ") self-check: your classes in labs/" + lab.folder + "/src/main/java"
                    + (lab.buildsOn().isEmpty() ? "; it builds on no other lab." : "; the labs it builds on: "
                    + String.join(", ", lab.buildsOn().stream().map(l -> l.number + " " + (choice.isMine(l) ? "yours" : "reference")).toList()) + "."));
            choice.notes(lab.buildsOn()).forEach(n -> System.out.println("Note: " + n + "."));
            choice.unfinished(lab.buildsOn()).forEach(n -> System.out.println("Note: " + n + "; this lab's tests run on it, so they fail on its TODO."));
            KitCli.checkTests(self, cp, roots, lab, tests);
            List<TestResult> results = KitCli.run(self, layout, cp, roots, new ForkedTests.Selection(lab.number, parts, tests), seeds, replay, timeout);
            Report.print(System.out, lab, results);
            new Progress(layout.progress()).recordQuietly(Progress.Result.of("lab", lab.number, results, !parts.isEmpty() || !tests.isEmpty() || seeds != null || replay != null), System.out);
            nextStep(layout, lab, results, !parts.isEmpty() || !tests.isEmpty());
            return results.stream().allMatch(TestResult::passed) && !results.isEmpty() ? 0 : 1;
        }
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
            // a comment right above a throw says the same: show only the places no throw points at
            marked = marked.stream().filter(m -> throwing.stream().noneMatch(t -> t.startsWith(nextLine(m)))).toList();
            if (!marked.isEmpty()) System.out.println("Also marked for part " + part + ", with no throw to show them (easy to miss):");
        } else {
            System.out.println("\nNext: part " + part + " of lab " + target.number + ": " + f.name() + " fails (see above).");
            System.out.println("Every place that threw " + tag + " is filled in; the rule above is what to look at (" + guide + ", its rules and common bugs)."
                    + (marked.isEmpty() ? "" : " The places marked for part " + part + ":"));
        }
        marked.forEach(p -> System.out.println("  " + p));
    }

    /** "file:N" of the line after a place given as "file:N-1  text". */
    private static String nextLine(String place) {
        String at = place.substring(0, place.indexOf("  "));
        int colon = at.lastIndexOf(':');
        return at.substring(0, colon + 1) + (Integer.parseInt(at.substring(colon + 1)) + 1) + "  ";
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
