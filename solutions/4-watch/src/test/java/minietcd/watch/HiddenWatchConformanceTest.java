package minietcd.watch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import minietcd.kit.backend.MemoryBackend;
import minietcd.kit.etcd.GatewayJson;
import minietcd.kit.etcd.Header;
import minietcd.kit.testing.RecordedReplay;
import minietcd.kit.conformance.Recordings;
import minietcd.kit.testing.Graded;
import minietcd.kit.harness.RecordingSink;
import minietcd.kit.mvcc.Bytes;
import minietcd.kit.mvcc.EtcdException;
import minietcd.kit.mvcc.Event;
import minietcd.kit.mvcc.KeyValue;
import minietcd.kit.mvcc.KvRequest;
import minietcd.kit.mvcc.KvResponse;
import minietcd.kit.mvcc.Leases;
import minietcd.kit.mvcc.Stores;
import minietcd.kit.watch.WatchResponse;
import minietcd.kit.watch.Watchable;
import minietcd.kit.watch.Watchers;

/**
 * Lab 4, the instructor's test: etcd 3.4.23's recorded watch streams, replayed in order on one
 * fresh watchable store together with the recorded KV and lease exchanges (as lab 3's
 * HiddenConformanceTest replays those), must come out as etcd sent them, byte for byte through
 * the kit's JSON codec.
 *
 * <p>A watch stream is replayed as it was recorded: first the writes etcd had made before the stream
 * opened (its created message tells the revision), then the body's requests on a new stream, a
 * tick (the recording wrote only after the stream was up), and then the writes the recording made
 * while the stream was open, one revision at a time with a tick after each. Those writes are known
 * only through the events the stream received; see {@link Writes} for how the rest is filled in.
 * The whole replay ticks far fewer than {@link Watchable#PROGRESS_TICKS} times, as no progress
 * notification fell due in etcd either (its interval is ten minutes; a stream lasted 2 or 3 s).
 * When the recording is over, each stream's watchers are canceled, as the client closed it.
 *
 * <p>The messages are compared byte for byte, with two allowances, both from the recording's notes
 * (the conformance README), and nothing else:
 *
 * <ul>
 *   <li>The messages of different watchers on one stream interleave differently from run to run,
 *       so they are compared watcher by watcher (by watch id; -1, a stream's progress answer, is
 *       a group of its own). Within a watcher the order is compared.
 *   <li>Catch-up events may be batched into one message whose header revision is the revision at
 *       sending time. So, in a watcher's messages (etcd's and the store's alike), consecutive
 *       messages that hold only events from before the watcher was created (revisions up to its
 *       created message's revision) are joined into one, but only if they carry the same header
 *       revision and no revision is split between them. A message that tells a different header
 *       revision, or splits a revision, still shows as a difference.
 * </ul>
 */
class HiddenWatchConformanceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Bytes FILLER = Bytes.of("w1");

    @Graded(lab = 4, part = "B", points = 5, value = "etcd 3.4's recorded watch streams come out byte for byte: history, live events, filters, prev_kv, ids, cancel, progress, compaction")
    void etcdWatchRecordings() throws Exception {
        List<String> mismatches = new ArrayList<>();
        int[] api = replay(Recordings.API, mismatches), edges = replay(Recordings.TXN_EDGES, mismatches);
        assertThat(api[0]).as("recorded watch streams replayed").isEqualTo(11);
        assertThat(api[1]).as("recorded KV and lease exchanges replayed").isGreaterThan(100);
        assertThat(edges[0]).as("recorded watch streams of the txn edges replayed").isEqualTo(1);
        assertThat(mismatches).as("what differs from etcd's recording").isEmpty();
    }

    /** Replays one file's exchanges in order on a fresh store; adds what differs to {@code mismatches}; returns {streams, exchanges}. */
    private static int[] replay(String file, List<String> mismatches) throws Exception {
        AtomicLong clock = new AtomicLong(1_000_000);
        Watchable w = Watchers.open(Stores.open(new MemoryBackend(), clock::get));
        List<Recordings.Vector> vectors = Recordings.load(file).stream().filter(v -> v.target().equals("single")).toList();
        Map<String, String> ids = new LinkedHashMap<>(); // lease ids etcd chose -> ours
        Writes writes = new Writes(vectors, ids);
        int streams = 0;
        int exchanges = 0;
        for (Recordings.Vector v : vectors) {
            if (v.path().equals("/v3/watch")) {
                replayStream(w, v, writes, ids, mismatches);
                streams++;
                continue;
            }
            if (v.rpc() == null || v.bodyElided() || !v.method().equals("POST")) continue;
            clock.addAndGet(v.name().equals("range_after_expiry") ? 5_000 : 1);
            w.leases().expire();
            String ours;
            try {
                ours = RecordedReplay.answer(w, v.rpc(), RecordedReplay.mapIds(v.body(), ids), v.response() == null ? null : v.response().path("header"), v.responseRaw(), ids);
            } catch (EtcdException e) {
                ours = GatewayJson.error(e);
            }
            String expected = RecordedReplay.sortLeases(v.rpc(), RecordedReplay.mapIds(v.responseRaw().strip(), ids));
            if (!RecordedReplay.sortLeases(v.rpc(), ours.strip()).equals(expected)) // the replay is out of step: what follows means little
                mismatches.add(file + " " + v.seq() + " " + v.name() + " (a KV or lease exchange)\n      etcd: " + expected + "\n      ours: " + ours.strip());
            exchanges++;
        }
        return new int[] {streams, exchanges};
    }

    private static void replayStream(Watchable w, Recordings.Vector v, Writes writes, Map<String, String> ids, List<String> mismatches) throws Exception {
        List<WatchResponse> recorded = new ArrayList<>();
        Header server = null;
        for (String line : RecordedReplay.mapIds(v.responseRaw(), ids).lines().filter(l -> !l.isEmpty()).toList()) {
            JsonNode result = JSON.readTree(line).path("result");
            if (server == null) server = RecordedReplay.header(result.path("header"), 0);
            WatchResponse m = parse(result);
            recorded.add(m);
            if (!GatewayJson.watch(server, m).equals(line)) mismatches.add(v.seq() + " " + v.name() + ": the codec does not write etcd's line again: " + line);
        }
        long createdAt = recorded.get(0).revision();
        long end = createdAt;
        for (WatchResponse m : recorded) {
            end = Math.max(end, m.revision());
            for (Event e : m.events()) end = Math.max(end, e.kv().modRevision());
        }
        while (w.currentRevision() < createdAt) writes.apply(w, w.currentRevision() + 1); // made before the stream opened

        RecordingSink sink = RecordingSink.unbounded();
        List<Long> opened = new ArrayList<>();
        for (GatewayJson.WatchStreamRequest r : GatewayJson.watch(RecordedReplay.mapIds(v.body(), ids))) {
            if (r instanceof GatewayJson.WatchCreate c) opened.add(w.watch(c.request(), sink));
            else if (r instanceof GatewayJson.WatchCancel c) w.cancel(sink, c.watchId());
            else w.requestProgress(sink);
        }
        w.tick();
        while (w.currentRevision() < end) {
            writes.apply(w, w.currentRevision() + 1);
            w.tick();
        }

        Map<Long, List<WatchResponse>> theirs = byWatcher(recorded);
        Map<Long, List<WatchResponse>> ours = byWatcher(sink.messages());
        TreeSet<Long> watchers = new TreeSet<>(theirs.keySet());
        watchers.addAll(ours.keySet());
        for (long id : watchers) {
            List<String> expected = encode(server, theirs.getOrDefault(id, List.of()));
            List<String> got = encode(server, ours.getOrDefault(id, List.of()));
            if (!got.equals(expected)) {
                mismatches.add(v.name() + ", watch id " + id + "\n      etcd: " + String.join("\n            ", expected)
                        + "\n      ours: " + String.join("\n            ", got));
            }
        }
        for (long id : opened) w.cancel(sink, id); // the client closed the stream
    }

    /**
     * What the recording wrote while its watch streams were open. The streams show those writes
     * only as the events their watchers received, so each revision is rebuilt from the first of:
     *
     * <ol>
     *   <li>the events of that revision, from any stream (applied in one txn when there are several);
     *   <li>a later event's prev_kv whose mod_revision is that revision: a put of its key and value,
     *       and a put of its key at its create_revision;
     *   <li>a filler, as lab 3's HiddenConformanceTest writes one: a put of "w1" (the only key the
     *       recording wrote in those sessions), except that when an event shows "w1" created anew
     *       at the next revision, the filler deletes it (the recording deleted "w1" at the end of
     *       each session).
     * </ol>
     */
    private static final class Writes {
        private final TreeMap<Long, Map<Bytes, Event>> events = new TreeMap<>();
        private final Map<Long, KeyValue> revealed = new HashMap<>();
        private final Map<String, String> ids;

        Writes(List<Recordings.Vector> vectors, Map<String, String> ids) throws Exception {
            this.ids = ids;
            for (Recordings.Vector v : vectors) {
                if (!v.path().equals("/v3/watch")) continue;
                for (String line : v.responseRaw().lines().filter(l -> !l.isEmpty()).toList()) {
                    for (Event e : parse(JSON.readTree(line).path("result")).events()) {
                        events.computeIfAbsent(e.kv().modRevision(), r -> new LinkedHashMap<>()).putIfAbsent(e.kv().key(), e);
                        if (e.prevKv() != null) {
                            revealed.putIfAbsent(e.prevKv().modRevision(), e.prevKv());
                            revealed.putIfAbsent(e.prevKv().createRevision(), new KeyValue(e.prevKv().key(), 0, 0, 0, Bytes.of("filler"), 0));
                        }
                    }
                }
            }
        }

        /** Writes revision {@code rev}, the store being at {@code rev - 1}. */
        void apply(Watchable w, long rev) {
            Map<Bytes, Event> known = events.get(rev);
            if (known != null) {
                List<KvRequest> ops = new ArrayList<>();
                for (Event e : known.values()) {
                    ops.add(e.type() == Event.Type.DELETE ? KvRequest.DeleteRange.of(e.kv().key())
                            : KvRequest.Put.of(e.kv().key(), e.kv().value()).withLease(lease(e.kv().lease())));
                }
                if (ops.size() == 1 && ops.get(0) instanceof KvRequest.Put p) w.put(p);
                else if (ops.size() == 1) w.deleteRange((KvRequest.DeleteRange) ops.get(0));
                else w.txn(new KvRequest.Txn(List.of(), ops, List.of()));
            } else if (revealed.containsKey(rev)) {
                KeyValue kv = revealed.get(rev);
                w.put(KvRequest.Put.of(kv.key(), kv.value()).withLease(lease(kv.lease())));
            } else if (createdAt(rev + 1) && w.range(KvRequest.Range.of(FILLER)).count() > 0) {
                w.deleteRange(KvRequest.DeleteRange.of(FILLER));
            } else {
                w.put(KvRequest.Put.of(FILLER, Bytes.of("filler")));
            }
            assertThat(w.currentRevision()).as("the store's revision after replaying revision " + rev).isEqualTo(rev);
        }

        /** The store's id for a lease id etcd chose (the replay learns them as it goes). */
        private long lease(long etcds) {
            return Long.parseLong(ids.getOrDefault(Long.toString(etcds), Long.toString(etcds)));
        }

        /** Whether an event shows the filler key created anew at {@code rev}. */
        private boolean createdAt(long rev) {
            Event e = events.getOrDefault(rev, Map.of()).get(FILLER);
            return e != null && e.type() == Event.Type.PUT && e.kv().createRevision() == rev;
        }
    }

    // ---- comparing -------------------------------------------------------------------------------

    private static Map<Long, List<WatchResponse>> byWatcher(List<WatchResponse> messages) {
        Map<Long, List<WatchResponse>> out = new LinkedHashMap<>();
        for (WatchResponse m : messages) out.computeIfAbsent(m.watchId(), id -> new ArrayList<>()).add(m);
        out.replaceAll((id, list) -> joinCatchUp(list));
        return out;
    }

    /** The catch-up allowance described in the class comment. */
    private static List<WatchResponse> joinCatchUp(List<WatchResponse> messages) {
        if (messages.isEmpty() || !messages.get(0).created()) return messages;
        long createdAt = messages.get(0).revision();
        List<WatchResponse> out = new ArrayList<>();
        for (WatchResponse m : messages) {
            WatchResponse last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && catchUp(last, createdAt) && catchUp(m, createdAt) && last.revision() == m.revision()
                    && lastRevision(last) < m.events().get(0).kv().modRevision()) {
                List<Event> joined = new ArrayList<>(last.events());
                joined.addAll(m.events());
                out.set(out.size() - 1, WatchResponse.events(m.watchId(), m.revision(), joined));
            } else {
                out.add(m);
            }
        }
        return out;
    }

    private static boolean catchUp(WatchResponse m, long createdAt) {
        return !m.created() && !m.canceled() && !m.events().isEmpty() && lastRevision(m) <= createdAt;
    }

    private static long lastRevision(WatchResponse m) {
        return m.events().stream().mapToLong(e -> e.kv().modRevision()).max().orElse(0);
    }

    private static List<String> encode(Header server, List<WatchResponse> messages) {
        return messages.stream().map(m -> GatewayJson.watch(server, m)).toList();
    }

    /** One recorded message's {@code result}, as the record it was written from. */
    private static WatchResponse parse(JsonNode r) {
        List<Event> events = new ArrayList<>();
        for (JsonNode e : r.path("events")) {
            Event.Type type = e.path("type").asText("PUT").equals("DELETE") ? Event.Type.DELETE : Event.Type.PUT;
            events.add(new Event(type, kv(e.get("kv")), kv(e.get("prev_kv"))));
        }
        return new WatchResponse(r.path("watch_id").asLong(0), r.path("header").path("revision").asLong(0), r.path("created").asBoolean(false),
                r.path("canceled").asBoolean(false), r.path("compact_revision").asLong(0), events);
    }

    private static KeyValue kv(JsonNode o) {
        if (o == null) return null;
        return new KeyValue(Bytes.fromBase64(o.path("key").asText("")), o.path("create_revision").asLong(0), o.path("mod_revision").asLong(0),
                o.path("version").asLong(0), Bytes.fromBase64(o.path("value").asText("")), o.path("lease").asLong(0));
    }

    // ---- the KV and lease exchanges, as lab 3's HiddenConformanceTest replays them -----------------
}
