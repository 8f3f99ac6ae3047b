package minietcd.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import minietcd.integration.KvctlRun.Gateway;
import minietcd.integration.KvctlRun.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * kvctl's commands run in this JVM against the gateway over the reference store, on loopback: each
 * test gets a fresh store, and checks what etcdctl 3.4 would print and its exit code.
 */
class KvctlTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private Gateway gw;

    @BeforeEach
    void start() {
        gw = Gateway.start();
    }

    @AfterEach
    void stop() {
        gw.close();
    }

    private Result ok(String... args) {
        return okWith(null, args);
    }

    /** Runs a command that must succeed without a word on stderr; {@code stdin} is its input. */
    private Result okWith(String stdin, String... args) {
        Result r = gw.kvctl(stdin, args);
        assertThat(r.code()).as("exit code of %s, stderr: %s", String.join(" ", args), r.err()).isZero();
        assertThat(r.err()).isEmpty();
        return r;
    }

    /** The revision a put created, from its JSON answer. */
    private long put(String key, String value) throws Exception {
        return JSON.readTree(ok("put", key, value, "-w", "json").out()).path("header").path("revision").asLong();
    }

    @Test
    void putAndGetWithPrefixRevLimitAndKeysOnly() throws Exception {
        assertThat(ok("put", "p/a", "1").out()).isEqualTo("OK\n");
        long first = put("p/b", "2");
        ok("put", "p/c", "3");
        ok("put", "p/b", "22");
        ok("put", "q", "other");

        assertThat(ok("get", "p/b").out()).isEqualTo("p/b\n22\n");
        assertThat(ok("get", "p/", "--prefix").out()).isEqualTo("p/a\n1\np/b\n22\np/c\n3\n");
        assertThat(ok("get", "p/a", "p/c").out()).isEqualTo("p/a\n1\np/b\n22\n");
        assertThat(ok("get", "p/c", "--from-key").out()).isEqualTo("p/c\n3\nq\nother\n");
        assertThat(ok("get", "p/", "--prefix", "--limit=2").out()).isEqualTo("p/a\n1\np/b\n22\n");
        assertThat(ok("get", "p/", "--prefix", "--keys-only").out()).isEqualTo("p/a\n\np/b\n\np/c\n\n");
        assertThat(ok("get", "p/", "--prefix", "--print-value-only").out()).isEqualTo("1\n22\n3\n");
        assertThat(ok("get", "p/", "--prefix", "--rev=" + first).out()).isEqualTo("p/a\n1\np/b\n2\n");
        assertThat(ok("get", "p/", "--prefix", "--sort-by=VALUE", "--order=DESCEND", "--consistency=s").out()).isEqualTo("p/c\n3\np/b\n22\np/a\n1\n");
        assertThat(ok("get", "nothing").out()).isEmpty();

        JsonNode limited = JSON.readTree(ok("get", "p/", "--prefix", "--limit=1", "-w", "json").out());
        assertThat(limited.path("more").asBoolean()).isTrue();
        assertThat(limited.path("count").isNumber()).isTrue();
        assertThat(limited.path("count").asLong()).isEqualTo(3);

        assertThat(ok("put", "p/a", "one", "--prev-kv").out()).isEqualTo("OK\np/a\n1\n");
        assertThat(ok("--hex", "get", "p/a").out()).isEqualTo("\\x70\\x2f\\x61\n\\x6f\\x6e\\x65\n");
    }

    @Test
    void delWithPrevKv() {
        ok("put", "d/1", "a");
        ok("put", "d/2", "b");
        ok("put", "e", "c");
        assertThat(ok("del", "d/", "--prefix", "--prev-kv").out()).isEqualTo("2\nd/1\na\nd/2\nb\n");
        assertThat(ok("del", "d/1").out()).isEqualTo("0\n");
        assertThat(ok("del", "e").out()).isEqualTo("1\n");
        assertThat(ok("get", "", "--prefix").out()).isEmpty();
    }

    @Test
    void txnFromStdin() {
        ok("put", "t", "v1");
        String script = "value(\"t\") = \"v1\"\nversion(\"t\") = \"1\"\n\nput t v2 --prev-kv\nget t\n\nget t\n\n";
        assertThat(okWith(script, "txn").out()).isEqualTo("SUCCESS\n\nOK\nt\nv1\n\nt\nv2\n");
        assertThat(okWith(script, "txn").out()).isEqualTo("FAILURE\n\nt\nv2\n");
        assertThat(okWith("create(\"new\") = \"0\"\n\nput new x\n\n", "txn").out()).isEqualTo("SUCCESS\n\nOK\n");
        assertThat(okWith("mod(\"new\") > \"0\"\n\ndel new\n\n", "txn").out()).isEqualTo("SUCCESS\n\n1\n");
        assertThat(okWith("mod(\"t\") < \"1\"\n\n\nput f y\n", "txn").out()).isEqualTo("FAILURE\n\nOK\n");
        assertThat(ok("get", "f").out()).isEqualTo("f\ny\n");

        Result bad = gw.kvctl("value(\"t\") == \"v1\"\n\n\n", "txn");
        assertThat(bad).isEqualTo(new Result(3, "", "Error: malformed comparison: value(\"t\") == \"v1\"\n"));
    }

    @Test
    void watchReceivesAPutFromAnotherClient() throws Exception {
        long now = put("w/seed", "0");
        // from the next revision on, so the watch sees the writes even if they come before it is set up
        CompletableFuture<Result> watch = CompletableFuture.supplyAsync(() -> gw.kvctl(null, "watch", "w/", "--prefix", "--prev-kv",
                "--rev=" + (now + 1), "--max-events=3"));
        ok("put", "w/k", "1");
        ok("put", "w/k", "2");
        ok("del", "w/k");
        Result r = watch.get(20, TimeUnit.SECONDS);
        assertThat(r).isEqualTo(new Result(0, "PUT\nw/k\n1\nPUT\nw/k\n1\nw/k\n2\nDELETE\nw/k\n2\nw/k\n\n", ""));
    }

    @Test
    void aLiveWatchSeesWritesMadeAfterIt() throws Exception {
        CompletableFuture<Result> watch = CompletableFuture.supplyAsync(() -> gw.kvctl(null, "watch", "live", "--max-events=1", "-w", "json"));
        // the watch is live only once the server has it: write until it reports one event
        for (int i = 0; !watch.isDone() && i < 200; i++) {
            ok("put", "live", "v" + i);
            Thread.sleep(50);
        }
        Result r = watch.get(20, TimeUnit.SECONDS);
        assertThat(r.code()).isZero();
        JsonNode message = JSON.readTree(r.out());
        assertThat(message.path("Events").size()).isEqualTo(1);
        assertThat(message.path("Events").get(0).path("kv").path("key").asText()).isEqualTo("bGl2ZQ==");
        assertThat(message.path("Created").asBoolean()).isFalse();
    }

    @Test
    void leaseLifecycle() {
        String granted = ok("lease", "grant", "60").out();
        assertThat(granted).matches("lease [0-9a-f]{16} granted with TTL\\(60s\\)\n");
        String id = granted.split(" ")[1];
        ok("put", "l/k", "v", "--lease=" + id);
        assertThat(ok("lease", "timetolive", id, "--keys").out())
                .matches("lease " + id + " granted with TTL\\(60s\\), remaining\\((5[0-9]|60)s\\), attached keys\\(\\[l/k\\]\\)\n");
        assertThat(ok("lease", "timetolive", id).out()).matches("lease " + id + " granted with TTL\\(60s\\), remaining\\((5[0-9]|60)s\\)\n");
        assertThat(ok("lease", "keep-alive", "--once", id).out()).isEqualTo("lease " + id + " keepalived with TTL(60)\n");
        String other = ok("lease", "grant", "30").out().split(" ")[1];
        assertThat(ok("lease", "list").out()).startsWith("found 2 leases\n").contains(id + "\n").contains(other + "\n");
        assertThat(ok("lease", "revoke", id).out()).isEqualTo("lease " + id + " revoked\n");
        assertThat(ok("get", "l/k").out()).isEmpty();
        assertThat(ok("lease", "timetolive", id).out()).isEqualTo("lease " + id + " already expired\n");
        assertThat(gw.kvctl(null, "lease", "keep-alive", "--once", id)).isEqualTo(new Result(1, "", "Error: etcdserver: requested lease not found\n"));
        assertThat(gw.kvctl(null, "lease", "revoke", id)).isEqualTo(new Result(1, "", "Error: etcdserver: requested lease not found\n"));
        assertThat(gw.kvctl(null, "put", "x", "y", "--lease=" + id)).isEqualTo(new Result(1, "", "Error: etcdserver: requested lease not found\n"));
        assertThat(ok("lease", "list").out()).isEqualTo("found 1 leases\n" + other + "\n");
    }

    @Test
    void compactionThenAnOlderRevisionIsAnError() throws Exception {
        long old = put("c", "1");
        long next = put("c", "2");
        put("c", "3");
        assertThat(ok("compaction", String.valueOf(next)).out()).isEqualTo("compacted revision " + next + "\n");
        assertThat(gw.kvctl(null, "get", "c", "--rev=" + old))
                .isEqualTo(new Result(1, "", "Error: etcdserver: mvcc: required revision has been compacted\n"));
        assertThat(ok("get", "c", "--rev=" + next).out()).isEqualTo("c\n2\n");
        assertThat(gw.kvctl(null, "compaction", String.valueOf(next)))
                .isEqualTo(new Result(1, "", "Error: etcdserver: mvcc: required revision has been compacted\n"));
        assertThat(gw.kvctl(null, "get", "c", "--rev=1000"))
                .isEqualTo(new Result(1, "", "Error: etcdserver: mvcc: required revision is a future revision\n"));
        assertThat(gw.kvctl(null, "watch", "c", "--rev=" + old)).isEqualTo(new Result(5, "",
                "watch was canceled (etcdserver: mvcc: required revision has been compacted)\nError: watch is canceled by the server\n"));
    }

    @Test
    void endpointStatusAndHealth() throws Exception {
        ok("put", "k", "v");
        String member = Long.toHexString(gw.server().memberId());
        assertThat(ok("endpoint", "status").out())
                .matches("\\Q" + gw.url() + ", " + member + ", 3.4.23, \\E\\d+ k?B, true, false, \\d+, \\d+, \\d+, \n");
        JsonNode status = JSON.readTree(ok("endpoint", "status", "-w", "json").out());
        assertThat(status.get(0).path("Endpoint").asText()).isEqualTo(gw.url());
        assertThat(status.get(0).path("Status").path("version").asText()).isEqualTo("3.4.23");
        assertThat(status.get(0).path("Status").path("header").path("revision").asLong()).isEqualTo(2);
        assertThat(ok("endpoint", "status", "-w", "table").out()).contains(" ENDPOINT ", " RAFT APPLIED INDEX ", "| " + gw.url() + " | " + member + " |");
        assertThat(ok("endpoint", "status", "--cluster").out()).startsWith(gw.url() + ", " + member + ", ");
        assertThat(ok("endpoint", "health").out()).matches("\\Q" + gw.url() + "\\E is healthy: successfully committed proposal: took = [0-9.]+(ms|µs|s)\n");

        int dead = KvctlRun.closedPort();
        Result mixed = KvctlRun.run(null, "--endpoints=" + gw.url() + ",http://127.0.0.1:" + dead, "endpoint", "status");
        assertThat(mixed.code()).isEqualTo(1);
        assertThat(mixed.out()).startsWith(gw.url() + ", ");
        assertThat(mixed.err()).isEqualTo("Failed to get the status of endpoint http://127.0.0.1:" + dead
                + " (cannot reach http://127.0.0.1:" + dead + " (connection refused))\n");
    }

    @Test
    void memberList() throws Exception {
        String member = Long.toHexString(gw.server().memberId());
        assertThat(ok("member", "list").out()).isEqualTo(member + ", started, default, , " + gw.url() + ", false\n");
        JsonNode list = JSON.readTree(ok("member", "list", "-w", "json").out());
        assertThat(list.path("members").get(0).path("ID").bigIntegerValue()).isEqualTo(new java.math.BigInteger(Long.toUnsignedString(gw.server().memberId())));
        assertThat(list.path("header").has("revision")).isFalse();
        assertThat(ok("member", "list", "-w", "table").out()).contains(" ID ", " CLIENT ADDRS ", "| " + member + " | started |");
    }

    @Test
    void anUnreachableEndpointIsNamedAndTheNextOneIsTried() throws Exception {
        int dead = KvctlRun.closedPort();
        assertThat(KvctlRun.run(null, "--endpoints=http://127.0.0.1:" + dead, "get", "k"))
                .isEqualTo(new Result(1, "", "Error: cannot reach http://127.0.0.1:" + dead + " (connection refused)\n"));
        assertThat(KvctlRun.run(null, "--endpoints=127.0.0.1:" + dead + "," + gw.url(), "put", "k", "v")).isEqualTo(new Result(0, "OK\n", ""));
        assertThat(ok("get", "k").out()).isEqualTo("k\nv\n");
    }

    @Test
    void badUsageExits2() {
        Result noKey = gw.kvctl(null, "get");
        assertThat(noKey.code()).isEqualTo(2);
        assertThat(noKey.err()).startsWith("Error: Missing required parameter: '<key>'\n").contains("Usage: kvctl get");
        Result unknown = gw.kvctl(null, "get", "k", "--count-only");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).startsWith("Error: Unknown option: '--count-only'");
        assertThat(gw.kvctl(null, "compaction", "soon").code()).isEqualTo(2);
        assertThat(gw.kvctl(null, "lease", "grant").code()).isEqualTo(2);
        assertThat(gw.kvctl(null, "del", "a", "b", "--prefix").err())
                .startsWith("Error: too many arguments, only accept one argument when `--prefix` or `--from-key` is set.");
        assertThat(gw.kvctl(null, "nosuch").code()).isEqualTo(2);
    }
}
