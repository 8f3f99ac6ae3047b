package minietcd.kit.bench;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The command line of {@link Differential}: {@code DifferentialMain [options] -- our cluster's command},
 * in which {@code {members}} and {@code {dir}} are filled in (see {@link CommandTarget}). Every seed
 * runs on a fresh etcd and a fresh cluster of ours. Exit status 0 when every seed agreed throughout,
 * 1 when one did not.
 */
@Command(name = "differential", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Sends the same random requests (puts, deletes, ranges, nested txns, bad requests, compactions, leases) to a fresh etcd "
                + EtcdInstall.VERSION + " and to a fresh cluster of ours, one request at a time, and compares every answer (status and body, "
                + "without cluster and member ids, raft terms and a lease's remaining TTL) and, at the end, the whole watch history. "
                + "A seed stops at its first difference, which is printed with the request and both answers.",
                "etcd comes from the PATH; if it is not there, Debian's etcd-server package is installed with 'apt-get install -y etcd-server'."})
public final class DifferentialMain implements Callable<Integer> {
    @Option(names = "--seeds", description = "seeds per cluster size (default ${DEFAULT-VALUE})") int seeds = 20;
    @Option(names = "--first-seed", description = "the first seed (default ${DEFAULT-VALUE}); replay one with --first-seed S --seeds 1") long firstSeed = 1;
    @Option(names = "--steps", description = "requests per seed (default ${DEFAULT-VALUE})") int steps = 500;
    @Option(names = "--members", split = ",", description = "cluster sizes (default: 1,3)") List<Integer> members = List.of(1, 3);
    @Option(names = "--verbose", description = "print every request and etcd's answer") boolean verbose;
    @Option(names = "--etcd", description = "the etcd executable, a path or a name on the PATH (default ${DEFAULT-VALUE})") String etcd = "etcd";
    @Option(names = "--work-dir", description = "where the temporary data directories go (default: java.io.tmpdir)") Path workDir;
    @Parameters(paramLabel = "COMMAND", description = "after --: our cluster's command line; {members} and {dir} are filled in") List<String> ours = new ArrayList<>();
    @Spec CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new DifferentialMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (seeds < 1 || steps < 1 || members.stream().anyMatch(m -> m < 1))
            throw new CommandLine.ParameterException(spec.commandLine(), "--seeds, --steps and every --members must be at least 1");
        if (ours.isEmpty()) throw new CommandLine.ParameterException(spec.commandLine(), "give our cluster's command after --");
        Path etcdPath = EtcdInstall.ensure(etcd, System.err);
        Path work = workDir == null ? Path.of(System.getProperty("java.io.tmpdir")) : workDir.toAbsolutePath();
        long started = System.nanoTime();
        int agreed = 0, requests = 0, succeeded = 0;
        for (int size : members) {
            for (long seed = firstSeed; seed < firstSeed + seeds; seed++) {
                Differential.Result r;
                try (EtcdTarget theirs = new EtcdTarget(etcdPath, work);
                     CommandTarget mine = new CommandTarget("ours", ours, Path.of("").toAbsolutePath(), work, Duration.ofMinutes(3))) {
                    r = Differential.run(seed, steps, urls(theirs.start(size)), urls(mine.start(size)), verbose ? System.out : null);
                }
                requests += r.agreed();
                succeeded += r.succeeded();
                if (!r.same()) {
                    System.out.println(size + " member" + (size == 1 ? "" : "s") + ", seed " + seed + ": DIFFERENT after " + r.agreed() + " requests alike, at "
                            + r.difference());
                    System.out.println("Replay: ./jbang differential --members " + size + " --first-seed " + seed + " --seeds 1 --steps " + steps);
                    return 1;
                }
                agreed++;
                System.out.println(size + " member" + (size == 1 ? "" : "s") + ", seed " + seed + ": " + steps + " requests (" + r.succeeded()
                        + " succeeded, the rest refused alike) and the watch history alike");
            }
        }
        System.out.printf("Differential: %d seeds alike with etcd %s, %d requests (%d succeeded), %.0f s%n", agreed, EtcdInstall.VERSION, requests, succeeded,
                (System.nanoTime() - started) / 1e9);
        return 0;
    }

    private static List<URI> urls(List<String> urls) {
        return urls.stream().map(URI::create).toList();
    }
}
