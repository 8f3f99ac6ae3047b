package minietcd.kit.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import minietcd.kit.etcd.StoreHash;

/**
 * etcd's corruption check, for one member of a replicated store: the leader hashes its store at its
 * current revision and asks every other member for its hash at that revision
 * ({@code /v3/maintenance/hash} with a {@code revision}); a member whose hash differs from the majority's has a store that
 * changed under it (a flipped byte in its files, say), and the leader raises the CORRUPT alarm for it
 * ({@code /v3/maintenance/alarm}, {@code kvctl alarm list}) and says so on its standard error. A
 * member that has not yet applied that revision, or has compacted it away, is left for the next round.
 *
 * <p>Runs on request ({@link #check}) and, once started, every interval on a thread of its own; a
 * follower's rounds do nothing. Each round holds the member's lock only while it hashes its own store.
 */
final class CorruptionCheck implements AutoCloseable {
    /** What one round found: the hash of each member that answered, and the members found corrupt. */
    record Round(long revision, Map<Long, Long> hashes, List<Long> corrupt) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Replica replica;
    private final MaintenanceService maintenance;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
    private Thread thread;

    CorruptionCheck(Replica replica, MaintenanceService maintenance) {
        this.replica = replica;
        this.maintenance = maintenance;
    }

    /** One round now; null when this member does not lead. */
    Round check() {
        long revision, own;
        replica.lock().lock();
        try {
            if (replica.status().leaderMemberId() != replica.memberId()) return null;
            revision = replica.store().currentRevision();
            own = StoreHash.at(replica.store(), revision);
        } finally {
            replica.lock().unlock();
        }
        Map<Long, Long> hashes = new TreeMap<>(Long::compareUnsigned);
        hashes.put(replica.memberId(), own);
        for (Replica.Peer p : replica.members()) {
            if (p.id() == replica.memberId()) continue;
            Long h = hashOf(p, revision);
            if (h != null) hashes.put(p.id(), h);
        }
        Map<Long, Integer> votes = new HashMap<>();
        for (long h : hashes.values()) votes.merge(h, 1, Integer::sum);
        long majority = own;
        for (Map.Entry<Long, Integer> v : votes.entrySet()) if (v.getValue() * 2 > replica.members().size()) majority = v.getKey();
        List<Long> corrupt = new ArrayList<>();
        for (Map.Entry<Long, Long> m : hashes.entrySet()) if (m.getValue() != majority) corrupt.add(m.getKey());
        if (!corrupt.isEmpty()) {
            replica.lock().lock();
            try {
                corrupt.forEach(maintenance::raiseCorrupt);
            } finally {
                replica.lock().unlock();
            }
            System.err.println("corruption check: at revision " + revision + " the members' store hashes are " + hashes
                    + "; raised the CORRUPT alarm for " + corrupt.stream().map(Long::toUnsignedString).toList());
        }
        return new Round(revision, hashes, corrupt);
    }

    private Long hashOf(Replica.Peer peer, long revision) {
        try {
            HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(peer.clientUrl() + "/v3/maintenance/hash")).timeout(Duration.ofSeconds(5))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"revision\":\"" + revision + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
            if (res.statusCode() != 200) return null; // not there yet, or compacted past it: the next round
            JsonNode n = JSON.readTree(res.body());
            return n.path("hash").asLong();
        } catch (java.io.IOException e) {
            return null; // down: nothing to compare
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Runs a round every {@code interval}, on a daemon thread, until closed. */
    synchronized void every(Duration interval) {
        if (thread != null) throw new IllegalStateException("already running");
        thread = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(interval.toMillis());
                    check();
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    System.err.println("corruption check: a round failed: " + e);
                }
            }
        }, "corruption-check");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public synchronized void close() {
        if (thread != null) thread.interrupt();
        thread = null;
    }
}
