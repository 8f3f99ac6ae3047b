package minietcd.kit.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import minietcd.kit.etcd.EtcdRequest;
import minietcd.kit.etcd.RequestJson;
import minietcd.kit.harness.RandomRequests;
import minietcd.kit.mvcc.Bytes;
import minietcd.kit.mvcc.KvRequest;
import minietcd.kit.watch.WatchRequest;

/**
 * The same random requests, one at a time, to a real etcd and to ours, both fresh, and every answer
 * compared: the HTTP status and the JSON body, with what rightly differs left out (cluster and member
 * ids, raft terms, a lease's remaining TTL). Request i goes to member i mod n of each. At the end one
 * watch from the start of the history that is left (prev_kv on) must give both the same events.
 *
 * <p>The requests are {@link RandomRequests}' (puts, deletes, ranges, txns nested two deep, bad ones
 * among them), compactions, and leases with ids 1 to 3 granted for 600 s, so none expires during a
 * run. Kept out, as etcd's own bugs: a txn that deletes and also has an ignore_value or ignore_lease
 * put (etcd 3.4 panics when the put's key was deleted by an earlier op of the same txn); and on
 * clusters of more than one member, a txn that writes and also reads at a given revision (etcd's
 * members other than the one the client called drop the txn's ranges before applying it, so a range
 * at a future or compacted revision fails the txn on one member and not on the others, whose stores
 * then differ: etcd issue 18667), the list of leases and serializable reads (each member answers
 * them from its own state, which may lag: an empty txn is one, as in etcd).
 */
public final class Differential {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CALL = Duration.ofSeconds(10);
    private static final Duration WATCH = Duration.ofSeconds(5);

    /** Where the two first disagreed: the step (from 1), the request, and both normalized answers. */
    public record Difference(int step, String request, String etcd, String ours) {
        @Override
        public String toString() {
            return "step " + step + ": " + request + "\n  etcd: " + etcd + "\n  ours: " + ours;
        }
    }

    /** A run: how many requests both answered alike, how many of those succeeded (HTTP 200), and the first difference (null if none). */
    public record Result(long seed, int agreed, int succeeded, Difference difference) {
        public boolean same() {
            return difference == null;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CALL).build();
    private final List<URI> etcd, ours;
    private final SplittableRandom random;
    private final RandomRequests requests;
    private long current = 1, compacted;

    private java.io.PrintStream log;

    private Differential(long seed, List<URI> etcd, List<URI> ours) {
        if (etcd.size() != ours.size()) throw new IllegalArgumentException("both need as many members: " + etcd + " " + ours);
        this.etcd = etcd;
        this.ours = ours;
        this.random = new SplittableRandom(seed);
        this.requests = new RandomRequests(random, true, () -> current, () -> compacted);
    }

    /** Runs {@code steps} requests of seed {@code seed} on two fresh clusters of the same size, then compares their whole watch history. */
    public static Result run(long seed, int steps, List<URI> etcd, List<URI> ours) throws IOException, InterruptedException {
        return run(seed, steps, etcd, ours, null);
    }

    /** As {@link #run(long, int, List, List)}, printing each request and etcd's answer to {@code log} unless it is null. */
    public static Result run(long seed, int steps, List<URI> etcd, List<URI> ours, java.io.PrintStream log) throws IOException, InterruptedException {
        Differential d = new Differential(seed, etcd, ours);
        d.log = log;
        return d.run(seed, steps);
    }

    private Result run(long seed, int steps) throws IOException, InterruptedException {
        int agreed = 0, succeeded = 0;
        for (int step = 1; step <= steps; step++) {
            EtcdRequest request = next();
            int member = step % etcd.size();
            String path = "/v3/" + RequestJson.path(request), body = RequestJson.body(request);
            Answer theirs = call(etcd.get(member), path, body), mine = call(ours.get(member), path, body);
            if (log != null) log.println(step + " member " + (member + 1) + " " + path + " " + body + "\n    " + theirs);
            if (!theirs.equals(mine)) return new Result(seed, agreed, succeeded, new Difference(step, path + " " + body, theirs.toString(), mine.toString()));
            agreed++;
            if (theirs.status() == 200) succeeded++;
            learn(request, theirs);
        }
        long start = compacted + 1; // not the compaction point itself: what etcd still shows there depends on when its compaction ran in the background
        String watch = RequestJson.watch(new WatchRequest(Bytes.ZERO, Bytes.ZERO, start, true, false, false, -1, false));
        String theirs = history(etcd.get(0), watch, start), mine = history(ours.get(0), watch, start);
        if (!theirs.equals(mine)) {
            List<String> a = theirs.lines().toList(), b = mine.lines().toList();
            int i = 0;
            while (i < a.size() && i < b.size() && a.get(i).equals(b.get(i))) i++;
            return new Result(seed, agreed, succeeded, new Difference(steps + 1, "/v3/watch " + watch + ", event " + (i + 1) + " of the history",
                    i < a.size() ? a.get(i) : "(no more: " + a.size() + " events)", i < b.size() ? b.get(i) : "(no more: " + b.size() + " events)"));
        }
        return new Result(seed, agreed, succeeded, null);
    }

    /**
     * The next request. On more than one member not a serializable read (a serializable range, or a
     * txn of nothing but such ranges, the empty txn included): each member answers those from its own
     * store at once, however far behind the leader it is, so their revisions depend on timing.
     */
    private EtcdRequest next() {
        EtcdRequest r;
        do r = draw(); while (etcd.size() > 1 && r.isSerializable());
        return r;
    }

    /** A random request: mostly KV, now and then a compaction or a lease call. */
    private EtcdRequest draw() {
        int kind = random.nextInt(100);
        if (kind < 4) return new EtcdRequest.Compact(compacted + random.nextLong(current - compacted + 2), false);
        if (kind < 14) {
            long id = 1 + random.nextInt(3);
            return switch (random.nextInt(4)) {
                case 0 -> new EtcdRequest.LeaseGrant(600, id);
                case 1 -> new EtcdRequest.LeaseRevoke(id);
                case 2 -> new EtcdRequest.LeaseTimeToLive(id, random.nextBoolean());
                default -> etcd.size() == 1 ? new EtcdRequest.LeaseLeases() : new EtcdRequest.LeaseTimeToLive(id, true);
            };
        }
        if (kind < 34) {
            KvRequest.Txn t;
            do t = random.nextInt(30) == 0 ? requests.badTxn() : requests.txn();
            while ((deletes(t) && ignoresSomething(t)) || (etcd.size() > 1 && writes(t) && readsAtARevision(t)));
            return new EtcdRequest.Kv(t);
        }
        if (kind < 60) return new EtcdRequest.Kv(requests.put());
        if (kind < 72) return new EtcdRequest.Kv(requests.delete());
        return new EtcdRequest.Kv(requests.range());
    }

    /** Follows the store's revisions from etcd's answers, for the read revisions of later requests. */
    private void learn(EtcdRequest request, Answer a) {
        if (a.status() != 200) return;
        long rev = a.body().path("header").path("revision").asLong(0);
        if (rev > current) current = rev;
        if (request instanceof EtcdRequest.Compact c) compacted = Math.max(compacted, c.revision());
    }

    private static boolean deletes(KvRequest.Txn t) {
        return ops(t).anyMatch(op -> op instanceof KvRequest.DeleteRange);
    }

    private static boolean writes(KvRequest.Txn t) {
        return ops(t).anyMatch(op -> op instanceof KvRequest.Put || op instanceof KvRequest.DeleteRange);
    }

    private static boolean readsAtARevision(KvRequest.Txn t) {
        return ops(t).anyMatch(op -> op instanceof KvRequest.Range r && r.revision() != 0);
    }

    private static boolean ignoresSomething(KvRequest.Txn t) {
        return ops(t).anyMatch(op -> op instanceof KvRequest.Put p && (p.ignoreValue() || p.ignoreLease()));
    }

    private static Stream<KvRequest> ops(KvRequest.Txn t) {
        return Stream.concat(t.success().stream(), t.failure().stream())
                .flatMap(op -> op instanceof KvRequest.Txn n ? Stream.concat(Stream.of(op), ops(n)) : Stream.of(op));
    }

    /** An answer as compared: the status and the body without what rightly differs. */
    record Answer(int status, JsonNode body) {
        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    private Answer call(URI member, String path, String body) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(member.resolve(path)).timeout(CALL).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Answer(r.statusCode(), normalized(JSON.readTree(r.body())));
    }

    /** Drops the ids of cluster and member, the raft term and a lease's remaining TTL, wherever they are. */
    static JsonNode normalized(JsonNode n) {
        if (n instanceof ObjectNode o) {
            o.remove(List.of("cluster_id", "member_id", "raft_term"));
            if (o.has("grantedTTL")) o.remove("TTL"); // a time-to-live answer: the remaining seconds depend on when it was asked
            if (o.has("grantedTTL") && o.get("keys") instanceof ArrayNode keys) { // and etcd lists the lease's keys in no particular order
                List<String> sorted = new ArrayList<>();
                keys.forEach(k -> sorted.add(k.asText()));
                sorted.sort(java.util.Comparator.comparing(Bytes::fromBase64));
                keys.removeAll();
                sorted.forEach(keys::add);
            }
            if (o.get("leases") instanceof ArrayNode leases) { // etcd lists its leases in no particular order
                List<JsonNode> sorted = new ArrayList<>();
                leases.forEach(sorted::add);
                sorted.sort(java.util.Comparator.comparing(l -> Long.parseUnsignedLong(l.path("ID").asText("0"))));
                leases.removeAll();
                leases.addAll(sorted);
            }
            for (Iterator<JsonNode> it = o.elements(); it.hasNext(); ) normalized(it.next());
        } else if (n instanceof ArrayNode a) {
            for (JsonNode e : a) normalized(e);
        }
        return n;
    }

    /**
     * The events of a watch from {@code body}'s start revision {@code start} up to the current
     * revision, one normalized event a line, or the message that ended the watch (a compacted start
     * cancels it).
     */
    private String history(URI member, String body, long start) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(member.resolve("/v3/watch")).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        CompletableFuture<HttpResponse<Stream<String>>> sent = http.sendAsync(req, HttpResponse.BodyHandlers.ofLines());
        List<String> out = new ArrayList<>();
        CompletableFuture<Void> read = sent.thenAccept(r -> {
            Iterator<String> lines = r.body().iterator();
            while (lines.hasNext()) {
                JsonNode result = parse(lines.next()).path("result");
                if (result.path("canceled").asBoolean()) {
                    out.add("canceled " + normalized(result));
                    return;
                }
                for (JsonNode e : result.path("events")) out.add(normalized(e).toString());
                if (current < start || lastRevision(out) >= current) return; // nothing to come, or all of it came
            }
        });
        try {
            read.get(WATCH.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            out.add("(no more events within " + WATCH.toSeconds() + " s)");
        } catch (ExecutionException e) {
            throw new IOException("the watch on " + member + " failed", e.getCause());
        } finally {
            read.cancel(true);
            sent.thenAccept(r -> r.body().close());
        }
        return String.join("\n", out);
    }

    private static long lastRevision(List<String> events) {
        if (events.isEmpty()) return 0;
        return parse(events.get(events.size() - 1)).path("kv").path("mod_revision").asLong(0);
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
