package minietcd.tutorial;

import java.io.PrintStream;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A workshop's load on one tutorial process: {@code browsers} simulated browsers at once, each with its
 * own cookie, as a learner's page behaves. Each loads a chapter (its page, style sheet and scripts),
 * makes its demo (the browsers take the three demos in turn) and plays it for the duration: a frame
 * is one step request, sent when the last one has been answered and at most every 30 ms, as the
 * pages' scripts do; election browsers also kill the leader and restart it every few seconds, store
 * browsers put a key every frame. What it measures: frames a second per browser (the pages draw each
 * answer, so this is their frame rate, at most 30), the latency of every request, the page loads,
 * and errors.
 */
public final class WorkshopLoad {
    static final long FRAME_MS = 30;

    /** What one kind of demo saw: its browsers' frame rates (lowest, median), request latencies and page loads in ms, errors. */
    public record Result(String demo, int browsers, double fpsMin, double fpsMedian, double p50, double p99, double pageP50, double pageP99, long errors) {}

    private WorkshopLoad() {}

    private static final String[][] DEMOS = {{"election", "2"}, {"store", "3"}, {"controlplane", "0"}};

    public static List<Result> run(URI base, int browsers, Duration duration) throws InterruptedException {
        List<Browser> all = new ArrayList<>();
        CountDownLatch ready = new CountDownLatch(browsers), go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < browsers; i++) {
            Browser b = new Browser(base, DEMOS[i % DEMOS.length][0], DEMOS[i % DEMOS.length][1], i + 1);
            all.add(b);
            Thread t = new Thread(() -> b.run(ready, go, duration), "browser-" + (i + 1));
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        ready.await();
        go.countDown();
        for (Thread t : threads) t.join();
        List<Result> out = new ArrayList<>();
        for (String[] d : DEMOS) {
            List<Browser> mine = all.stream().filter(b -> b.demo.equals(d[0])).toList();
            if (mine.isEmpty()) continue;
            double[] fps = mine.stream().mapToDouble(b -> b.frames / (duration.toMillis() / 1000.0)).sorted().toArray();
            long[] latencies = mine.stream().flatMapToLong(b -> b.latencies.stream().mapToLong(Long::longValue)).sorted().toArray();
            long[] pages = mine.stream().flatMapToLong(b -> b.pages.stream().mapToLong(Long::longValue)).sorted().toArray();
            out.add(new Result(d[0], mine.size(), fps[0], fps[fps.length / 2], quantile(latencies, 0.5), quantile(latencies, 0.99),
                    quantile(pages, 0.5), quantile(pages, 0.99), mine.stream().mapToLong(b -> b.errors).sum()));
        }
        return out;
    }

    private static double quantile(long[] sortedNanos, double q) {
        if (sortedNanos.length == 0) return Double.NaN;
        return sortedNanos[Math.min(sortedNanos.length - 1, (int) Math.ceil(q * sortedNanos.length) - 1)] / 1e6;
    }

    /**
     * Page loads by one browser alone: every chapter, the home page and the traces page, {@code rounds}
     * times after one round of warm-up; each load is the page with its style sheet and scripts, one
     * after another. Returns the p50 and p99 in ms.
     */
    public static double[] pageLoads(URI base, int rounds) throws InterruptedException {
        Browser b = new Browser(base, "election", "2", 1);
        List<String> pages = new ArrayList<>(List.of("/", "/traces"));
        for (int c = 0; c <= 5; c++) pages.add("/chapters/" + c);
        for (int round = 0; round <= rounds; round++)
            for (String page : pages) {
                long start = System.nanoTime();
                b.send("GET", page, null);
                b.send("GET", "/static/tutorial.css", null);
                if (page.startsWith("/chapters/")) {
                    b.send("GET", "/static/tries.js", null);
                    b.send("GET", "/static/" + (page.endsWith("0") || page.endsWith("5") ? "controlplane" : page.endsWith("3") || page.endsWith("4") ? "store" : "election") + ".js", null);
                }
                if (round > 0) b.pages.add(System.nanoTime() - start);
            }
        long[] sorted = b.pages.stream().mapToLong(Long::longValue).sorted().toArray();
        return new double[] {quantile(sorted, 0.5), quantile(sorted, 0.99)};
    }

    /** The results as a Markdown table. */
    public static void print(PrintStream out, List<Result> results, int browsers, Duration duration) {
        out.printf("%d browsers at once for %d s (the demos in turn), frames at most every %d ms as the pages ask:%n%n", browsers, duration.toSeconds(), FRAME_MS);
        out.println("| demo | browsers | frames/s, lowest browser | frames/s, median | request p50 ms | request p99 ms | page load p50 ms | page load p99 ms | errors |");
        out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Result r : results)
            out.printf("| %s | %d | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %d |%n", r.demo(), r.browsers(), r.fpsMin(), r.fpsMedian(), r.p50(), r.p99(), r.pageP50(), r.pageP99(), r.errors());
    }

    private static final class Browser {
        final URI base;
        final String demo, chapter;
        final int seed;
        final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).version(HttpClient.Version.HTTP_1_1).build();
        final List<Long> latencies = new ArrayList<>(), pages = new ArrayList<>();
        long frames, errors;

        Browser(URI base, String demo, String chapter, int seed) {
            this.base = base;
            this.demo = demo;
            this.chapter = chapter;
            this.seed = seed;
        }

        void run(CountDownLatch ready, CountDownLatch go, Duration duration) {
            try {
                ready.countDown();
                go.await();
                long page = System.nanoTime();
                for (String path : List.of("/chapters/" + chapter, "/static/tutorial.css", "/static/tries.js", "/static/" + demo + ".js")) send("GET", path, null);
                pages.add(System.nanoTime() - page);
                String made = send("POST", "/api/demos", "{\"demo\": \"" + demo + "\", \"seed\": " + seed + "}");
                if (made == null) return;
                String id = made.replaceAll("(?s).*\"id\":\"([^\"]+)\".*", "$1");
                long end = System.nanoTime() + duration.toNanos();
                int down = 0;
                for (long frame = 0; System.nanoTime() < end; frame++) {
                    long start = System.nanoTime();
                    String action = switch (demo) {
                        case "election" -> frame % 150 == 75 ? "{\"kind\": \"kill\"}" : frame % 150 == 149 && down > 0 ? "{\"kind\": \"restart\", \"arg\": " + down + "}"
                                : "{\"kind\": \"step\", \"arg\": 50}";
                        case "store" -> frame % 2 == 0 ? "{\"kind\": \"put\", \"key\": \"pods/p" + frame % 7 + "\", \"value\": \"v" + frame + "\"}" : "{\"kind\": \"step\", \"arg\": 200}";
                        default -> frame == 3 ? "{\"kind\": \"replicaset\", \"arg\": 3}" : "{\"kind\": \"step\", \"arg\": 500}";
                    };
                    String state = send("POST", "/api/demos/" + id + "/actions", action);
                    if (state != null) {
                        latencies.add(System.nanoTime() - start);
                        frames++;
                        if (demo.equals("election")) down = downNode(state);
                    }
                    long left = FRAME_MS - (System.nanoTime() - start) / 1_000_000;
                    if (left > 0) Thread.sleep(left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

        /** A node the election demo's state shows down, or 0. */
        private static int downNode(String state) {
            try {
                for (var n : JSON.readTree(state).path("nodes")) if (!n.path("up").asBoolean()) return n.path("id").asInt();
            } catch (java.io.IOException e) {
                // not a state: nothing to restart
            }
            return 0;
        }

        /** The body of a 2xx answer; null (an error counted) otherwise. A kill when no node leads (400) is a learner's click too, not an error. */
        private String send(String method, String path, String body) throws InterruptedException {
            try {
                HttpRequest.Builder r = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
                r = body == null ? r.GET() : r.method(method, HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
                HttpResponse<String> answer = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() / 100 == 2) return answer.body();
                if (answer.statusCode() == 400 && body != null && body.contains("kill")) return null; // no leader to kill just now: no frame, no error
                errors++;
            } catch (java.io.IOException e) {
                errors++;
            }
            return null;
        }
    }

    /** {@code WorkshopLoad URL BROWSERS SECONDS}: the load on a running tutorial, printed as a table. */
    public static void main(String[] args) throws InterruptedException {
        if (args.length != 3) {
            System.err.println("usage: WorkshopLoad URL BROWSERS SECONDS (" + Arrays.toString(args) + ")");
            System.exit(2);
        }
        int browsers = Integer.parseInt(args[1]);
        Duration d = Duration.ofSeconds(Long.parseLong(args[2]));
        print(System.out, run(URI.create(args[0]), browsers, d), browsers, d);
    }
}
