package minietcd.tutorial;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import minietcd.kit.harness.RecordingSink;
import minietcd.kit.harness.StoreCluster;
import minietcd.kit.mvcc.Bytes;
import minietcd.kit.mvcc.Event;
import minietcd.kit.mvcc.KV;
import minietcd.kit.replica.Outcome;
import minietcd.kit.replica.StoreNode;
import minietcd.kit.sim.Faults;
import minietcd.kit.sim.Trace;
import minietcd.kit.watch.WatchRequest;
import minietcd.kit.watch.WatchResponse;

/**
 * The live demo of chapters 3 and 4: a three-member replicated store in the kit's simulator (labs 1
 * to 4: Raft, the MVCC store, watch), used as a client uses etcd: put, delete, a compare-and-swap
 * txn, compaction and watches, each request sent to the leader as etcd's JSON gateway would take it.
 * The view shows the store's history revision by revision, each key's generations as the key index
 * keeps them, and each watcher with the events it got.
 */
final class StoreDemo extends Demo {
    static final int SIZE = 3;
    /** How many of the latest revisions the view lists, and how many watchers a demo keeps. */
    static final int HISTORY = 40, WATCHERS = 6;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A watcher the learner made: on one member's store, from a revision. */
    private record Watcher(int number, int member, long incarnation, String key, boolean prefix, long start, long watchId, RecordingSink sink) {}

    private final StoreCluster cluster;
    private final List<Watcher> watchers = new ArrayList<>();
    private final long[] incarnations = new long[SIZE + 1];
    private int watchersMade;
    private String last = "";

    StoreDemo(long seed, LabCode code) {
        super(seed, code, "labs 1 to 4");
        if (code.name().equals(LabCode.YOURS)) new ElectionDemo(seed, code).apply(new Action(0, "step", 200, "", "")); // labs 1 and 2 first: a TODO there is the one to do first
        this.cluster = run(() -> {
            StoreCluster c = new StoreCluster(seed, SIZE, StoreNode.Config.DEFAULT, Faults.RELIABLE, Trace.off());
            c.awaitLeader(10_000);
            return c;
        });
    }

    @Override String kind() { return "store"; }
    @Override protected long now() { return cluster.sim().now(); }

    /**
     * {@code step}: run {@code arg} ms; {@code put}: key = value; {@code get}: key, at revision {@code arg} (0: the latest); {@code delete}: key; {@code txn}: put
     * key = value if the key's mod_revision is {@code arg} (0: the key does not exist), as Kubernetes
     * updates an object; {@code compact}: at revision {@code arg} (0: the current one); {@code watch}:
     * key (value "prefix" for every key under it) from revision {@code arg} (0: from now on);
     * {@code cancel}: watcher {@code arg}; {@code kill}: member {@code arg} (0: the leader); {@code restart}: every member down.
     */
    @Override
    protected void act(Action a) {
        switch (a.kind()) {
            case "step" -> cluster.sim().runFor(a.arg());
            case "put" -> request("kv/put", put(a.key(), a.value()), "put " + key(a.key()) + " = " + a.value());
            case "get" -> {
                ObjectNode range = JSON.createObjectNode().put("key", b64(key(a.key())));
                if (a.arg() > 0) range.put("revision", a.arg());
                request("kv/range", range, "get " + a.key() + (a.arg() > 0 ? " at revision " + a.arg() : ""));
            }
            case "delete" -> request("kv/deleterange", JSON.createObjectNode().put("key", b64(key(a.key()))), "delete " + a.key());
            case "txn" -> {
                ObjectNode txn = JSON.createObjectNode();
                txn.putArray("compare").addObject().put("key", b64(key(a.key()))).put("target", "MOD").put("result", "EQUAL").put("mod_revision", a.arg());
                txn.putArray("success").addObject().set("request_put", put(a.key(), a.value()));
                txn.putArray("failure").addObject().putObject("request_range").put("key", b64(a.key()));
                request("kv/txn", txn, "txn: if mod_revision(" + a.key() + ") = " + a.arg() + " then put " + a.key() + " = " + a.value());
            }
            case "compact" -> {
                long rev = a.arg() == 0 ? store().currentRevision() : a.arg();
                request("kv/compaction", JSON.createObjectNode().put("revision", rev), "compact at revision " + rev);
            }
            case "watch" -> watch(a);
            case "cancel" -> {
                Watcher w = watchers.stream().filter(x -> x.number == a.arg()).findFirst().orElseThrow(() -> new IllegalArgumentException("no watcher " + a.arg()));
                if (live(w)) cluster.node(w.member).store().cancel(w.sink, w.watchId);
                last = "watcher " + w.number + " canceled";
            }
            case "kill" -> {
                if (a.arg() < 0 || a.arg() > SIZE) throw new IllegalArgumentException("no member " + a.arg() + " (1 to " + SIZE + ", or 0 for the leader)");
                int member = a.arg() == 0 ? leader() : (int) a.arg();
                if (!cluster.sim().isUp(member)) throw new IllegalArgumentException("member " + member + " is down already");
                cluster.sim().crash(member);
                last = "member " + member + (a.arg() == 0 ? " (the leader)" : "") + " killed";
            }
            case "restart" -> {
                if (a.arg() != 0) throw new IllegalArgumentException("restart brings every member that is down back: it takes no member");
                for (int id = 1; id <= SIZE; id++) if (!cluster.sim().isUp(id)) {
                    cluster.sim().restart(id);
                    incarnations[id]++;
                }
                last = "every member up";
            }
            default -> throw new IllegalArgumentException("no action " + a.kind() + " (step, put, get, delete, txn, compact, watch, cancel, kill, restart)");
        }
    }

    private static String key(String key) {
        if (key.isEmpty()) throw new IllegalArgumentException("a key is needed");
        return key;
    }

    private static ObjectNode put(String key, String value) {
        return JSON.createObjectNode().put("key", b64(key(key))).put("value", b64(value));
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private int leader() {
        int leader = cluster.leader();
        if (leader <= 0) throw new IllegalArgumentException("no leader just now: step on until one is elected");
        return leader;
    }

    /** The leader's store, or any live member's while there is no leader. */
    private KV store() {
        int id = cluster.leader();
        if (id <= 0) for (int m = 1; m <= SIZE && id <= 0; m++) if (cluster.sim().isUp(m)) id = m;
        if (id <= 0) throw new IllegalArgumentException("every member is down: restart them");
        return cluster.node(id).store();
    }

    /** Sends a request to the leader as its gateway would, and runs the simulation until the answer (at most 5 s). */
    private void request(String rpc, JsonNode body, String what) {
        Outcome[] answer = new Outcome[1];
        cluster.submit(leader(), rpc, body.toString(), o -> answer[0] = o);
        cluster.sim().runUntil(() -> answer[0] != null, 5_000);
        Outcome o = answer[0];
        last = what + ": " + (o == null ? "no answer within 5 s (the leader lost its majority?)"
                : o instanceof Outcome.Answer ok ? ok.json() : "refused: " + ((Outcome.Refused) o).error().getMessage());
    }

    private void watch(Action a) {
        if (a.arg() < 0) throw new IllegalArgumentException("a watch starts at a revision of 1 or more, or 0 for from now on: not " + a.arg());
        if (watchers.stream().filter(this::live).count() >= WATCHERS) throw new IllegalArgumentException("at most " + WATCHERS + " live watchers in a demo: cancel one first");
        int member = leader();
        Bytes key = Bytes.of(key(a.key()));
        boolean prefix = a.value().equals("prefix");
        WatchRequest request = (prefix ? WatchRequest.prefix(key) : WatchRequest.of(key)).from(a.arg());
        RecordingSink sink = RecordingSink.unbounded();
        long id = cluster.node(member).store().watch(request, sink);
        watchers.add(new Watcher(++watchersMade, member, incarnations[member], a.key(), prefix, a.arg(), id, sink));
        last = "watcher " + watchersMade + " on member " + member + ": " + (prefix ? "every key under " : "") + a.key() + (a.arg() > 0 ? " from revision " + a.arg() : " from now on");
    }

    /** Whether the watcher's member is still the incarnation that holds it. */
    private boolean live(Watcher w) {
        return cluster.sim().isUp(w.member) && incarnations[w.member] == w.incarnation;
    }

    @Override
    ObjectNode state(ObjectMapper json) {
        ObjectNode s = json.createObjectNode().put("demo", kind()).put("seed", seed()).put("code", code()).put("now", cluster.sim().now()).put("last", last);
        ArrayNode members = s.putArray("members");
        for (int id = 1; id <= SIZE; id++) {
            ObjectNode m = members.addObject().put("id", id).put("up", cluster.sim().isUp(id));
            StoreNode n = cluster.node(id);
            if (n == null) continue;
            m.put("role", n.raft().state().role.name()).put("term", n.raft().state().term).put("revision", n.store().currentRevision());
        }
        boolean anyUp = false;
        for (int id = 1; id <= SIZE; id++) anyUp |= cluster.sim().isUp(id);
        if (!anyUp) return s;
        KV kv = store();
        long current = kv.currentRevision(), compacted = kv.compactRevision();
        s.put("revision", current).put("compactRevision", compacted);
        // the history the store keeps, revision by revision, and each key's generations from it
        ArrayNode history = s.putArray("history");
        Map<String, List<List<long[]>>> generations = new LinkedHashMap<>(); // key -> generations -> [revision, 1 if a delete]
        long from = Math.max(compacted + 1, 1);
        if (compacted > 0) { // what the compaction kept: each live key's latest revision at or before it
            JsonNode kept = range(kv, compacted);
            for (JsonNode k : kept) generation(generations, text(k.path("key").asText()), true).add(new long[] {k.path("mod_revision").asLong(), 0});
        }
        for (long rev = from; rev <= current; rev++) {
            List<Event> events = kv.changesAt(rev);
            ObjectNode r = rev > current - HISTORY ? history.addObject().put("revision", rev) : null;
            ArrayNode list = r == null ? null : r.putArray("events");
            for (Event e : events) {
                String key = new String(e.kv().key().toByteArray(), StandardCharsets.UTF_8);
                boolean delete = e.type() == Event.Type.DELETE;
                if (list != null) list.addObject().put("type", e.type().name()).put("key", key)
                        .put("value", delete ? "" : new String(e.kv().value().toByteArray(), StandardCharsets.UTF_8)).put("version", e.kv().version());
                generation(generations, key, false).add(new long[] {rev, delete ? 1 : 0});
            }
        }
        ArrayNode keys = s.putArray("keys");
        generations.forEach((key, gens) -> {
            ObjectNode k = keys.addObject().put("key", key);
            ArrayNode gs = k.putArray("generations");
            for (List<long[]> g : gens) {
                ArrayNode revs = gs.addArray();
                for (long[] r : g) revs.addObject().put("revision", r[0]).put("tombstone", r[1] == 1);
            }
        });
        ArrayNode ws = s.putArray("watchers");
        for (Watcher w : watchers) {
            ObjectNode o = ws.addObject().put("number", w.number).put("member", w.member).put("key", w.key).put("prefix", w.prefix).put("start", w.start);
            ArrayNode got = o.putArray("events");
            String status = live(w) ? "watching" : "ended: its member went down (a client would watch again on another member, from its last revision + 1)";
            long upTo = 0;
            for (WatchResponse m : w.sink.messages()) {
                if (m.watchId() != w.watchId) continue;
                if (m.canceled()) status = m.compactRevision() > 0 ? "canceled: revision " + m.compactRevision() + " is compacted, its history is gone (a client lists again)" : "canceled";
                for (Event e : m.events()) {
                    got.addObject().put("revision", e.kv().modRevision()).put("type", e.type().name()).put("key", new String(e.kv().key().toByteArray(), StandardCharsets.UTF_8));
                    upTo = Math.max(upTo, e.kv().modRevision());
                }
            }
            o.put("status", status).put("upTo", upTo);
        }
        return s;
    }

    private static List<long[]> generation(Map<String, List<List<long[]>>> generations, String key, boolean kept) {
        List<List<long[]>> gens = generations.computeIfAbsent(key, k -> new ArrayList<>());
        if (gens.isEmpty() || (!kept && !gens.get(gens.size() - 1).isEmpty() && gens.get(gens.size() - 1).get(gens.get(gens.size() - 1).size() - 1)[1] == 1))
            gens.add(new ArrayList<>()); // a put after a delete starts a new generation
        return gens.get(gens.size() - 1);
    }

    /** Every key at {@code revision}, as the store answers a range over the whole key space. */
    private static JsonNode range(KV kv, long revision) {
        var all = minietcd.kit.mvcc.KvRequest.Range.of(Bytes.ZERO);
        var r = kv.range(new minietcd.kit.mvcc.KvRequest.Range(all.key(), Bytes.ZERO, 0, revision, all.sortOrder(), all.sortTarget(), false, false, false, 0, 0, 0, 0));
        ArrayNode out = JSON.createArrayNode();
        for (var k : r.kvs()) out.addObject().put("key", Base64.getEncoder().encodeToString(k.key().toByteArray())).put("mod_revision", k.modRevision());
        return out;
    }

    private static String text(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }
}
