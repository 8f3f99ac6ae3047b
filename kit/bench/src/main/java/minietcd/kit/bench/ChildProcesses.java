package minietcd.kit.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Stopping child processes: SIGTERM first, then SIGKILL for those still alive after a grace period. */
public final class ChildProcesses {
    private ChildProcesses() {}

    /**
     * Stops {@code root} and every process below it. The descendants are listed before anything is
     * signalled, since once a parent exits its children are re-parented and no longer found under it.
     */
    static void stopTree(ProcessHandle root, Duration grace) {
        List<ProcessHandle> all = new ArrayList<>(root.descendants().toList());
        all.add(0, root);
        stop(all, grace);
    }

    /**
     * Asks each process to stop ({@link ProcessHandle#destroy}, SIGTERM on Unix), waits up to
     * {@code grace} for all of them, then kills the ones left ({@code SIGKILL}) and waits a little
     * for those too. Returns when all are gone or after that second wait.
     */
    public static void stop(List<ProcessHandle> processes, Duration grace) {
        for (ProcessHandle p : processes) p.destroy();
        awaitExit(processes, grace);
        boolean killed = false;
        for (ProcessHandle p : processes) {
            if (running(p)) {
                p.destroyForcibly();
                killed = true;
            }
        }
        if (killed) awaitExit(processes, Duration.ofSeconds(5));
    }

    /**
     * Alive and not a zombie. A grandchild whose parent exited first is re-parented to PID 1, and
     * until that reaps it, it is a zombie that {@link ProcessHandle#isAlive} still reports alive
     * (in a container whose PID 1 reaps lazily, for seconds). On Linux its state in /proc says so.
     */
    public static boolean running(ProcessHandle p) {
        if (!p.isAlive()) return false;
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
            int end = stat.lastIndexOf(')'); // the command name, in parentheses, may hold spaces
            return !(end > 0 && end + 2 < stat.length() && stat.charAt(end + 2) == 'Z');
        } catch (IOException | RuntimeException e) {
            return p.isAlive(); // no /proc (not Linux), or it is gone already
        }
    }

    private static void awaitExit(List<ProcessHandle> processes, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        for (ProcessHandle p : processes) {
            while (running(p) && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
