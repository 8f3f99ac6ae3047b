package minietcd.kit.bench;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * A cluster started by a command line, for our own cluster ({@code ./jbang cluster ...}) or any
 * server that announces itself the same way.
 *
 * <p>The command is an argv template: {@code {members}} is replaced by the member count and
 * {@code {dir}} by a fresh empty directory under the work directory (for data, so that both systems
 * write to the same file system; removed on close). The command runs in the foreground until it is
 * stopped, with the working directory given, and prints one line per member holding
 * {@code client http://127.0.0.1:PORT} (or {@code gateway on http://...}; see {@link ClientUrls}).
 * Its output (stdout and stderr) goes to {@code ours.log} in that directory, not to the console.
 * {@link #start} returns once {@code members} distinct URLs were printed and each answers
 * {@code GET /health} with true. {@link #close} stops the command and every process under it.
 */
public final class CommandTarget implements BenchTarget {
    private final String name;
    private final List<String> template;
    private final Path workingDir;
    private final Path workDir;
    private final Duration startLimit;
    private Path dir;
    private Process process;
    private final Set<URI> urls = new LinkedHashSet<>();
    private final Deque<String> tail = new ArrayDeque<>();

    /**
     * @param name       the name in the table
     * @param template   the argv, with {@code {members}} and {@code {dir}} to fill in
     * @param workingDir where the command runs
     * @param workDir    where its temporary directory is made
     * @param startLimit how long the command may take to print its URLs and be healthy (it may compile first)
     */
    public CommandTarget(String name, List<String> template, Path workingDir, Path workDir, Duration startLimit) {
        if (template.isEmpty()) throw new IllegalArgumentException("empty command");
        this.name = name;
        this.template = List.copyOf(template);
        this.workingDir = workingDir;
        this.workDir = workDir;
        this.startLimit = startLimit;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<String> start(int members) throws Exception {
        if (process != null) throw new IllegalStateException("already started");
        Files.createDirectories(workDir);
        dir = Files.createTempDirectory(workDir, "ours-bench-");
        Path data = Files.createDirectory(dir.resolve("data"));
        List<String> argv = ClientUrls.expand(template, Map.of("members", String.valueOf(members), "dir", data.toString()));
        process = new ProcessBuilder(argv).directory(workingDir.toFile()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        Thread reader = new Thread(() -> drain(dir.resolve("ours.log")), "ours-output");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + startLimit.toNanos();
        try {
            List<URI> found;
            synchronized (this) {
                while (urls.size() < members) {
                    if (!process.isAlive()) throw new IllegalStateException("'" + String.join(" ", argv) + "' exited with status " + process.exitValue() + " before printing " + members + " client URLs" + tail());
                    long left = deadline - System.nanoTime();
                    if (left <= 0) throw new TimeoutException("'" + String.join(" ", argv) + "' printed " + urls.size() + " of " + members + " client URLs in " + startLimit.toSeconds() + " s" + tail());
                    wait(Math.max(1, Math.min(200, left / 1_000_000)));
                }
                found = new ArrayList<>(urls).subList(0, members);
            }
            Duration left = Duration.ofNanos(Math.max(deadline - System.nanoTime(), Duration.ofSeconds(5).toNanos()));
            Health.await(found, left, () -> process.isAlive() ? null : "'" + String.join(" ", argv) + "' exited with status " + process.exitValue() + tail());
            return found.stream().map(URI::toString).toList();
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    /** Copies the command's output to its log, and collects the URLs it announces. */
    private void drain(Path log) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             BufferedWriter w = Files.newBufferedWriter(log)) {
            for (String line; (line = r.readLine()) != null; ) {
                w.write(line);
                w.newLine();
                w.flush();
                synchronized (this) {
                    ClientUrls.parse(line).ifPresent(urls::add);
                    tail.addLast(line);
                    if (tail.size() > 15) tail.removeFirst();
                    notifyAll();
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // the process ended or the log cannot be written; start() notices the former
        }
    }

    private synchronized String tail() {
        return tail.isEmpty() ? "" : "\n--- its last lines ---\n" + String.join("\n", tail);
    }

    /**
     * Kills member {@code member} with SIGKILL: the process under the command whose arguments hold
     * {@code --member N} (as {@code ./jbang cluster} starts its members).
     */
    @Override
    public void kill(int member) {
        List<ProcessHandle> found = process.descendants().filter(h -> {
            List<String> args = arguments(h);
            int at = args.indexOf("--member");
            return at >= 0 && at + 1 < args.size() && args.get(at + 1).equals(String.valueOf(member));
        }).toList();
        if (found.isEmpty()) throw new IllegalStateException("no process of member " + member + " under '" + String.join(" ", template) + "'");
        found.forEach(ProcessHandle::destroyForcibly);
    }

    /** A process's arguments: from /proc where there is one (the JDK's view leaves out a long command line's), else the JDK's. */
    private static List<String> arguments(ProcessHandle h) {
        Path cmdline = Path.of("/proc", String.valueOf(h.pid()), "cmdline");
        try {
            if (Files.isReadable(cmdline)) return List.of(new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).split("\0"));
        } catch (IOException e) {
            // gone, or not ours to read: the JDK's view
        }
        return List.of(h.info().arguments().orElse(new String[0]));
    }

    /**
     * Stops the command and every process it started, then removes its directory; if the command had
     * already exited by itself, its log is kept and its place printed to stderr. Idempotent.
     */
    @Override
    public void close() {
        Process p = process;
        boolean died = p != null && !p.isAlive();
        if (p != null) ChildProcesses.stopTree(p.toHandle(), Duration.ofSeconds(10));
        if (dir != null) {
            if (died) {
                System.err.println("'" + template.get(0) + "' had exited by itself (status " + p.exitValue() + "); its output is kept in " + dir.resolve("ours.log"));
                EtcdCluster.delete(dir.resolve("data"));
            } else {
                EtcdCluster.delete(dir);
            }
            dir = null;
        }
    }
}
