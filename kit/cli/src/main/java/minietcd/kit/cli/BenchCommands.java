package minietcd.kit.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import minietcd.kit.bench.SimBench;
import minietcd.kit.bench.StoreBench;
import minietcd.kit.grader.LabChoice;
import minietcd.kit.grader.Layout;
import minietcd.kit.testing.Lab;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** The benchmarks: {@code bench} (the simulator and the store), {@code versus} and {@code watch-bench} (side by side with etcd 3.4.23). */
final class BenchCommands {
    private BenchCommands() {}

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

    @Command(name = "differential", description = {"Sends the same random requests to a fresh etcd 3.4.23 and to a fresh cluster of ours and compares every answer",
            "and the watch history, seed by seed; try differential --help. Without a command after --, ours is ./jbang cluster over the reference solutions."})
    static final class DifferentialCommand implements Callable<Integer> {
        @CommandLine.Unmatched List<String> args = new ArrayList<>();

        @Override
        public Integer call() {
            return new CommandLine(new minietcd.kit.bench.DifferentialMain()).execute(VersusCommand.withOurCluster(args));
        }
    }

    @Command(name = "bench", mixinStandardHelpOptions = true, version = KitCli.VERSION, description = "Measures the simulator and the store with the reference solutions.")
    static final class BenchCommand implements Callable<Integer> {
        @Option(names = "--sim-seconds", description = "simulated seconds for the idle cluster (default ${DEFAULT-VALUE})") long simSeconds = 3_600;

        @Override
        public Integer call() throws Exception {
            Layout layout = Layout.current();
            List<String> cp = new ArrayList<>();
            layout.runtimeClasspath().forEach(p -> cp.add(p.toString()));
            for (Lab lab : Lab.store()) cp.add(LabChoice.reference(layout).classes(lab).toString());
            for (String main : List.of(SimBench.class.getName(), StoreBench.class.getName())) {
                Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC", "-cp",
                        String.join(java.io.File.pathSeparator, cp), main, String.valueOf(simSeconds)).inheritIO().start();
                if (p.waitFor() != 0) return p.exitValue();
            }
            return 0;
        }
    }
}
