package minietcd.kit.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import minietcd.kit.grader.ForkedTests;
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
@Command(name = "kit", mixinStandardHelpOptions = true, version = KitCli.VERSION, description = "The mini-etcd lab kit.",
        subcommands = {LabCommands.StartCommand.class, LabCommands.LabCommand.class, GradeCommands.GradeCommand.class, EditionCommands.SyncLabsCommand.class,
                EditionCommands.HandoutCommand.class, GradeCommands.SoakCommand.class, GradeCommands.MutationCommand.class, BenchCommands.BenchCommand.class, StoreCommands.ServeCommand.class,
                StoreCommands.KvctlCommand.class, ClusterCli.class, ControlPlaneCli.class, BenchCommands.VersusCommand.class, BenchCommands.WatchBenchCommand.class,
                BenchCommands.DifferentialCommand.class, TutorialCli.class})
public final class KitCli {
    /** What every command's -V prints. */
    static final String VERSION = "mini-etcd lab kit 0.1.0 (labs follow etcd 3.4.23)";

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
            String name = e.getCommandLine().getCommandSpec().qualifiedName(" ").replaceFirst("^\\S+\\s*", ""); // "controlplane kill", without the root's name
            if (e.getCommandLine().getCommand() instanceof LabCommands.LabCommand lab) name = "lab-" + (lab.name == null ? "<name>" : lab.name);
            err.println("(./jbang " + (name.isEmpty() ? "" : name + " ") + "--help lists the options)");
            return 2;
        });
        cli.setExecutionExceptionHandler((e, command, parsed) -> { // a user's slip is one line, not a stack trace
            if (!(e instanceof ClusterCli.NoCluster)) throw e;
            command.getErr().println(e.getMessage());
            return 1;
        });
        if (!Layout.current().hasSolutions()) // the student edition: the instructor's commands are not there to use
            for (String name : minietcd.kit.grader.Handout.INSTRUCTOR_ONLY) cli.getSubcommands().get(name).getCommandSpec().usageMessage().hidden(true);
        return cli;
    }


    /** The labs a {@code --mine} option names, or a clear error. */
    static java.util.Set<Lab> mineOption(CommandLine cli, String value) {
        try {
            return LabChoice.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cli, e.getMessage());
        }
    }


    /** The lab {@code name} names, or an error from {@code cli}, the command that was given it. */
    static Lab lab(CommandLine cli, String name) {
        return Lab.byName(name).orElseThrow(() -> new CommandLine.ParameterException(cli,
                "no lab '" + name + "'; the labs are: " + String.join(", ", Stream.of(Lab.values()).map(l -> l.shortName).toList())));
    }

    /** An error for the first {@code --test} that names no graded test of the lab, listing the ones there are. */
    static void checkTests(CommandLine cli, List<Path> cp, List<Path> roots, Lab lab, List<String> tests) {
        if (tests.isEmpty()) return;
        List<TestResult> all = new ForkedTests(cp, roots.stream().filter(Files::isDirectory).toList(), Map.of(), 60)
                .plan(new ForkedTests.Selection(lab.number, List.of(), List.of()));
        for (String t : tests)
            if (all.stream().noneMatch(r -> r.name().equals(t) || r.name().endsWith("." + t)))
                throw new CommandLine.ParameterException(cli, "lab " + lab.number + " has no test '" + t + "'; its tests are:\n  "
                        + String.join("\n  ", all.stream().map(r -> r.name() + " (part " + r.part() + ")").toList()));
    }

    /** Runs graded tests in a JVM of their own; {@code cli} is the command that asked, for its errors. */
    static List<TestResult> run(CommandLine cli, Layout layout, List<Path> cp, List<Path> roots, ForkedTests.Selection selection, Integer seeds, Long replay, long timeout) {
        if (seeds != null && seeds < 1) throw new CommandLine.ParameterException(cli, "--seeds must be at least 1: a scenario run on no seed proves nothing");
        Map<String, String> props = new TreeMap<>();
        props.put("minietcd.traceDir", layout.traces().toString());
        if (seeds != null) props.put("minietcd.seeds", String.valueOf(seeds));
        if (replay != null) props.put("minietcd.replay", String.valueOf(replay));
        List<Path> existing = roots.stream().filter(Files::isDirectory).toList();
        if (existing.isEmpty()) throw new IllegalStateException("no compiled tests in " + roots + ": build first (mvn -DskipTests test-compile)");
        return new ForkedTests(cp, existing, props, timeout).run(selection, r -> Report.progress(System.out, r));
    }

}
