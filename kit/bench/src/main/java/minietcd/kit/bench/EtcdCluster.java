package minietcd.kit.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A fresh etcd cluster of 1 or more members on 127.0.0.1, each a child process of this JVM.
 *
 * <p>{@link #start} makes a temporary directory ({@code etcd-bench-*} under {@code workDir}) holding
 * each member's data directory ({@code m1.etcd}, ...) and log ({@code m1.log}, ...; etcd writes
 * nothing to our console), picks free client and peer ports, starts the members with a new
 * cluster token, and returns once every member's {@code GET /health} says true. {@link #close}
 * stops the members (SIGTERM, then SIGKILL for those still running 2 s later) and deletes the
 * directory; if a member had already exited by itself, the logs are kept and their place is printed
 * to stderr.
 *
 * <p>The grace period is short on purpose: on SIGTERM etcd's leader tries to hand its leadership to
 * a follower, and when the followers are stopping too it waits some 7 s for that to time out. The
 * data is thrown away, so a clean shutdown buys nothing.
 */
public final class EtcdCluster implements AutoCloseable {
    private static final Duration STOP_GRACE = Duration.ofSeconds(2);
    private final Path dir;
    private final List<Process> members;
    private final List<URI> clientUrls;
    private boolean closed;

    private EtcdCluster(Path dir, List<Process> members, List<URI> clientUrls) {
        this.dir = dir;
        this.members = members;
        this.clientUrls = clientUrls;
    }

    /**
     * Starts {@code size} members of {@code etcd} (the executable) under a new directory in
     * {@code workDir}, and waits up to {@code startLimit} for all to be healthy. On failure nothing is
     * left running, and the exception carries the end of the failing member's log.
     */
    public static EtcdCluster start(Path etcd, int size, Path workDir, Duration startLimit) throws IOException, InterruptedException, TimeoutException {
        if (size < 1) throw new IllegalArgumentException("members must be at least 1");
        Files.createDirectories(workDir);
        Path dir = Files.createTempDirectory(workDir, "etcd-bench-");
        int[] ports = FreePorts.pick(2 * size);
        List<String> peers = new ArrayList<>();
        List<URI> clients = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            clients.add(URI.create("http://127.0.0.1:" + ports[2 * i]));
            peers.add(name(i) + "=http://127.0.0.1:" + ports[2 * i + 1]);
        }
        String initialCluster = String.join(",", peers);
        String token = "bench-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        List<Process> started = new ArrayList<>();
        EtcdCluster cluster = new EtcdCluster(dir, started, List.copyOf(clients));
        try {
            for (int i = 0; i < size; i++) {
                String client = clients.get(i).toString(), peer = "http://127.0.0.1:" + ports[2 * i + 1];
                ProcessBuilder pb = new ProcessBuilder(etcd.toString(),
                        "--name", name(i),
                        "--data-dir", dir.resolve(name(i) + ".etcd").toString(),
                        "--listen-client-urls", client,
                        "--advertise-client-urls", client,
                        "--listen-peer-urls", peer,
                        "--initial-advertise-peer-urls", peer,
                        "--initial-cluster", initialCluster,
                        "--initial-cluster-state", "new",
                        "--initial-cluster-token", token);
                pb.environment().keySet().removeIf(k -> k.startsWith("ETCD_")); // only the flags configure it
                pb.redirectErrorStream(true).redirectOutput(log(dir, i).toFile());
                started.add(pb.start());
            }
            Health.await(cluster.clientUrls, startLimit, cluster::exited);
            return cluster;
        } catch (IOException | InterruptedException | TimeoutException | RuntimeException e) {
            String logs = cluster.logTails();
            cluster.close();
            String message = "etcd (" + size + " member" + (size == 1 ? "" : "s") + ") did not start: " + e.getMessage() + logs;
            if (e instanceof TimeoutException) throw new TimeoutException(message);
            if (e instanceof InterruptedException) throw (InterruptedException) e;
            throw new IOException(message, e);
        }
    }

    /** The members' client URLs, in member order. */
    public List<URI> clientUrls() {
        return clientUrls;
    }

    /** The directory holding the data directories and logs (gone after {@link #close}). */
    public Path dir() {
        return dir;
    }

    /** Stops every member and deletes the directory; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        String died = exited();
        ChildProcesses.stop(members.stream().map(Process::toHandle).toList(), STOP_GRACE);
        if (died != null) {
            System.err.println(died + "; the members' logs are kept in " + dir);
            deleteDataDirs();
        } else {
            delete(dir);
        }
    }

    /** Members killed on purpose (see {@link #kill}), by index. */
    private final java.util.Set<Integer> killed = new java.util.HashSet<>();

    /** Kills member {@code n} (from 1) with SIGKILL, as a crash would. */
    public synchronized void kill(int n) {
        killed.add(n - 1);
        members.get(n - 1).destroyForcibly();
    }

    /** Which member exited by itself, if one did; null while all run. */
    private String exited() {
        for (int i = 0; i < members.size(); i++) {
            Process p = members.get(i);
            if (!p.isAlive() && !killed.contains(i)) return "etcd member " + name(i) + " exited with status " + p.exitValue();
        }
        return null;
    }

    /** The last lines of each member's log, for an error message. */
    private String logTails() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < members.size(); i++) {
            try {
                List<String> lines = Files.readAllLines(log(dir, i));
                sb.append("\n--- last lines of ").append(name(i)).append("'s log ---\n");
                lines.subList(Math.max(0, lines.size() - 15), lines.size()).forEach(l -> sb.append(l).append('\n'));
            } catch (IOException | UncheckedIOException e) {
                // no log to show
            }
        }
        return sb.toString();
    }

    private void deleteDataDirs() {
        for (int i = 0; i < members.size(); i++) delete(dir.resolve(name(i) + ".etcd"));
    }

    private static String name(int i) {
        return "m" + (i + 1);
    }

    private static Path log(Path dir, int i) {
        return dir.resolve(name(i) + ".log");
    }

    /** Deletes a directory tree, quietly: what cannot be deleted stays. */
    static void delete(Path root) {
        if (!Files.exists(root)) return;
        try (Stream<Path> all = Files.walk(root)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // left behind; a temporary directory
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // left behind; a temporary directory
        }
    }
}
