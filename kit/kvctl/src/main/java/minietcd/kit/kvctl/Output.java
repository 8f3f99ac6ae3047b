package minietcd.kit.kvctl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints answers as etcdctl 3.4 prints them, in the chosen {@link Format}.
 *
 * <p>{@code simple} is etcdctl's default: a get prints each key and value on lines of their own
 * (the bytes as stored; with {@code --hex} as {@code \x..} escapes), a put prints {@code OK}, a del the
 * number deleted, a txn {@code SUCCESS} or {@code FAILURE} then each response after a blank line,
 * a watch each event as its type, key and value, and lease, member and endpoint commands one
 * line per item with ids in hexadecimal. {@code json} prints etcdctl's JSON for the answer (see
 * {@link EtcdctlJson}), one object per line. {@code table} draws endpoint and member answers as
 * etcdctl's boxed tables; the other commands have no table and fail with {@link Failure.Unsupported}.
 */
final class Output {
    /** etcdctl's {@code --write-out} values that kvctl prints. */
    enum Format { SIMPLE, JSON, TABLE }

    /** One endpoint's answer to {@code maintenance/status}. */
    record EndpointStatus(String endpoint, ObjectNode status) {}

    /** One endpoint's health check: how long it took, and why it failed (null when healthy). */
    record EndpointHealth(String endpoint, boolean healthy, Duration took, String error) {}

    private final PrintStream out;
    private final Format format;
    private final boolean hex;

    Output(PrintStream out, Format format, boolean hex) {
        this.out = out;
        this.format = format;
        this.hex = hex;
    }

    Format format() {
        return format;
    }

    void put(ObjectNode r) {
        if (handledAsJson(r)) return;
        out.println("OK");
        if (r.has("prev_kv")) kv(r.get("prev_kv"), false);
    }

    void get(ObjectNode r, boolean valueOnly) {
        if (handledAsJson(r)) return;
        for (JsonNode kv : r.path("kvs")) kv(kv, valueOnly);
    }

    void del(ObjectNode r) {
        if (handledAsJson(r)) return;
        out.println(Gateway.int64(r.get("deleted")));
        for (JsonNode kv : r.path("prev_kvs")) kv(kv, false);
    }

    void txn(ObjectNode r) {
        if (handledAsJson(() -> EtcdctlJson.txn(r))) return;
        out.println(r.path("succeeded").asBoolean() ? "SUCCESS" : "FAILURE");
        for (JsonNode response : r.path("responses")) {
            out.println();
            if (response.get("response_put") instanceof ObjectNode p) put(p);
            else if (response.get("response_range") instanceof ObjectNode g) get(g, false);
            else if (response.get("response_delete_range") instanceof ObjectNode d) del(d);
            else out.println("unexpected response " + response);
        }
    }

    /** etcdctl prints this line whatever the output format. */
    void compaction(long revision) {
        out.println("compacted revision " + revision);
    }

    /** One watch message: its events (a progress notification prints nothing in simple form). */
    void watch(ObjectNode result) {
        if (handledAsJson(() -> EtcdctlJson.watch(result))) return;
        for (JsonNode e : result.path("events")) {
            boolean delete = e.path("type").asText().equals("DELETE") || e.path("type").asInt() == 1;
            out.println(delete ? "DELETE" : "PUT");
            if (e.has("prev_kv")) kv(e.get("prev_kv"), false);
            kv(e.path("kv"), false);
        }
    }

    void grant(ObjectNode r) {
        if (handledAsJson(() -> EtcdctlJson.grant(r))) return;
        out.printf("lease %s granted with TTL(%ds)%n", leaseHex(Gateway.int64(r.get("ID"))), Gateway.int64(r.get("TTL")));
    }

    void revoke(long id, ObjectNode r) {
        if (handledAsJson(r)) return;
        out.printf("lease %s revoked%n", leaseHex(id));
    }

    void keepAlive(ObjectNode r) {
        if (handledAsJson(() -> EtcdctlJson.keepAlive(r))) return;
        out.printf("lease %s keepalived with TTL(%d)%n", leaseHex(Gateway.int64(r.get("ID"))), Gateway.int64(r.get("TTL")));
    }

    /** The line after a keep-alive loop ends; only the simple format prints it. */
    void keepAliveEnded(long id) {
        if (format == Format.SIMPLE) out.printf("lease %s expired or revoked.%n", leaseHex(id));
    }

    void timeToLive(ObjectNode r, boolean keys) {
        if (handledAsJson(() -> EtcdctlJson.timeToLive(r))) return;
        long id = Gateway.int64(r.get("ID")), ttl = Gateway.int64(r.get("TTL")), granted = Gateway.int64(r.get("grantedTTL"));
        if (granted == 0 && ttl == -1) {
            out.printf("lease %s already expired%n", leaseHex(id));
            return;
        }
        StringBuilder line = new StringBuilder(String.format("lease %s granted with TTL(%ds), remaining(%ds)", leaseHex(id), granted, ttl));
        if (keys) {
            List<String> names = new ArrayList<>();
            r.path("keys").forEach(k -> names.add(new String(Gateway.bytes(k), StandardCharsets.UTF_8)));
            line.append(", attached keys(").append(goList(names)).append(")");
        }
        out.println(line);
    }

    void leases(ObjectNode r) {
        if (handledAsJson(() -> EtcdctlJson.leases(r))) return;
        out.printf("found %d leases%n", r.path("leases").size());
        for (JsonNode l : r.path("leases")) out.println(leaseHex(Gateway.int64(l.get("ID"))));
    }

    void memberList(ObjectNode r) {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode m : r.path("members")) {
            rows.add(List.of(Long.toHexString(Gateway.uint64(m.get("ID"))),
                    m.path("name").asText().isEmpty() ? "unstarted" : "started",
                    m.path("name").asText(), join(m.path("peerURLs")), join(m.path("clientURLs")),
                    String.valueOf(m.path("isLearner").asBoolean())));
        }
        rows(r, rows, List.of("ID", "Status", "Name", "Peer Addrs", "Client Addrs", "Is Learner"));
    }

    /** Each raised alarm as Go prints the alarm message: {@code memberID:<id> alarm:<type> }. */
    void alarms(ObjectNode r) {
        if (handledAsJson(r)) return;
        for (JsonNode a : r.path("alarms"))
            out.println("memberID:" + Long.toUnsignedString(Gateway.uint64(a.get("memberID"))) + " alarm:" + a.path("alarm").asText("NONE") + " ");
    }

    void endpointStatus(List<EndpointStatus> statuses) {
        if (format == Format.JSON) {
            print(EtcdctlJson.endpointStatus(statuses));
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        for (EndpointStatus s : statuses) {
            ObjectNode st = s.status();
            long member = Gateway.uint64(st.path("header").get("member_id"));
            List<String> errors = new ArrayList<>();
            st.path("errors").forEach(e -> errors.add(e.asText()));
            rows.add(List.of(s.endpoint(), Long.toHexString(member), st.path("version").asText(),
                    bytesSi(Gateway.int64(st.get("dbSize"))), String.valueOf(Gateway.uint64(st.get("leader")) == member),
                    String.valueOf(st.path("isLearner").asBoolean()), String.valueOf(Gateway.int64(st.get("raftTerm"))),
                    String.valueOf(Gateway.int64(st.get("raftIndex"))), String.valueOf(Gateway.int64(st.get("raftAppliedIndex"))),
                    String.join(", ", errors)));
        }
        rows(null, rows, List.of("Endpoint", "ID", "Version", "DB Size", "Is Leader", "Is Learner", "Raft Term", "Raft Index", "Raft Applied Index", "Errors"));
    }

    /** Healthy endpoints on stdout; unhealthy ones go to {@code err}, as etcdctl does. */
    void endpointHealth(List<EndpointHealth> checks, PrintStream err) {
        if (format == Format.JSON) {
            print(EtcdctlJson.endpointHealth(checks));
            return;
        }
        if (format == Format.TABLE) {
            List<List<String>> rows = new ArrayList<>();
            for (EndpointHealth h : checks)
                rows.add(List.of(h.endpoint(), String.valueOf(h.healthy()), Durations.format(h.took()), h.error() == null ? "" : h.error()));
            out.print(Table.render(List.of("Endpoint", "Health", "Took", "Error"), rows));
            return;
        }
        for (EndpointHealth h : checks) {
            if (h.healthy()) out.printf("%s is healthy: successfully committed proposal: took = %s%n", h.endpoint(), Durations.format(h.took()));
            else err.printf("%s is unhealthy: failed to commit proposal: %s%n", h.endpoint(), h.error());
        }
    }

    // ---- helpers ----

    /** A table's rows: joined by ", " in simple form, boxed in table form; {@code json} prints {@code answer} instead. */
    private void rows(ObjectNode answer, List<List<String>> rows, List<String> header) {
        if (format == Format.JSON) {
            print(EtcdctlJson.numbers(answer));
        } else if (format == Format.TABLE) {
            out.print(Table.render(header, rows));
        } else {
            for (List<String> row : rows) out.println(String.join(", ", row));
        }
    }

    /** {@link #handledAsJson(java.util.function.Supplier)} for an answer whose etcdctl JSON is the answer with numbers. */
    private boolean handledAsJson(ObjectNode answer) {
        return handledAsJson(() -> EtcdctlJson.numbers(answer));
    }

    /**
     * In json form prints the JSON {@code asJson} makes and returns true; in simple form returns false
     * (the caller prints); in table form fails, since the command has no table.
     */
    private boolean handledAsJson(java.util.function.Supplier<JsonNode> asJson) {
        if (format == Format.TABLE) throw new Failure.Unsupported("table").raise();
        if (format == Format.SIMPLE) return false;
        print(asJson.get());
        return true;
    }

    private void print(JsonNode node) {
        try {
            out.println(Gateway.JSON.writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A key and its value on lines of their own (only the value with {@code valueOnly}), written as raw bytes. */
    private void kv(JsonNode kv, boolean valueOnly) {
        if (!valueOnly) line(Gateway.bytes(kv.get("key")));
        line(Gateway.bytes(kv.get("value")));
    }

    private void line(byte[] bytes) {
        if (hex) {
            StringBuilder s = new StringBuilder();
            for (byte b : bytes) s.append(String.format("\\x%02x", b & 0xff));
            out.println(s);
        } else {
            out.write(bytes, 0, bytes.length);
            out.println();
        }
    }

    /**
     * A lease id as etcdctl prints it: Go's {@code %016x} of a signed 64-bit number, so a negative
     * id keeps its sign and the padding counts it ({@code -5} is {@code -000000000000005}).
     */
    static String leaseHex(long id) {
        String digits = id < 0 ? Long.toHexString(-id) : Long.toHexString(id); // -MIN_VALUE reads right as unsigned
        String sign = id < 0 ? "-" : "";
        return sign + "0".repeat(Math.max(0, 16 - sign.length() - digits.length())) + digits;
    }

    /** A byte count in SI units as etcdctl prints database sizes: {@code 0 B}, {@code 20 kB}, {@code 1.5 MB}. */
    static String bytesSi(long n) {
        if (n < 10) return n + " B";
        String[] units = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};
        int e = (int) Math.floor(Math.log(n) / Math.log(1000));
        double value = Math.floor(n / Math.pow(1000, e) * 10 + 0.5) / 10;
        // Go prints %.0f rounding half to even (20.5 kB is "20 kB"); Java's %.0f would round it up
        String digits = value < 10 ? String.format(java.util.Locale.ROOT, "%.1f", value)
                : java.math.BigDecimal.valueOf(value).setScale(0, java.math.RoundingMode.HALF_EVEN).toPlainString();
        return digits + " " + units[e];
    }

    /** Go's {@code %v} of a string slice: {@code [a b c]}. */
    private static String goList(List<String> items) {
        return "[" + String.join(" ", items) + "]";
    }

    private static String join(JsonNode array) {
        List<String> items = new ArrayList<>();
        array.forEach(i -> items.add(i.asText()));
        return String.join(",", items);
    }
}
