package minietcd.kit.server;

import java.nio.file.Path;
import minietcd.kit.backend.H2Backend;
import minietcd.kit.backend.MemoryBackend;
import minietcd.kit.mvcc.Backend;
import minietcd.kit.mvcc.Stores;
import minietcd.kit.watch.Watchable;
import minietcd.kit.watch.Watchers;

/**
 * Starts one member's gateway by hand, over the lab classes (or the reference solutions) on the
 * classpath: {@code --port N} (default 2379), {@code --data-dir DIR} for an H2 store that survives
 * restarts (default: in memory). Here the clock is the wall clock, so leases expire in real time.
 * Runs until the process is stopped.
 */
public final class SingleMember {
    private SingleMember() {}

    public static void main(String[] args) throws InterruptedException {
        int port = 2379;
        String dataDir = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--data-dir" -> dataDir = args[++i];
                default -> {
                    System.err.println("usage: SingleMember [--port N] [--data-dir DIR]");
                    System.exit(2);
                }
            }
        }
        Backend backend = dataDir == null ? new MemoryBackend() : H2Backend.open(Path.of(dataDir));
        Watchable store = Watchers.open(Stores.open(backend, System::currentTimeMillis));
        GatewayServer server = new GatewayServer(store, System::currentTimeMillis).start(port);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            try {
                store.close();
            } catch (RuntimeException e) {
                // H2 closes its database at exit on its own hook, which may have run first
            }
        }));
        System.out.println("etcd gateway on http://127.0.0.1:" + server.port());
        Thread.currentThread().join();
    }
}
