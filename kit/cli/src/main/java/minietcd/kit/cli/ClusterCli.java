package minietcd.kit.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import minietcd.kit.cluster.ClusterSpec;
import minietcd.kit.bench.ChildProcesses;
import minietcd.kit.bench.Health;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import minietcd.kit.grader.LabChoice;
import minietcd.kit.grader.Layout;
import minietcd.kit.testing.Lab;

/**
 * {@code ./jbang cluster}: a local cluster of member processes on 127.0.0.1, and the commands that
 * stop, kill and restart one of them from another terminal. What the running cluster is (its size,
 * ports, the java command of its members and their process ids) is kept in {@code cluster.properties}
 * in its data directory, which is how the other commands find it.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true, version = KitCli.VERSION,
        description = {"Runs a cluster of members on 127.0.0.1, each its own process answering etcd 3.4's JSON API, until Ctrl-C.",
                "From another terminal: cluster stop|kill|restart N, cluster status."},
        subcommands = {ClusterCli.Stop.class, ClusterCli.Kill.class, ClusterCli.Restart.class, ClusterCli.Status.class})
final class ClusterCli implements Callable<Integer> {
    static final String STATE = "cluster.properties";
    static final Path DEFAULT_DIR = Path.of("cluster-data");

    @Option(names = "--members", description = "how many members (default ${DEFAULT-VALUE})") int members = 3;
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec commandSpec;
    @Option(names = "--base-port", description = "member n serves clients on base + (n-1)*10000 and peers one above (default ${DEFAULT-VALUE})") int basePort = 2379;
    @Option(names = "--data-dir", description = "where the members keep their files (default: cluster-data in the kit's folder)") Path dataDir;
    @Option(names = "--fresh", description = "delete what the data directory holds first") boolean fresh;
    @Option(names = "--mine", paramLabel = "LABS", arity = "0..1", fallbackValue = "all",
            description = "run your own classes for these labs, e.g. --mine 1,2 (--mine alone: every lab), the reference solutions for the rest") String mine;

    @Override
    public Integer call() throws Exception {
        Layout layout = Layout.current();
        LabChoice choice = new LabChoice(layout, KitCli.mineOption(new picocli.CommandLine(this), mine));
        List<String> unfinished = choice.unfinished(Lab.store());
        if (!unfinished.isEmpty()) {
            unfinished.forEach(u -> System.err.println(u + "."));
            System.err.println("A member runs labs " + String.join(", ", Lab.store().stream().map(l -> String.valueOf(l.number)).toList()) + ": " + choice.advice(Lab.store()) + " (--mine names the labs that are yours and done).");
            return 1;
        }
        Path dir = dataDir(layout, dataDir);
        ClusterSpec spec;
        try {
            spec = launch(layout, choice, members, basePort, dir, fresh);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(commandSpec.commandLine(), e.getMessage());
        } catch (IllegalStateException e) {
            System.err.println(e.getMessage());
            return 1; // the shutdown hook stops the members that did start
        }
        for (int n : spec.members())
            System.out.println("member " + n + " client " + spec.clientUrl(n) + " peer " + spec.peerUrl(n) + " data " + spec.memberDir(n));
        System.out.println("try: curl -L " + spec.clientUrl(1) + "/v3/kv/put -X POST -d '{\"key\": \"Zm9v\", \"value\": \"YmFy\"}'");
        System.out.println("stop with Ctrl-C; meanwhile ./jbang cluster kill|stop|restart N" + (dataDir == null ? "" : " --data-dir " + dir));
        System.out.flush();
        Thread.currentThread().join();
        return 0;
    }

    /**
     * Starts a cluster of {@code members} member processes in {@code dir} (emptied first when
     * {@code fresh}) and waits until each answers; a shutdown hook stops them when this JVM exits.
     *
     * @throws IllegalArgumentException for sizes and ports that cannot be
     * @throws IllegalStateException    naming the member that did not start, and its log
     */
    static ClusterSpec launch(Layout layout, LabChoice choice, int members, int basePort, Path dir, boolean fresh) throws IOException, InterruptedException {
        if (fresh) deleteTree(dir);
        Files.createDirectories(dir);
        ClusterSpec spec = new ClusterSpec(members, basePort, dir);
        Properties state = new Properties();
        state.setProperty("size", String.valueOf(members));
        state.setProperty("basePort", String.valueOf(basePort));
        state.setProperty("java", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        state.setProperty("classpath", classpath(layout, choice));
        state.setProperty("mine", String.join(",", choice.mine().stream().map(l -> String.valueOf(l.number)).toList()));
        save(dir, state);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAll(dir)));
        System.out.println(members + " members over " + String.join(", ", Lab.store().stream().map(l -> "lab " + l.number + " " + (choice.isMine(l) ? "yours" : "reference")).toList())
                + "; logs in " + dir + "/member-N.log");
        for (int n : spec.members()) startMember(dir, state, spec, n);
        for (int n : spec.members()) awaitReady(spec, n);
        return spec;
    }

    static Path dataDir(Layout layout, Path given) {
        return (given != null ? given : layout.root().resolve(DEFAULT_DIR)).toAbsolutePath().normalize();
    }

    static String classpath(Layout layout, LabChoice choice) {
        List<String> cp = new ArrayList<>();
        layout.runtimeClasspath().forEach(p -> cp.add(p.toString()));
        for (Lab lab : Lab.store()) cp.add(choice.classes(lab).toString());
        return String.join(java.io.File.pathSeparator, cp);
    }

    /** Starts member n in the background, its output appended to member-n.log, and records its pid. */
    static synchronized void startMember(Path dir, Properties state, ClusterSpec spec, int n) throws IOException {
        // The parallel collector with a small young generation: pauses of about 10 ms rather than the
        // 20 to 30 ms of the serial one with its default sizing (every put adds a revision that lives on).
        // The whole heap from the start: no full collections of 200 ms and more as it grows (memory is
        // only used as it is touched).
        List<String> cmd = new ArrayList<>(List.of(state.getProperty("java"), "-Xmx2g", "-Xms2g", "-XX:+UseParallelGC", "-Xmn64m", "-XX:+ExitOnOutOfMemoryError"));
        // An operator's own JVM options for the members, after the kit's (so they win): -Xlog:gc, say.
        String extra = System.getenv("MINIETCD_MEMBER_JVM_OPTS");
        if (extra != null && !extra.isBlank()) cmd.addAll(List.of(extra.trim().split("\\s+")));
        cmd.addAll(List.of("-cp", state.getProperty("classpath"), "minietcd.kit.cluster.MemberMain"));
        cmd.addAll(spec.memberArgs(n));
        Path log = dir.resolve("member-" + n + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        update(dir, now -> now.setProperty("pid." + n, String.valueOf(p.pid())));
        state.setProperty("pid." + n, String.valueOf(p.pid()));
    }

    /** Waits until member n answers /health, or says why it did not. */
    static void awaitReady(ClusterSpec spec, int n) throws InterruptedException {
        Path log = spec.dataDir().resolve("member-" + n + ".log");
        try {
            Health.await(List.of(URI.create(spec.clientUrl(n))), Duration.ofSeconds(30), () -> {
                String pid = load(spec.dataDir()).getProperty("pid." + n);
                boolean gone = pid != null && ProcessHandle.of(Long.parseLong(pid)).map(h -> !ChildProcesses.running(h)).orElse(true);
                return gone ? "member " + n + " stopped before it answered:\n" + tail(log) : null;
            });
        } catch (TimeoutException e) {
            throw new IllegalStateException("member " + n + " " + e.getMessage() + "; see " + log);
        }
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 12), lines.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }

    static void stopAll(Path dir) {
        Properties state;
        try {
            state = load(dir);
        } catch (UncheckedIOException e) {
            return;
        }
        List<ProcessHandle> members = new ArrayList<>();
        for (String k : state.stringPropertyNames())
            if (k.startsWith("pid.")) ProcessHandle.of(Long.parseLong(state.getProperty(k))).ifPresent(members::add);
        ChildProcesses.stop(members, Duration.ofSeconds(5));
    }

    /** A cluster command given a data directory that holds no cluster: the message is the whole answer. */
    static final class NoCluster extends RuntimeException {
        NoCluster(String message) {
            super(message);
        }
    }

    static Properties load(Path dir) {
        return loadFrom(dir, STATE);
    }

    /** A state file of a running cluster or control plane ({@code file} in {@code dir}). */
    static Properties loadFrom(Path dir, String file) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(dir.resolve(file))) {
            p.load(in);
        } catch (IOException e) {
            String command = file.equals(STATE) ? "cluster" : "controlplane";
            throw new NoCluster("no " + (file.equals(STATE) ? "cluster" : "control plane") + " in " + dir + " (" + file + " is missing): start one with ./jbang " + command + ", or give the --data-dir it was started with");
        }
        return p;
    }

    /**
     * Reads, changes and writes the cluster file under a lock on {@code STATE.lock}, so that commands
     * run at once from several terminals (two restarts, say) do not lose each other's changes.
     */
    static void update(Path dir, java.util.function.Consumer<Properties> change) {
        try (java.nio.channels.FileChannel lock = java.nio.channels.FileChannel.open(dir.resolve(STATE + ".lock"),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE); var held = lock.lock()) {
            Properties p = load(dir);
            change.accept(p);
            save(dir, p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + dir.resolve(STATE + ".lock"), e);
        }
    }

    static void save(Path dir, Properties p) {
        saveAs(dir, STATE, p);
    }

    /** Writes a state file whole (a new file moved into place), so that a reader never sees half of it. */
    static void saveAs(Path dir, String file, Properties p) {
        Path tmp = dir.resolve(file + "." + ProcessHandle.current().pid() + ".new");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            p.store(out, "written by ./jbang " + (file.equals(STATE) ? "cluster" : "controlplane"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Files.move(tmp, dir.resolve(file), java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    /** Options shared by the commands on one member. */
    abstract static class OnMember implements Callable<Integer> {
        @Parameters(index = "0", description = "the member's number, from 1") int member;
        @Option(names = "--data-dir", description = "the cluster's data directory (default: cluster-data in the kit's folder)") Path dataDir;

        Path dir() { return dataDir(Layout.current(), dataDir); }

        ClusterSpec spec(Properties state) {
            ClusterSpec spec = new ClusterSpec(Integer.parseInt(state.getProperty("size")), Integer.parseInt(state.getProperty("basePort")), dir());
            if (member < 1 || member > spec.size()) throw new IllegalArgumentException("the cluster has members 1 to " + spec.size() + ", not " + member);
            return spec;
        }

        /** Ends the member's process, with SIGKILL if {@code kill}, else SIGTERM, and waits for it. */
        int end(boolean kill) throws Exception {
            Properties state = load(dir());
            spec(state);
            var p = process(state);
            if (p.isEmpty()) {
                System.out.println("member " + member + " is not running");
                return 0;
            }
            if (kill) p.get().destroyForcibly();
            else p.get().destroy();
            p.get().onExit().get(10, TimeUnit.SECONDS);
            System.out.println("member " + member + (kill ? " killed" : " stopped") + " (pid " + p.get().pid() + ")");
            return 0;
        }

        java.util.Optional<ProcessHandle> process(Properties state) {
            String pid = state.getProperty("pid." + member);
            return pid == null ? java.util.Optional.empty() : ProcessHandle.of(Long.parseLong(pid)).filter(ProcessHandle::isAlive);
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, version = KitCli.VERSION, description = "Stops member N cleanly (SIGTERM).")
    static final class Stop extends OnMember {
        @Override
        public Integer call() throws Exception {
            return end(false);
        }
    }

    @Command(name = "kill", mixinStandardHelpOptions = true, version = KitCli.VERSION, description = "Kills member N at once (SIGKILL), as a crash would.")
    static final class Kill extends OnMember {
        @Override
        public Integer call() throws Exception {
            return end(true);
        }
    }

    @Command(name = "restart", mixinStandardHelpOptions = true, version = KitCli.VERSION, description = "Starts member N again (stopping it first if it runs); it recovers from its files and catches up.")
    static final class Restart extends OnMember {
        @Override
        public Integer call() throws Exception {
            Properties state = load(dir());
            ClusterSpec spec = spec(state);
            var p = process(state);
            if (p.isPresent()) {
                p.get().destroy();
                p.get().onExit().get(10, TimeUnit.SECONDS);
            }
            startMember(dir(), state, spec, member);
            awaitReady(spec, member);
            System.out.println("member " + member + " client " + spec.clientUrl(member) + " peer " + spec.peerUrl(member) + " data " + spec.memberDir(member));
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, version = KitCli.VERSION, description = "Says which members run and answer.")
    static final class Status implements Callable<Integer> {
        @Option(names = "--data-dir", description = "the cluster's data directory (default: cluster-data in the kit's folder)") Path dataDir;

        @Override
        public Integer call() {
            Path dir = dataDir(Layout.current(), dataDir);
            Properties state = load(dir);
            ClusterSpec spec = new ClusterSpec(Integer.parseInt(state.getProperty("size")), Integer.parseInt(state.getProperty("basePort")), dir);
            for (int n : spec.members()) {
                String pid = state.getProperty("pid." + n);
                boolean alive = pid != null && ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
                System.out.println("member " + n + " " + (alive ? "running (pid " + pid + ")" : "down") + ", " + spec.clientUrl(n)
                        + (Health.healthy(URI.create(spec.clientUrl(n))) ? " answers" : " does not answer"));
            }
            return 0;
        }
    }
}
