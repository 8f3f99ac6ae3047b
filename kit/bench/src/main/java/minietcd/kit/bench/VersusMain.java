package minietcd.kit.bench;

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
 * The command line of {@link Versus}: {@code VersusMain [options] [-- our cluster's command]}. Our
 * command's argv follows {@code --}; in it {@code {members}} and {@code {dir}} are filled in (see
 * {@link CommandTarget}). Without it, only etcd is measured. Exit status as {@link Versus#run}.
 */
@Command(name = "versus", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs etcd " + EtcdInstall.VERSION + " and our cluster on this machine, one after the other, under the same load through "
                + "the JSON gateway, and prints one table: throughput, p50 and p99 latency of both, their ratios, and whether ours meets the bar "
                + "(at least etcd's throughput and no worse p99) on every row.",
                "etcd comes from the PATH; if it is not there, Debian's etcd-server package is installed with 'apt-get install -y etcd-server'."})
public final class VersusMain implements Callable<Integer> {
    @Option(names = "--seconds", description = "measured seconds per row (default ${DEFAULT-VALUE})") double seconds = 10;
    @Option(names = "--warmup", description = "warm-up seconds before each row (default ${DEFAULT-VALUE})") double warmup = 2;
    @Option(names = "--prime", description = "seconds of load on each system before its first row, after its keys are written: each operation in turn "
            + "at the largest connection count; a JVM compiles its hot code in its first tens of seconds under load (default ${DEFAULT-VALUE})") double prime = 30;
    @Option(names = "--ops", split = ",", description = "operations: put, range (linearizable), range-serializable (default: all three)")
    List<String> ops = List.of("put", "range", "range-serializable");
    @Option(names = "--conns", split = ",", description = "connection counts (default: 1,16,64)") List<Integer> conns = List.of(1, 16, 64);
    @Option(names = "--members", split = ",", description = "member counts (default: 1,3)") List<Integer> members = List.of(1, 3);
    @Option(names = "--rounds", description = "times each system runs every row, alternating which goes first; the table shows medians and spreads (default ${DEFAULT-VALUE})") int rounds = 3;
    @Option(names = "--failover", description = "instead of the table: failover under load, 3 members each, the leader killed after --seconds of puts "
            + "to the followers over the first --conns count, then --seconds more; once per round, the systems alternating") boolean failover;
    @Option(names = "--keys", description = "keys in the keyspace (default ${DEFAULT-VALUE})") int keys = 10_000;
    @Option(names = "--etcd", description = "the etcd executable, a path or a name on the PATH (default ${DEFAULT-VALUE})") String etcd = "etcd";
    @Option(names = "--work-dir", description = "where the temporary data directories go (default: java.io.tmpdir)") Path workDir;
    @Option(names = "--markdown", description = "also write the table to this file") Path markdown;
    @Parameters(paramLabel = "COMMAND", description = "after --: our cluster's command line; {members} and {dir} are filled in. Without it only etcd runs.")
    List<String> ours = new ArrayList<>();
    @Spec CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new VersusMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        return failover ? failover() : Versus.run(options());
    }

    /** The failover comparison (see {@link Failover}); 0 when ours is at least as good as etcd on each figure's median, else 1. */
    private int failover() throws Exception {
        Versus.Options o = options();
        java.nio.file.Path etcdPath = EtcdInstall.ensure(o.etcd(), o.progress());
        List<Failover.Result> results = new ArrayList<>();
        for (int round = 1; round <= o.rounds(); round++) {
            for (int turn = 0; turn < 2; turn++) {
                boolean etcdTurn = (turn == 0) == (round % 2 == 1) || o.ours().isEmpty();
                if (!etcdTurn && o.ours().isEmpty()) continue;
                BenchTarget t = etcdTurn ? new EtcdTarget(etcdPath, o.workDir()) : new CommandTarget("ours", o.ours(), o.workingDir(), o.workDir(), Duration.ofMinutes(3));
                results.add(Failover.run(t, o.connections().get(0), o.duration(), o.duration(), o.keyspace(), o.progress()));
                if (o.ours().isEmpty()) break;
            }
        }
        String header = "Failover: 3 members; puts over " + o.connections().get(0) + " connections to the followers for " + seconds + " s, the leader SIGKILLed, "
                + seconds + " s more; " + o.rounds() + " round" + (o.rounds() == 1 ? "" : "s") + ", the systems alternating.";
        String table = Failover.table(results);
        System.out.println();
        System.out.println(header);
        System.out.println();
        System.out.print(table);
        if (o.markdown() != null) java.nio.file.Files.writeString(o.markdown(), header + "\n\n" + table);
        return 0;
    }

    /** The options as given, for a caller that runs {@link Versus#run} itself. */
    public Versus.Options options() {
        List<Op> chosen = new ArrayList<>();
        for (String label : ops) {
            chosen.add(Op.byLabel(label.trim()).orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(),
                    "no operation '" + label + "'; the operations are put, range, range-serializable")));
        }
        if (seconds <= 0 || warmup < 0 || prime < 0 || rounds < 1)
            throw new CommandLine.ParameterException(spec.commandLine(), "--seconds and --rounds must be positive, --warmup and --prime at least 0");
        Versus.Options standard = Versus.Options.standard(ours);
        return new Versus.Options(chosen, conns, members, rounds, Duration.ofMillis(Math.round(seconds * 1000)), Duration.ofMillis(Math.round(warmup * 1000)),
                Duration.ofMillis(Math.round(prime * 1000)), new Keyspace(keys, 8, 256), etcd, ours, standard.workingDir(), workDir == null ? standard.workDir() : workDir.toAbsolutePath(),
                System.out, System.err, markdown);
    }
}
