package minietcd.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import minietcd.kit.backend.MemoryBackend;
import minietcd.kit.check.WatchChecker;
import minietcd.kit.testing.Graded;
import minietcd.kit.testing.Seeds;
import minietcd.kit.harness.RecordingSink;
import minietcd.kit.mvcc.Bytes;
import minietcd.kit.mvcc.Event;
import minietcd.kit.mvcc.KvRequest;
import minietcd.kit.mvcc.Stores;
import minietcd.kit.watch.WatchRequest;
import minietcd.kit.watch.WatchResponse;
import minietcd.kit.watch.Watchable;
import minietcd.kit.watch.Watchers;

/** Lab 4, the instructor's tests: random writes and watchers, every stream held to etcd's watch guarantees. */
class HiddenWatchTest {
    private static final Bytes[] KEYS = {Bytes.of("a"), Bytes.of("ab"), Bytes.of("b"), Bytes.of("c"), Bytes.of("d")};

    private record Watch(String name, WatchRequest request, long start, RecordingSink sink, long id) {}

    /** level 0: live watchers only; 1: starts in the past and future, compaction; 2: slow sinks and progress too. */
    private static void scenario(Seeds.Run run, int level) {
        SplittableRandom r = new SplittableRandom(run.seed());
        AtomicLong clock = new AtomicLong(0);
        Watchable w = Watchers.open(Stores.open(new MemoryBackend(), clock::get));
        WatchChecker checker = new WatchChecker();
        List<Watch> watches = new ArrayList<>();
        List<RecordingSink> sinks = new ArrayList<>();
        long[] recorded = {w.currentRevision()};
        Runnable record = () -> {
            for (long rev = recorded[0] + 1; rev <= w.currentRevision(); rev++) checker.record(rev, w.changesAt(rev));
            recorded[0] = w.currentRevision();
        };
        for (int step = 0; step < 300; step++) {
            int k = r.nextInt(100);
            run.trace().add(step, "step", 0, 0, "kind " + k + " at revision " + w.currentRevision() + ", " + watches.size() + " watchers");
            if (k < 8 || watches.isEmpty()) {
                RecordingSink sink = !sinks.isEmpty() && r.nextBoolean() ? sinks.get(r.nextInt(sinks.size()))
                        : new RecordingSink(level >= 2 && r.nextBoolean() ? 1 + r.nextInt(3) : Integer.MAX_VALUE);
                if (!sinks.contains(sink)) sinks.add(sink);
                Bytes key = KEYS[r.nextInt(KEYS.length)];
                WatchRequest req = switch (r.nextInt(3)) {
                    case 0 -> WatchRequest.of(key);
                    case 1 -> WatchRequest.prefix(key);
                    default -> WatchRequest.of(key).withRangeEnd(Bytes.ZERO);
                };
                if (r.nextInt(4) == 0) req = req.filtered(r.nextBoolean(), r.nextBoolean());
                if (r.nextBoolean()) req = req.withPrevKv();
                if (level >= 2 && r.nextInt(3) == 0) req = req.withProgressNotify();
                long now = w.currentRevision();
                long start = 0;
                if (level >= 1 && r.nextBoolean()) start = Math.max(1, now - r.nextInt(8) + (r.nextInt(4) == 0 ? 4 : 0));
                req = req.from(start);
                long id = w.watch(req, sink);
                watches.add(new Watch("watcher " + watches.size() + " (" + req + ")", req, start <= 0 ? now + 1 : start, sink, id));
            } else if (k < 50) {
                w.put(KvRequest.Put.of(KEYS[r.nextInt(KEYS.length)], Bytes.of("v" + step)));
            } else if (k < 60) {
                Bytes key = KEYS[r.nextInt(KEYS.length)];
                w.deleteRange(new KvRequest.DeleteRange(key, r.nextBoolean() ? Bytes.EMPTY : key.prefixEnd(), false));
            } else if (k < 68) {
                w.txn(new KvRequest.Txn(List.of(), List.of(KvRequest.Put.of(KEYS[0], Bytes.of("t" + step)), KvRequest.Put.of(KEYS[3], Bytes.of("t" + step))), List.of()));
            } else if (k < 73) {
                long lease = w.leases().grant(0, 2).id();
                w.put(KvRequest.Put.of(KEYS[r.nextInt(KEYS.length)], Bytes.of("l" + step)).withLease(lease));
            } else if (k < 78) {
                clock.addAndGet(1_000);
                w.leases().expire();
            } else if (k < 81 && level >= 1 && w.currentRevision() - w.compactRevision() > 5) {
                record.run();
                long at = w.currentRevision() - 1 - r.nextInt(3);
                w.compact(at);
                checker.compactedAt(at);
            } else if (k < 90) {
                sinks.get(r.nextInt(sinks.size())).read(1 + r.nextInt(3));
            } else if (k < 97) {
                w.tick();
            } else if (level >= 2) {
                w.requestProgress(sinks.get(r.nextInt(sinks.size())));
            }
            record.run();
        }
        for (int i = 0; i < 200; i++) { // the clients read everything; time passes until every watcher caught up
            sinks.forEach(RecordingSink::readAll);
            w.tick();
        }
        long upTo = w.currentRevision();
        for (Watch x : watches) {
            List<WatchResponse> got = streamOf(x);
            checker.check(x.name(), x.request(), x.start(), upTo, w.compactRevision(), got);
            long last = got.stream().flatMap(m -> m.events().stream()).mapToLong(e -> e.kv().modRevision()).max().orElse(x.start() - 1);
            boolean canceled = got.stream().anyMatch(WatchResponse::canceled);
            if (canceled || last + 1 < w.compactRevision()) continue;
            RecordingSink again = RecordingSink.unbounded(); // Resumable: from the last revision seen + 1 comes exactly the rest
            long id = w.watch(x.request().from(last + 1), again);
            w.tick();
            checker.check(x.name() + " resumed from " + (last + 1), x.request(), last + 1, upTo, w.compactRevision(), again.of(id));
        }
    }

    /** A watcher's messages, and its stream's progress answers (watch id -1) while it is live. */
    private static List<WatchResponse> streamOf(Watch x) {
        List<WatchResponse> out = new ArrayList<>();
        boolean live = false;
        for (WatchResponse m : x.sink().messages()) {
            if (m.watchId() == x.id()) {
                live = (live || m.created()) && !m.canceled();
                out.add(m);
            } else if (m.watchId() == -1 && live) {
                out.add(m);
            }
        }
        return out;
    }

    @Graded(lab = 4, part = "A", points = 5, value = "random writes and live watchers: ordered, unique, reliable, atomic")
    void liveGuarantees(Seeds seeds) { seeds.run(200, run -> scenario(run, 0)); }

    @Graded(lab = 4, part = "B", points = 5, value = "random starts in the past and future, and compactions: the guarantees hold, and watches resume")
    void historyGuarantees(Seeds seeds) { seeds.run(200, run -> scenario(run, 1)); }

    @Graded(lab = 4, part = "C", points = 5, value = "slow consumers and progress notifications: nothing lost, and progress only after what it covers")
    void slowGuarantees(Seeds seeds) { seeds.run(200, run -> scenario(run, 2)); }

    @Graded(lab = 4, part = "A", points = 2, value = "a watch's range compares keys as unsigned bytes, not as text: a key that is not UTF-8 is in [\"a\", 0xff)")
    void rangesCompareBytes() {
        Watchable w = Watchers.open(Stores.open(new MemoryBackend(), new AtomicLong(1_000_000)::get));
        RecordingSink sink = RecordingSink.unbounded();
        w.watch(WatchRequest.of(Bytes.of("a")).withRangeEnd(Bytes.of(new byte[] {(byte) 0xff})), sink);
        Bytes odd = Bytes.of(new byte[] {(byte) 0x80, 1}); // not UTF-8: as text it reads as U+FFFD U+0001, above 0xff's U+FFFD
        w.put(KvRequest.Put.of(odd, Bytes.of("v")));
        assertThat(sink.of(0).stream().flatMap(m -> m.events().stream()).map(e -> e.kv().key()).toList())
                .as("keys watched in [\"a\", 0xff) after a put of the bytes 0x80 0x01, which sort between them").containsExactly(odd);
    }

    @Graded(lab = 4, part = "A", points = 3, value = "the keys a lease's revoke or expiry deletes reach the watchers as DELETE events, one revision each")
    void leaseDeletionsReachWatchers() {
        AtomicLong clock = new AtomicLong();
        Watchable w = Watchers.open(Stores.open(new MemoryBackend(), clock::get));
        RecordingSink sink = RecordingSink.unbounded();
        w.watch(WatchRequest.prefix(Bytes.of("l")), sink);
        w.leases().grant(7, 60);
        w.leases().grant(8, 5);
        w.put(KvRequest.Put.of(Bytes.of("l1"), Bytes.of("a")).withLease(7)); // 2
        w.put(KvRequest.Put.of(Bytes.of("l2"), Bytes.of("b")).withLease(7)); // 3
        w.put(KvRequest.Put.of(Bytes.of("l3"), Bytes.of("c")).withLease(8)); // 4
        w.leases().revoke(7); // 5: l1 and l2 in one revision
        assertThat(eventNames(sink.messages())).as("after revoking the lease of l1 and l2")
                .containsExactly("PUT l1@2", "PUT l2@3", "PUT l3@4", "DELETE l1@5", "DELETE l2@5");
        assertThat(sink.messages().get(sink.messages().size() - 1).events()).as("a revoke's deletions come in one message").hasSize(2);
        clock.set(6_000);
        assertThat(w.leases().expire()).as("leases expired at 6 s").isEqualTo(1);
        assertThat(eventNames(sink.messages())).as("after the lease of l3 expired").endsWith("DELETE l3@6");
    }

    @Graded(lab = 4, part = "C", points = 3, value = "on a stream that stays full, created and canceled wait their turn and then arrive exactly once")
    void fullStreamCreatedAndCanceledOnce() {
        Watchable w = Watchers.open(Stores.open(new MemoryBackend(), () -> 0));
        RecordingSink full = new RecordingSink(1);
        long first = w.watch(WatchRequest.of(Bytes.of("a")), full); // its created fills the stream
        long second = w.watch(WatchRequest.of(Bytes.of("b")), full); // its created must wait
        w.cancel(full, first); // and so must this canceled
        w.tick(); // still full: nothing may be lost
        w.tick();
        full.readAll();
        for (int i = 0; i < 3; i++) { // room for one message a tick
            w.tick();
            full.readAll();
        }
        w.put(KvRequest.Put.of(Bytes.of("b"), Bytes.of("1"))); // 2
        w.tick();
        full.readAll();
        w.tick();
        assertThat(full.of(first)).as("watcher %d, canceled while the stream was full", first)
                .containsExactly(WatchResponse.created(first, 1), WatchResponse.canceled(first, 1));
        assertThat(full.of(second).stream().filter(WatchResponse::created).count()).as("created messages of watcher %d, made on a full stream", second).isEqualTo(1);
        assertThat(eventNames(full.of(second))).as("events of watcher %d", second).containsExactly("PUT b@2");
    }

    @Graded(lab = 4, part = "C", points = 2, value = "no progress for a watcher that is behind, even when its client made room just before the progress tick")
    void noProgressWhileBehind() {
        Watchable w = Watchers.open(Stores.open(new MemoryBackend(), () -> 0));
        RecordingSink sink = new RecordingSink(1);
        WatchRequest request = WatchRequest.of(Bytes.of("a")).withProgressNotify();
        long id = w.watch(request, sink); // its created fills the stream
        w.put(KvRequest.Put.of(Bytes.of("a"), Bytes.of("1"))); // 2: refused, so the watcher is behind
        for (int i = 1; i < 100; i++) w.tick(); // 99 ticks on a full stream
        sink.readAll(); // room for one message, just before the 100th tick
        w.tick();
        for (int i = 0; i < 300; i++) { // the client reads everything from now on
            sink.readAll();
            w.tick();
        }
        WatchChecker checker = new WatchChecker();
        checker.record(2, w.changesAt(2));
        checker.check("watcher " + id + " (" + request + "), behind at its 100th tick", request, 2, w.currentRevision(), sink.of(id));
        assertThat(eventNames(sink.of(id))).as("events of watcher %d", id).containsExactly("PUT a@2");
    }

    private static List<String> eventNames(List<WatchResponse> messages) {
        return messages.stream().flatMap(m -> m.events().stream()).map(e -> e.type() + " " + e.kv().key().utf8() + "@" + e.kv().modRevision()).toList();
    }
}
