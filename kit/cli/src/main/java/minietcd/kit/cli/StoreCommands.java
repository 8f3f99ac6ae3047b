package minietcd.kit.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import minietcd.kit.grader.LabChoice;
import minietcd.kit.grader.Layout;
import minietcd.kit.testing.Lab;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** The commands that run a store or talk to one: {@code serve} (one member) and {@code kvctl} (the etcdctl-style client). {@code cluster} is {@link ClusterCli}. */
final class StoreCommands {
    private StoreCommands() {}

    @Command(name = "serve", mixinStandardHelpOptions = true, version = KitCli.VERSION,
            description = "Runs one member answering etcd 3.4's HTTP/JSON API on 127.0.0.1 (etcd's curl examples work), over labs 3 and 4.")
    static final class ServeCommand implements Callable<Integer> {
        @Option(names = "--port", description = "client port (default ${DEFAULT-VALUE})") int port = 2379;
        @Option(names = "--data-dir", description = "keep the store in H2 files here (default: in memory)") Path dataDir;
        @Option(names = "--mine", paramLabel = "LABS", arity = "0..1", fallbackValue = "3,4",
                description = "use your own classes for these labs (of 3 and 4; --mine alone: both) instead of the reference solutions") String mine;

        @Override
        public Integer call() throws Exception {
            Layout layout = Layout.current();
            LabChoice choice = new LabChoice(layout, KitCli.mineOption(new CommandLine(this), mine));
            List<String> unfinished = choice.unfinished(List.of(Lab.MVCC, Lab.WATCH));
            if (!unfinished.isEmpty()) {
                unfinished.forEach(u -> System.err.println(u + "."));
                System.err.println("The member needs labs 3 and 4: " + choice.advice(List.of(Lab.MVCC, Lab.WATCH)) + " (--mine names the labs that are yours).");
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
}
