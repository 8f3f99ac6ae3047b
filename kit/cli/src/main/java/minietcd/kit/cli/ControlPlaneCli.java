package minietcd.kit.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import minietcd.kit.bench.ChildProcesses;
import minietcd.kit.cluster.ClusterSpec;
import minietcd.kit.grader.LabChoice;
import minietcd.kit.grader.Layout;
import minietcd.kit.testing.Lab;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./jbang controlplane}: the store and a Kubernetes API server over it, on 127.0.0.1, for a
 * real kubectl. The store is the kit's cluster, started here (its members as processes, as
 * {@code ./jbang cluster} starts them), or any etcd 3.4 given by {@code --endpoints}. The API server
 * is a process of its own, over lab 5's storage layer; a kubeconfig for it is written to the data
 * directory. {@code controlplane kill|restart apiserver} from another terminal.
 */
@Command(name = "controlplane", mixinStandardHelpOptions = true, version = KitCli.VERSION,
        description = {"Runs the store and a Kubernetes API server over it on 127.0.0.1, for kubectl, until Ctrl-C.",
                "From another terminal: controlplane kill|restart apiserver; cluster kill|restart N --data-dir DIR/store for a store member."},
        subcommands = {ControlPlaneCli.Kill.class, ControlPlaneCli.Restart.class})
final class ControlPlaneCli implements Callable<Integer> {
    static final String DEFAULT_DIR = "controlplane-data", STATE = "controlplane.properties";

    @Option(names = "--endpoints", paramLabel = "URLS", description = "an etcd to use instead of starting the kit's cluster: its client URLs, comma-separated (the kit's or a real etcd 3.4)") String endpoints;
    @Option(names = "--port", description = "the API server's port (default ${DEFAULT-VALUE})") int port = 6443;
    @Option(names = "--base-port", description = "the kit cluster's first client port (default ${DEFAULT-VALUE})") int basePort = 2379;
    @Option(names = "--data-dir", description = "where the store's files, the logs and the kubeconfig go (default: controlplane-data in the kit's folder)") Path dataDir;
    @Option(names = "--fresh", description = "delete what the data directory holds first") boolean fresh;
    @Option(names = "--mine", paramLabel = "LABS", arity = "0..1", fallbackValue = "all",
            description = "run your own classes for these labs (5 for the API server's storage layer; 1-4 for the store), the reference solutions for the rest") String mine;
    @CommandLine.Spec CommandLine.Model.CommandSpec commandSpec;

    @Override
    public Integer call() throws Exception {
        Layout layout = Layout.current();
        LabChoice choice = new LabChoice(layout, KitCli.mineOption(new CommandLine(this), mine));
        List<Lab> needed = new ArrayList<>(List.of(Lab.CONTROLPLANE));
        if (endpoints == null) needed.addAll(Lab.store());
        List<String> unfinished = new ArrayList<>(choice.unfinished(List.of(Lab.CONTROLPLANE), List.of("A"))); // the API server runs part A only
        if (endpoints == null) unfinished.addAll(choice.unfinished(Lab.store()));
        if (!unfinished.isEmpty()) {
            unfinished.forEach(u -> System.err.println(u + "."));
            System.err.println("The control plane runs labs " + String.join(", ", needed.stream().map(l -> String.valueOf(l.number)).toList()) + ": "
                    + choice.advice(needed) + " (--mine names the labs that are yours and done).");
            return 1;
        }
        Path dir = dataDir(layout, dataDir);
        if (fresh) ClusterCli.deleteTree(dir);
        Files.createDirectories(dir);
        String etcd = endpoints;
        if (etcd == null) {
            ClusterSpec spec;
            try {
                spec = ClusterCli.launch(layout, choice, 3, basePort, dir.resolve("store"), false);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(commandSpec.commandLine(), e.getMessage());
            } catch (IllegalStateException e) {
                System.err.println(e.getMessage());
                return 1;
            }
            List<String> urls = new ArrayList<>();
            for (int n : spec.members()) urls.add(spec.clientUrl(n));
            etcd = String.join(",", urls);
        }
        List<String> cp = new ArrayList<>();
        layout.runtimeClasspath().forEach(p -> cp.add(p.toString()));
        cp.add(choice.classes(Lab.CONTROLPLANE).toString());
        Properties state = new Properties();
        state.setProperty("java", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        state.setProperty("classpath", String.join(java.io.File.pathSeparator, cp));
        state.setProperty("etcd", etcd);
        state.setProperty("port", String.valueOf(port));
        ClusterCli.saveAs(dir, STATE, state);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(dir)));
        try {
            startApiServer(dir, state);
        } catch (IllegalStateException e) {
            System.err.println(e.getMessage());
            return 1;
        }
        Path kubeconfig = writeKubeconfig(dir, port);
        System.out.println("API server http://127.0.0.1:" + port + " over etcd " + etcd + " (lab 5 " + (choice.isMine(Lab.CONTROLPLANE) ? "yours" : "reference")
                + "); its log " + dir.resolve("apiserver.log"));
        System.out.println("kubeconfig: " + kubeconfig);
        System.out.println("try:  export KUBECONFIG=" + kubeconfig);
        System.out.println("      kubectl get namespaces");
        System.out.println("      kubectl run web --image=nginx && kubectl get pods -o wide");
        System.out.println("stop with Ctrl-C; meanwhile ./jbang controlplane kill|restart apiserver" + (dataDir == null ? "" : " --data-dir " + dir)
                + (endpoints == null ? ", ./jbang cluster kill|restart N --data-dir " + dir.resolve("store") : ""));
        System.out.flush();
        Thread.currentThread().join();
        return 0;
    }

    /** The control plane's data directory: the one given, or controlplane-data in the kit's folder. */
    static Path dataDir(Layout layout, Path given) {
        return (given != null ? given : layout.root().resolve(DEFAULT_DIR)).toAbsolutePath().normalize();
    }

    static void startApiServer(Path dir, Properties state) throws IOException, InterruptedException {
        List<String> cmd = List.of(state.getProperty("java"), "-Xmx512m", "-cp", state.getProperty("classpath"), "minietcd.kit.apiserver.ApiServerMain",
                "--etcd-servers", state.getProperty("etcd"), "--port", state.getProperty("port"));
        Path log = dir.resolve("apiserver.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        state.setProperty("pid.apiserver", String.valueOf(p.pid()));
        ClusterCli.saveAs(dir, STATE, state);
        URI ready = URI.create("http://127.0.0.1:" + state.getProperty("port") + "/readyz");
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) throw new IllegalStateException("the API server stopped before it answered:\n" + ClusterCli.tail(log));
            try {
                var r = http.send(java.net.http.HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) return;
                last = r.statusCode() + " " + r.body();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the API server did not answer " + ready + " in 30 s (" + last + "); see " + log);
    }

    static Path writeKubeconfig(Path dir, int port) throws IOException {
        Path f = dir.resolve("kubeconfig");
        Files.writeString(f, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: minietcd
                  cluster:
                    server: http://127.0.0.1:%d
                contexts:
                - name: minietcd
                  context:
                    cluster: minietcd
                    user: minietcd
                    namespace: default
                current-context: minietcd
                users:
                - name: minietcd
                  user: {}
                """.formatted(port));
        try {
            Files.setPosixFilePermissions(f, Set.of(java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: leave it as it is
        }
        return f;
    }

    private static void stop(Path dir) {
        try {
            String pid = ClusterCli.loadFrom(dir, STATE).getProperty("pid.apiserver");
            if (pid != null) ProcessHandle.of(Long.parseLong(pid)).ifPresent(h -> ChildProcesses.stop(List.of(h), Duration.ofSeconds(5)));
        } catch (RuntimeException e) {
            // nothing to stop
        }
    }

    /** The part {@code kill} and {@code restart} take: only the API server for now. */
    static void checkPart(CommandLine cmd, String part) {
        if (!part.equals("apiserver"))
            throw new CommandLine.ParameterException(cmd, "no part '" + part + "' to kill or restart: the control plane runs 'apiserver' (a store member: ./jbang cluster kill N --data-dir DIR/store)");
    }

    @Command(name = "kill", mixinStandardHelpOptions = true, description = "Kills a part of the running control plane with SIGKILL: apiserver")
    static final class Kill implements Callable<Integer> {
        @Parameters(index = "0", description = "apiserver") String part;
        @Option(names = "--data-dir", description = "the control plane's data directory (default: controlplane-data)") Path dataDir;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            checkPart(spec.commandLine(), part);
            Path dir = dataDir(Layout.current(), dataDir);
            String pid = ClusterCli.loadFrom(dir, STATE).getProperty("pid.apiserver");
            boolean killed = pid != null && ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::destroyForcibly).orElse(false);
            System.out.println(killed ? "killed the API server (pid " + pid + ")" : "the API server was not running");
            return 0;
        }
    }

    @Command(name = "restart", mixinStandardHelpOptions = true, description = "Starts a part of the control plane again: apiserver")
    static final class Restart implements Callable<Integer> {
        @Parameters(index = "0", description = "apiserver") String part;
        @Option(names = "--data-dir", description = "the control plane's data directory (default: controlplane-data)") Path dataDir;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            checkPart(spec.commandLine(), part);
            Path dir = dataDir(Layout.current(), dataDir);
            Properties state = ClusterCli.loadFrom(dir, STATE);
            String pid = state.getProperty("pid.apiserver");
            if (pid != null && ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false)) {
                System.out.println("the API server is running (pid " + pid + "): kill it first");
                return 1;
            }
            startApiServer(dir, state);
            System.out.println("restarted the API server (pid " + state.getProperty("pid.apiserver") + "); it is not a child of this command, stop it with kill");
            return 0;
        }
    }
}
