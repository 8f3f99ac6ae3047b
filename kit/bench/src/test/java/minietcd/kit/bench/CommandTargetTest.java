package minietcd.kit.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command target over {@code sh}: the script announces a health endpoint served by this test
 * and keeps a child process running, which close() must stop along with the shell.
 */
class CommandTargetTest {
    @TempDir Path work;

    @Test
    void startsReadsTheUrlsWaitsForHealthAndStopsTheWholeTree() throws Exception {
        HttpServer health = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        health.createContext("/health", ex -> {
            byte[] b = "{\"health\":\"true\"}".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(b);
            }
        });
        health.start();
        int port = health.getAddress().getPort();
        String script = "sleep 300 & echo noise; echo \"members {members} dir {dir}\";"
                + " echo \"member 1 client http://127.0.0.1:" + port + " peer http://127.0.0.1:1 data {dir}/m1\"; wait";
        CommandTarget target = new CommandTarget("ours", List.of("sh", "-c", script), work, work, Duration.ofSeconds(20));
        try {
            List<String> urls = target.start(1);
            assertThat(urls).containsExactly("http://127.0.0.1:" + port);
            List<ProcessHandle> tree = ProcessHandle.current().children().flatMap(p -> java.util.stream.Stream.concat(java.util.stream.Stream.of(p), p.descendants())).toList();
            assertThat(tree).isNotEmpty();
            target.close();
            for (ProcessHandle p : tree) assertThat(ChildProcesses.running(p)).as("process %s", p.pid()).isFalse();
            try (var left = Files.list(work)) {
                assertThat(left).isEmpty(); // its directory is gone
            }
        } finally {
            target.close();
            health.stop(0);
        }
    }

    @Test
    void aCommandThatExitsEarlyFailsWithItsOutput() {
        CommandTarget target = new CommandTarget("ours", List.of("sh", "-c", "echo cannot bind; exit 3"), work, work, Duration.ofSeconds(20));
        assertThatThrownBy(() -> target.start(1)).hasMessageContaining("exited with status 3").hasMessageContaining("cannot bind");
        target.close();
    }
}
