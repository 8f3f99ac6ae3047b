package minietcd.kit.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import minietcd.kit.grader.Editions;
import minietcd.kit.grader.Handout;
import minietcd.kit.grader.Layout;
import minietcd.kit.testing.Lab;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** The maintainers' commands for the two editions: {@code sync-labs} (skeletons from the solutions) and {@code handout} (the student edition). */
final class EditionCommands {
    private EditionCommands() {}

    @Command(name = "sync-labs", mixinStandardHelpOptions = true, version = KitCli.VERSION,
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

    @Command(name = "handout", mixinStandardHelpOptions = true, version = KitCli.VERSION,
            description = {"Makes the student edition in DIR: the kit, the labs (skeletons, guides, visible tests), the learners' README and the labs' reference classes compiled only.",
                    "No solution sources, no hidden tests. DIR becomes a git repository."})
    static final class HandoutCommand implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DIR", description = "a new or empty folder") Path dir;
        @Option(names = "--without", paramLabel = "LABS", description = "ship no reference classes for these labs (e.g. 1,2): learners build on their own") String without;

        @Override
        public Integer call() throws Exception {
            Layout layout = Layout.current();
            java.util.Set<Lab> left = KitCli.mineOption(new CommandLine(this), without);
            Path target = dir.toAbsolutePath().normalize();
            int files;
            try {
                files = Handout.make(layout, target, left);
            } catch (IllegalStateException e) {
                System.err.println("handout: " + e.getMessage());
                return 2;
            }
            Handout.commit(target, System.out);
            System.out.println("Wrote the student edition to " + target + " (" + files + " files"
                    + (left.isEmpty() ? "" : "; no reference classes for " + (left.size() == 1 ? "lab " : "labs ") + String.join(", ", left.stream().map(l -> String.valueOf(l.number)).toList())) + ").");
            System.out.println("Learners start there with ./jbang tutorial (or ./jbang start in a terminal); its README says the rest.");
            return 0;
        }
    }
}
