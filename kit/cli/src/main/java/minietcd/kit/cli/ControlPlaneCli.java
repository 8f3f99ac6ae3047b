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
 * {@code ./jbang controlplane}: the store and a Kubernetes control plane over it, on 127.0.0.1, for a
 * real kubectl. The store is the kit's cluster, started here (its members as processes, as
 * {@code ./jbang cluster} starts them), or any etcd 3.4 given by {@code --endpoints}. The API server
 * (over lab 5's storage layer), two schedulers and two controller managers (leader-elected with
 * lab 5's elector) and three kubelets are processes of their own; a kubeconfig is written to the
 * data directory. {@code controlplane kill|restart PART} from another terminal.
 */
@Command(name = "controlplane", mixinStandardHelpOptions = true, version = KitCli.VERSION,
        description = {"Runs the store and a Kubernetes control plane over it on 127.0.0.1 (the API server, two schedulers, two controller managers, three kubelets), for kubectl, until Ctrl-C.",
                "From another terminal: controlplane kill|restart PART (apiserver, scheduler-1, kubelet-2, ...); cluster kill|restart N --data-dir DIR/store for a store member."},
        subcommands = {ControlPlaneCli.Kill.class, ControlPlaneCli.Restart.class})
final class ControlPlaneCli implements Callable<Integer> {
    static final String DEFAULT_DIR = "controlplane-data", STATE = "controlplane.properties";
    /** The parts besides the API server: process name, then ComponentMain's arguments (the API server's URL is added). */
    static final java.util.Map<String, List<String>> COMPONENTS = componentParts();

    private static java.util.Map<String, List<String>> componentParts() {
        java.util.Map<String, List<String>> m = new java.util.LinkedHashMap<>();
        for (int i = 1; i <= 2; i++) m.put("scheduler-" + i, List.of("scheduler", "--identity", "scheduler-" + i));
        for (int i = 1; i <= 2; i++) m.put("controller-manager-" + i, List.of("controller-manager", "--identity", "controller-manager-" + i));
        for (int i = 1; i <= 3; i++) m.put("kubelet-" + i, List.of("kubelet", "--node", "node-" + i, "--cpu", "4", "--memory", "8Gi"));
        return java.util.Collections.unmodifiableMap(m);
    }

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
            System.err.println("The API server needs lab 5's part A" + (endpoints == null ? ", and the store labs 1 to 4" : "") + ": "
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
        List<String> componentsCp = new ArrayList<>(cp);
        cp.add(choice.classes(Lab.CONTROLPLANE).toString());
        // the components need parts B to D; with --mine 5 and those not done, they run the reference's classes if this edition has them
        List<String> componentsUnfinished = choice.unfinished(List.of(Lab.CONTROLPLANE), List.of("B", "C", "D"));
        String componentsNote = choice.isMine(Lab.CONTROLPLANE) ? (componentsUnfinished.isEmpty() ? "yours" : "") : "reference";
        java.util.Optional<Path> componentsClasses = componentsUnfinished.isEmpty() ? java.util.Optional.of(choice.classes(Lab.CONTROLPLANE))
                : layout.referenceClasses(Lab.CONTROLPLANE);
        if (!componentsUnfinished.isEmpty())
            componentsNote = componentsClasses.isPresent() ? "reference (your parts B to D are not all done: " + componentsUnfinished.get(0) + ")"
                    : "not started (your parts B to D are not all done, and this edition ships no reference classes: " + componentsUnfinished.get(0) + ")";
        componentsClasses.ifPresent(c -> componentsCp.add(c.toString()));
        Properties state = new Properties();
        state.setProperty("java", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        state.setProperty("classpath", String.join(java.io.File.pathSeparator, cp));
        state.setProperty("classpath.components", componentsClasses.isPresent() ? String.join(java.io.File.pathSeparator, componentsCp) : "");
        state.setProperty("etcd", etcd);
        // the API server makes a leader's fenced writes through lab 5's FencedClient (part D): without it, it ignores the fences
        state.setProperty("fences", choice.isMine(Lab.CONTROLPLANE) && !choice.unfinished(List.of(Lab.CONTROLPLANE), List.of("D")).isEmpty() ? "off" : "on");
        state.setProperty("port", String.valueOf(port));
        ClusterCli.saveAs(dir, STATE, state);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(dir)));
        try {
            startApiServer(dir, state);
        } catch (IllegalStateException e) {
            System.err.println(e.getMessage());
            return 1;
        }
        if (!state.getProperty("classpath.components").isEmpty())
            for (String part : COMPONENTS.keySet()) startComponent(dir, state, part);
        Path kubeconfig = writeKubeconfig(dir, port);
        System.out.println("API server http://127.0.0.1:" + port + " over etcd " + etcd + " (lab 5 part A " + (choice.isMine(Lab.CONTROLPLANE) ? "yours" : "reference")
                + "); its log " + dir.resolve("apiserver.log"));
        System.out.println("schedulers, controller managers, kubelets: lab 5 " + componentsNote
                + (state.getProperty("classpath.components").isEmpty() ? "" : "; " + String.join(", ", COMPONENTS.keySet()) + ", logs " + dir.resolve("PART.log")));
        System.out.println("kubeconfig: " + kubeconfig);
        System.out.println("try:  export KUBECONFIG=" + kubeconfig);
        System.out.println("      kubectl get nodes");
        System.out.println("      kubectl apply -f labs/5-controlplane/examples/replicaset.yaml && kubectl get pods -o wide -w");
        System.out.println("      kubectl get leases -n kube-system");
        System.out.println("stop with Ctrl-C; meanwhile ./jbang controlplane kill|restart apiserver|scheduler-1|kubelet-2|..." + (dataDir == null ? "" : " --data-dir " + dir)
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
                "--etcd-servers", state.getProperty("etcd"), "--port", state.getProperty("port"), "--fences", state.getProperty("fences", "on"));
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

    /** Starts one component ({@link #COMPONENTS}) as a process logging to {@code DIR/PART.log}; does not wait for it. */
    static void startComponent(Path dir, Properties state, String part) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(state.getProperty("java"), "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", state.getProperty("classpath.components"), "minietcd.kit.components.ComponentMain"));
        cmd.addAll(COMPONENTS.get(part));
        cmd.addAll(List.of("--server", "http://127.0.0.1:" + state.getProperty("port")));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(part + ".log").toFile())).start();
        state.setProperty("pid." + part, String.valueOf(p.pid()));
        ClusterCli.saveAs(dir, STATE, state);
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

    /** Stops every part (SIGTERM, so that a leader releases its Lease), the components first. */
    private static void stop(Path dir) {
        try {
            Properties state = ClusterCli.loadFrom(dir, STATE);
            List<ProcessHandle> parts = new ArrayList<>();
            for (String part : COMPONENTS.keySet()) alive(state, part).ifPresent(parts::add);
            ChildProcesses.stop(parts, Duration.ofSeconds(5));
            alive(state, "apiserver").ifPresent(h -> ChildProcesses.stop(List.of(h), Duration.ofSeconds(5)));
        } catch (RuntimeException e) {
            // nothing to stop
        }
    }

    /** The running process of a part, if it runs. */
    static java.util.Optional<ProcessHandle> alive(Properties state, String part) {
        String pid = state.getProperty("pid." + part);
        return pid == null ? java.util.Optional.empty() : ProcessHandle.of(Long.parseLong(pid)).filter(ProcessHandle::isAlive);
    }

    /** The parts {@code kill} and {@code restart} take. */
    static void checkPart(CommandLine cmd, String part) {
        if (!part.equals("apiserver") && !COMPONENTS.containsKey(part))
            throw new CommandLine.ParameterException(cmd, "no part '" + part + "' to kill or restart: the control plane runs apiserver, " + String.join(", ", COMPONENTS.keySet())
                    + " (a store member: ./jbang cluster kill N --data-dir DIR/store)");
    }

    /** What {@code kill} and {@code restart} call a part. */
    static String describe(String part) {
        return part.equals("apiserver") ? "the API server" : part;
    }

    @Command(name = "kill", mixinStandardHelpOptions = true, description = "Kills a part of the running control plane with SIGKILL: apiserver, scheduler-1|2, controller-manager-1|2, kubelet-1|2|3")
    static final class Kill implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "PART", description = "apiserver, scheduler-1, scheduler-2, controller-manager-1, controller-manager-2, kubelet-1, kubelet-2, kubelet-3") String part;
        @Option(names = "--data-dir", description = "the control plane's data directory (default: controlplane-data)") Path dataDir;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            checkPart(spec.commandLine(), part);
            Path dir = dataDir(Layout.current(), dataDir);
            java.util.Optional<ProcessHandle> p = alive(ClusterCli.loadFrom(dir, STATE), part);
            p.ifPresent(ProcessHandle::destroyForcibly);
            System.out.println(p.isPresent() ? "killed " + describe(part) + " (pid " + p.get().pid() + ")" : describe(part) + " was not running");
            return 0;
        }
    }

    @Command(name = "restart", mixinStandardHelpOptions = true, description = "Starts a killed part of the control plane again: apiserver, scheduler-1|2, controller-manager-1|2, kubelet-1|2|3")
    static final class Restart implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "PART", description = "apiserver, scheduler-1, scheduler-2, controller-manager-1, controller-manager-2, kubelet-1, kubelet-2, kubelet-3") String part;
        @Option(names = "--data-dir", description = "the control plane's data directory (default: controlplane-data)") Path dataDir;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            checkPart(spec.commandLine(), part);
            Path dir = dataDir(Layout.current(), dataDir);
            Properties state = ClusterCli.loadFrom(dir, STATE);
            java.util.Optional<ProcessHandle> running = alive(state, part);
            if (running.isPresent()) {
                System.out.println(describe(part) + " is running (pid " + running.get().pid() + "): kill it first");
                return 1;
            }
            if (part.equals("apiserver")) startApiServer(dir, state);
            else if (state.getProperty("classpath.components", "").isEmpty()) {
                System.out.println("this control plane runs no components (lab 5's parts B to D were not done when it started)");
                return 1;
            } else startComponent(dir, state, part);
            System.out.println("restarted " + describe(part) + " (pid " + state.getProperty("pid." + part) + "); the running ./jbang controlplane stops it with the rest at Ctrl-C");
            return 0;
        }
    }
}
