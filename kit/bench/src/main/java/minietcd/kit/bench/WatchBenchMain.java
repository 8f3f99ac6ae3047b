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
 * The command line of {@link WatchBench}: {@code WatchBenchMain [options] [-- our member's command]}.
 * Without a command, ours is the kit's {@code cluster} command with one member over the reference
 * solutions of the checkout named by {@code -Dminietcd.root} (the same as {@code versus} runs).
 * Each {@code --streams} count is one run of both systems.
 */
@Command(name = "watch-bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs etcd " + EtcdInstall.VERSION + " and then our member, each alone and then with N idle /v3/watch streams open on it, "
                + "under the same put and range load, and prints one table per stream count."})
public final class WatchBenchMain implements Callable<Integer> {
    @Option(names = "--streams", split = ",", description = "watch stream counts, one run each (default: 1000)") List<Integer> streams = List.of(1_000);
    @Option(names = "--seconds", description = "measured seconds per row (default ${DEFAULT-VALUE})") double seconds = 5;
    @Option(names = "--warmup", description = "warm-up seconds before each row (default ${DEFAULT-VALUE})") double warmup = 1;
    @Option(names = "--prime", description = "seconds of load before the first row (default ${DEFAULT-VALUE})") double prime = 10;
    @Option(names = "--ops", split = ",", description = "operations: put, range, range-serializable (default: put,range)") List<String> ops = List.of("put", "range");
    @Option(names = "--conns", description = "load connections (default ${DEFAULT-VALUE})") int conns = 16;
    @Option(names = "--keys", description = "keys in the keyspace (default ${DEFAULT-VALUE})") int keys = 1_000;
    @Option(names = "--etcd", description = "the etcd executable, a path or a name on the PATH (default ${DEFAULT-VALUE})") String etcd = "etcd";
    @Option(names = "--work-dir", description = "where the temporary data directories go (default: java.io.tmpdir)") Path workDir;
    @Parameters(paramLabel = "COMMAND", description = "after --: our member's command line; {members} and {dir} are filled in")
    List<String> ours = new ArrayList<>();
    @Spec CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new WatchBenchMain()).execute(args));
    }

    @Override
    public Integer call() {
        List<Op> chosen = new ArrayList<>();
        for (String label : ops)
            chosen.add(Op.byLabel(label.trim()).orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(), "no operation '" + label + "'")));
        if (ours.isEmpty()) throw new CommandLine.ParameterException(spec.commandLine(), "no command for our member after --: run it as ./jbang watch-bench, which gives it");
        List<String> command = ours;
        Path here = Path.of("").toAbsolutePath();
        Path work = workDir == null ? Path.of(System.getProperty("java.io.tmpdir")) : workDir.toAbsolutePath();
        int status = 0;
        for (int n : streams) {
            WatchBench.Options o = new WatchBench.Options(n, chosen, conns, Duration.ofMillis(Math.round(seconds * 1000)), Duration.ofMillis(Math.round(warmup * 1000)),
                    Duration.ofMillis(Math.round(prime * 1000)), new Keyspace(keys, 8, 256), etcd, command, here, work, System.out, System.err);
            status = Math.max(status, WatchBench.run(o));
        }
        return status;
    }
}
