package minietcd.kit.apiserver;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import minietcd.kit.controlplane.Timers;
import minietcd.kit.client.HttpEtcdClient;

/**
 * The API server as a process: {@code ApiServerMain --etcd-servers URL,URL --port 6443 [--fences off] [--etcd-compaction-interval 5m]}, over the
 * etcd (the kit's cluster or a real etcd 3.4) at those client URLs, with lab 5's storage layer
 * (whichever {@code EtcdObjectStore} is on the class path: the reference's or the learner's).
 */
public final class ApiServerMain {
    private ApiServerMain() {}

    public static void main(String[] args) throws InterruptedException {
        List<String> a = Arrays.asList(args);
        String servers = value(a, "--etcd-servers", "http://127.0.0.1:2379");
        int port = Integer.parseInt(value(a, "--port", "6443"));
        String host = value(a, "--bind-address", "127.0.0.1");
        boolean fences = !value(a, "--fences", "on").equals("off");
        long compaction;
        try {
            compaction = interval(value(a, "--etcd-compaction-interval", "5m"));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        HttpEtcdClient etcd = new HttpEtcdClient(List.of(servers.split(",")), Duration.ofSeconds(10));
        ApiServer server;
        try {
            server = new ApiServer(etcd, fences).start(host, port);
        } catch (IllegalStateException e) {
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        }
        ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "compaction");
            t.setDaemon(true);
            return t;
        });
        Compactor compactor = new Compactor(etcd, timers(loop), Math.max(1, compaction), System.out::println);
        if (compaction > 0) compactor.start();
        System.out.println("API server on http://" + host + ":" + server.port() + " over etcd " + servers
                + (fences ? "" : "; leaders' fences ignored (lab 5 part D is not done)")
                + (compaction > 0 ? "; compacting the store every " + compaction / 1000 + " s" : "; compaction off"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            compactor.stop();
            loop.shutdownNow();
            server.close();
            etcd.close();
        }));
        Thread.currentThread().join();
    }

    /** Kubernetes' duration flags: {@code 5m}, {@code 90s}, {@code 1m30s}, {@code 1h}; {@code 0} for none. In milliseconds. */
    static long interval(String text) {
        if (text.equals("0")) return 0;
        try {
            return Duration.parse("PT" + text.toUpperCase(java.util.Locale.ROOT)).toMillis();
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("--etcd-compaction-interval takes a duration such as 5m, 90s or 1m30s (0: no compaction), not " + text);
        }
    }

    /** Timers on one thread of the process, for the compaction loop. */
    private static Timers timers(ScheduledExecutorService loop) {
        return new Timers() {
            @Override public long now() { return System.currentTimeMillis(); }
            @Override public Cancel after(long delayMillis, Runnable action) {
                var f = loop.schedule(action, delayMillis, TimeUnit.MILLISECONDS);
                return () -> f.cancel(false);
            }
        };
    }

    private static String value(List<String> args, String name, String absent) {
        int i = args.indexOf(name);
        return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : absent;
    }
}
