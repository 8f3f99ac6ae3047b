package minietcd.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import minietcd.kit.conformance.Recordings;

/**
 * Replays one recorded {@code /v3/watch} session over HTTP: opens the stream with the recorded body,
 * and for each recorded message in turn makes the writes it reports (over HTTP, as the recording's
 * other client did), lets 100 ms of the server's clock pass (one tick, so watchers behind catch up),
 * and waits for the server's next message. Then the stream is closed, as curl's --max-time closed it.
 *
 * <p>Revisions no message shows are filled: with the previous value of a key where some event's
 * {@code prev_kv} tells it, else with puts of "w1" (the key the recording's sessions wrote), the last
 * revision of a gap deleting "w1" when it exists, as the recording's sessions ended. Messages are
 * compared per watcher (etcd interleaves different watchers' messages differently from run to run),
 * each line byte for byte.
 */
final class WatchReplay {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String W1 = b64("w1");

    private final HttpClient http;
    private final String base;
    private final AtomicLong clock;
    private final Map<Long, JsonNode> prevByMod = new LinkedHashMap<>(), prevByCreate = new LinkedHashMap<>();

    WatchReplay(HttpClient http, String base, AtomicLong clock) {
        this.http = http;
        this.base = base;
        this.clock = clock;
    }

    /** Null if the session came out as recorded, else what differs. */
    String replay(Recordings.Vector v, UnaryOperator<String> asEtcd) throws Exception {
        List<JsonNode> recorded = new ArrayList<>();
        v.response().forEach(recorded::add);
        List<String> expected = v.responseRaw().strip().lines().toList();
        for (JsonNode m : recorded)
            for (JsonNode e : m.path("result").path("events"))
                if (e.has("prev_kv")) {
                    prevByMod.put(e.get("prev_kv").path("mod_revision").asLong(), e.get("prev_kv"));
                    prevByCreate.put(e.get("prev_kv").path("create_revision").asLong(), e.get("prev_kv"));
                }
        fill(recorded.get(0).path("result").path("header").path("revision").asLong());

        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/v3/watch")).POST(HttpRequest.BodyPublishers.ofString(v.body())).build();
        HttpResponse<InputStream> res = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(res.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) lines.add(line);
            } catch (Exception e) {
                // closed
            }
        }, "watch-replay-reader");
        reader.setDaemon(true);
        reader.start();
        List<String> got = new ArrayList<>();
        try {
            for (JsonNode m : recorded) {
                for (JsonNode e : m.path("result").path("events")) {
                    long rev = e.path("kv").path("mod_revision").asLong();
                    if (rev <= revision()) continue;
                    fill(rev - 1);
                    String key = e.path("kv").path("key").asText();
                    if (e.path("type").asText("PUT").equals("DELETE")) write("deleterange", "{\"key\":\"" + key + "\"}");
                    else write("put", "{\"key\":\"" + key + "\",\"value\":\"" + e.path("kv").path("value").asText("") + "\"}");
                }
                fill(m.path("result").path("header").path("revision").asLong());
                clock.addAndGet(100);
                String line = lines.poll(3, TimeUnit.SECONDS);
                if (line != null) got.add(asEtcd.apply(line));
            }
            String extra = lines.poll(200, TimeUnit.MILLISECONDS);
            if (extra != null) got.add(asEtcd.apply(extra));
        } finally {
            res.body().close();
        }
        String status = res.statusCode() + " " + res.headers().firstValue("Content-Type").orElse("");
        if (res.statusCode() == 200 && status.endsWith("application/json") && byWatcher(got).equals(byWatcher(expected))) return null;
        return "      etcd: " + v.status() + " application/json\n        " + String.join("\n        ", expected)
                + "\n      ours: " + status + "\n        " + String.join("\n        ", got);
    }

    /** Writes until the store's revision is {@code target}. */
    private void fill(long target) throws Exception {
        long rev = revision();
        boolean w1 = exists(W1);
        while (rev < target) {
            long r = rev + 1;
            JsonNode byMod = prevByMod.get(r), byCreate = prevByCreate.get(r);
            if (byMod != null) write("put", "{\"key\":\"" + byMod.path("key").asText() + "\",\"value\":\"" + byMod.path("value").asText("") + "\"}");
            else if (byCreate != null) write("put", "{\"key\":\"" + byCreate.path("key").asText() + "\",\"value\":\"" + b64("filler") + "\"}");
            else if (r == target && w1) {
                write("deleterange", "{\"key\":\"" + W1 + "\"}");
                w1 = false;
            } else {
                write("put", "{\"key\":\"" + W1 + "\",\"value\":\"" + b64("filler") + "\"}");
                w1 = true;
            }
            rev = revision();
        }
    }

    private long revision() throws Exception {
        return JSON.readTree(write("range", "{\"key\":\"AA==\",\"count_only\":true}")).path("header").path("revision").asLong();
    }

    private boolean exists(String key) throws Exception {
        return JSON.readTree(write("range", "{\"key\":\"" + key + "\",\"count_only\":true}")).path("count").asLong() > 0;
    }

    private String write(String rpc, String body) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/v3/kv/" + rpc)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(req, HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Lines grouped by watch id, in order within each watcher. */
    private static Map<String, List<String>> byWatcher(List<String> lines) throws Exception {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String l : lines) {
            String id = JSON.readTree(l).path("result").path("watch_id").asText("0");
            out.computeIfAbsent(id, k -> new ArrayList<>()).add(l);
        }
        return new java.util.TreeMap<>(out);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
