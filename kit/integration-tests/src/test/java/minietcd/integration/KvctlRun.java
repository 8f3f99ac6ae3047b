package minietcd.integration;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import minietcd.kit.backend.MemoryBackend;
import minietcd.kit.kvctl.KvCtl;
import minietcd.kit.mvcc.Stores;
import minietcd.kit.server.GatewayServer;
import minietcd.kit.watch.Watchable;
import minietcd.kit.watch.Watchers;

/**
 * What the kvctl tests share: one gateway on loopback over a fresh reference store (the wall clock
 * drives its leases, as {@code ./jbang serve} does), and kvctl command lines run in this JVM with
 * their output captured.
 */
final class KvctlRun {
    private KvctlRun() {}

    /** A command line's exit code and what it printed. */
    record Result(int code, String out, String err) {}

    /** A gateway over a fresh in-memory reference store; closing it stops the server, then closes the store. */
    record Gateway(Watchable store, GatewayServer server) implements AutoCloseable {
        static Gateway start() {
            Watchable store = new LiveWatchers(Watchers.open(Stores.open(new MemoryBackend(), System::currentTimeMillis))); // so a test can wait for a watch to exist
            return new Gateway(store, new GatewayServer(store, System::currentTimeMillis).start(0));
        }

        String url() {
            return "http://127.0.0.1:" + server.port();
        }

        /** kvctl against this gateway: {@code --endpoints} comes first, then {@code args}. */
        Result kvctl(String stdin, String... args) {
            String[] all = new String[args.length + 1];
            all[0] = "--endpoints=" + url();
            System.arraycopy(args, 0, all, 1, args.length);
            return run(stdin, all);
        }

        @Override
        public void close() {
            server.close();
            store.close();
        }
    }

    /** Runs one kvctl command line in this JVM; {@code stdin} may be null for none. */
    static Result run(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = KvCtl.run(args, new ByteArrayInputStream((stdin == null ? "" : stdin).getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A loopback port nothing listens on (it was free a moment ago). */
    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
