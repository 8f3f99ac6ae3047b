package minietcd.kit.kvctl;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Whole command lines through {@link KvCtl#run} against a stand-in gateway (the JDK's HTTP server
 * answering canned bodies): what is sent, failover between endpoints, and how each kind of failure
 * is reported and with which exit code. The real gateway over the reference store is exercised in
 * solutions/verify.
 */
class CommandLineTest {
    private HttpServer server;
    private final Map<String, String[]> answers = new ConcurrentHashMap<>(); // path -> {status, body}
    private final List<String> requests = new CopyOnWriteArrayList<>();

    record Result(int code, String out, String err) {}

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::answer);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void answer(HttpExchange x) throws IOException {
        String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(x.getRequestURI().getPath() + " " + body);
        String[] a = answers.getOrDefault(x.getRequestURI().getPath(), new String[] {"404", "Not Found\n"});
        if (a[1].equals("SLOW")) {
            try {
                Thread.sleep(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] bytes = a[1].getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(Integer.parseInt(a[0]), bytes.length);
        x.getResponseBody().write(bytes);
        x.close();
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static Result run(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = KvCtl.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void sendsTheGatewaysEncodingAndTriesTheNextEndpoint() throws IOException {
        answers.put("/v3/kv/put", new String[] {"200", "{\"header\":{\"revision\":\"2\"}}"});
        Result r = run("", "--endpoints=http://127.0.0.1:" + closedPort() + "," + url(), "put", "foo", "bar", "--lease=1f", "--prev-kv");
        assertThat(r).isEqualTo(new Result(0, "OK\n", ""));
        assertThat(requests).containsExactly("/v3/kv/put {\"key\":\"Zm9v\",\"value\":\"YmFy\",\"lease\":\"31\",\"prev_kv\":true}");
    }

    @Test
    void globalOptionsMayFollowTheCommandAndPutReadsAMissingValueFromStdin() {
        answers.put("/v3/kv/put", new String[] {"200", "{\"header\":{\"revision\":\"2\"}}"});
        Result r = run("from stdin\n", "put", "k", "--endpoints", url(), "-w", "json");
        assertThat(r).isEqualTo(new Result(0, "{\"header\":{\"revision\":2}}\n", ""));
        assertThat(requests).containsExactly("/v3/kv/put {\"key\":\"aw==\",\"value\":\"ZnJvbSBzdGRpbgo=\"}");
    }

    @Test
    void getSendsItsFlags() {
        answers.put("/v3/kv/range", new String[] {"200", "{\"header\":{\"revision\":\"9\"}}"});
        assertThat(run("", "--endpoints=" + url(), "get", "a", "--prefix", "--rev=3", "--limit=2", "--keys-only", "--consistency=s",
                "--sort-by=MODIFY", "--order=descend").code()).isZero();
        assertThat(run("", "--endpoints=" + url(), "get", "", "--from-key", "--order=ASCEND").code()).isZero();
        assertThat(requests).containsExactly(
                "/v3/kv/range {\"key\":\"YQ==\",\"range_end\":\"Yg==\",\"limit\":\"2\",\"revision\":\"3\",\"serializable\":true,\"sort_order\":\"DESCEND\",\"sort_target\":\"MOD\",\"keys_only\":true}",
                "/v3/kv/range {\"key\":\"AA==\",\"range_end\":\"AA==\"}");
    }

    @Test
    void etcdsErrorsPrintItsMessageAndExit1() {
        answers.put("/v3/kv/range", new String[] {"400", "{\"error\":\"etcdserver: mvcc: required revision has been compacted\","
                + "\"message\":\"etcdserver: mvcc: required revision has been compacted\",\"code\":11}"});
        Result r = run("", "--endpoints=" + url(), "get", "a", "--rev=1");
        assertThat(r).isEqualTo(new Result(1, "", "Error: etcdserver: mvcc: required revision has been compacted\n"));
    }

    @Test
    void somethingThatIsNotAGatewaySaysSo() {
        Result r = run("", "--endpoints=" + url(), "get", "a");
        assertThat(r).isEqualTo(new Result(1, "", "Error: unexpected answer from " + url() + ": HTTP 404 Not Found\n"));
    }

    @Test
    void unreachableEndpointsAreNamed() throws IOException {
        int a = closedPort(), b = closedPort();
        Result r = run("", "--endpoints=127.0.0.1:" + a + ",http://127.0.0.1:" + b, "get", "x");
        assertThat(r).isEqualTo(new Result(1, "", "Error: cannot reach any endpoint: http://127.0.0.1:" + a + " (connection refused), http://127.0.0.1:"
                + b + " (connection refused)\n"));
    }

    @Test
    void theCommandTimeoutIsEtcdsDeadline() {
        answers.put("/v3/kv/range", new String[] {"200", "SLOW"});
        Result r = run("", "--endpoints=" + url(), "--command-timeout=300ms", "get", "a");
        assertThat(r).isEqualTo(new Result(1, "", "Error: context deadline exceeded\n"));
    }

    @Test
    void usageMistakesExit2WithoutAnyRequest() {
        Result unknown = run("", "--endpoints=" + url(), "get", "a", "--count-only");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).startsWith("Error: Unknown option: '--count-only'").contains("Usage: kvctl get").contains("Try 'kvctl get --help'");
        assertThat(run("", "--endpoints=" + url(), "get", "a", "--prefix", "--from-key").err())
                .startsWith("Error: `--prefix` and `--from-key` cannot be set at the same time, choose one");
        assertThat(run("", "--endpoints=" + url(), "lease", "revoke", "nothex").err()).startsWith("Error: bad lease ID arg (nothex), expecting ID in Hex");
        assertThat(run("", "--endpoints=" + url(), "get", "a", "-w", "yaml").code()).isEqualTo(2);
        assertThat(run("", "--endpoints=" + url(), "--dial-timeout=soon", "get", "a").code()).isEqualTo(2);
        assertThat(run("", "--endpoints=" + url(), "--command-timeout=0", "get", "a").err()).startsWith("Error: --dial-timeout and --command-timeout must be longer than 0s");
        assertThat(run("", "--endpoints=ftp://x", "get", "a").err()).startsWith("Error: bad --endpoints: 'ftp://x' is not an http(s) URL with a host");
        assertThat(run("", "lease").code()).isEqualTo(2);
        assertThat(run("").err()).startsWith("Error: Missing required subcommand");
        assertThat(requests).isEmpty();
        Result help = run("", "get", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).startsWith("Usage: kvctl get");
    }

    @Test
    void aBadTxnScriptExits3() {
        Result r = run("value(\"k\") = \"v\"\n\nfrob k\n", "--endpoints=" + url(), "txn");
        assertThat(r).isEqualTo(new Result(3, "", "Error: invalid txn request: frob k\n"));
        assertThat(requests).isEmpty();
    }
}
