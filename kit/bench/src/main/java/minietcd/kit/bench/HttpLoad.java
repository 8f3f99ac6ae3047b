package minietcd.kit.bench;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A closed-loop load generator for etcd's JSON gateway: {@code connections} threads, each with its own
 * keep-alive {@link HttpConnection}, each sending one request, waiting for its response, and sending
 * the next. Connection {@code i} goes to {@code urls[i % urls.size()]}. Every request is on a key
 * drawn uniformly from the {@link Keyspace} (each thread has its own seeded random).
 *
 * <p>All threads connect first, then run for the warm-up and the measured duration, back to back.
 * A request counts when it starts inside the measured window: answered 200, its latency (send to
 * last byte of the response) goes in the histogram; otherwise it is an error, counted apart and kept
 * out of the latencies. A request that started in the window but ends after it still counts; with
 * closed-loop load that adds at most one request per connection.
 */
public final class HttpLoad {
    /** How long a request may wait for its response before it is an error. */
    static final int TIMEOUT_MILLIS = 10_000;

    private HttpLoad() {}

    /**
     * One row of load.
     *
     * @param urls        the members' client URLs ({@code http://host:port})
     * @param op          the operation every request makes
     * @param connections how many connections (and threads)
     * @param warmup      load before the measured window, not counted
     * @param duration    the measured window
     * @param keyspace    the keys requests are on
     * @param seed        seeds the threads' key choices
     */
    public record Spec(List<URI> urls, Op op, int connections, Duration warmup, Duration duration, Keyspace keyspace, long seed) {
        public Spec {
            urls = List.copyOf(urls);
            if (urls.isEmpty()) throw new IllegalArgumentException("no URLs");
            if (connections < 1) throw new IllegalArgumentException("connections must be at least 1");
            if (duration.isNegative() || duration.isZero()) throw new IllegalArgumentException("the duration must be positive");
            if (warmup.isNegative()) throw new IllegalArgumentException("negative warm-up");
        }
    }

    /** Runs one row of load and returns what the measured window saw. */
    public static LoadResult run(Spec spec) throws InterruptedException {
        byte[][] bodies = spec.keyspace().bodies(spec.op());
        int n = spec.connections();
        CountDownLatch connected = new CountDownLatch(n);
        CountDownLatch go = new CountDownLatch(1);
        long[] window = new long[2]; // start and end of the measured window, nanoTime; written before go opens
        Worker[] workers = new Worker[n];
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Worker w = new Worker(new HttpConnection(spec.urls().get(i % spec.urls().size()), TIMEOUT_MILLIS),
                    spec.op().path, bodies, new SplittableRandom(spec.seed() * 1_000_003L + i));
            workers[i] = w;
            Thread t = new Thread(() -> w.run(connected, go, window), "load-" + spec.op().label + "-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        connected.await();
        long start = System.nanoTime() + spec.warmup().toNanos();
        window[0] = start;
        window[1] = start + spec.duration().toNanos();
        go.countDown();
        for (Thread t : threads) t.join();

        LatencyHistogram all = new LatencyHistogram();
        long ops = 0, errors = 0;
        String firstError = null;
        for (Worker w : workers) {
            all.add(w.latencies);
            ops += w.ops;
            errors += w.errors;
            if (firstError == null) firstError = w.firstError;
        }
        return new LoadResult(ops, errors, spec.duration().toNanos() / 1e9, all, firstError);
    }

    /**
     * Writes every key of the keyspace once, over {@code connections} connections, so that ranges find
     * them. A failed put is tried again (a new cluster may still be electing its leader) for up to
     * {@code patience}; a key still not written after that is an exception naming the last failure.
     */
    public static void fill(List<URI> urls, Keyspace keyspace, int connections, Duration patience) throws InterruptedException {
        byte[][] bodies = keyspace.bodies(Op.PUT);
        AtomicInteger next = new AtomicInteger();
        AtomicReference<String> failure = new AtomicReference<>();
        long giveUp = System.nanoTime() + patience.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            URI url = urls.get(i % urls.size());
            Thread t = new Thread(() -> {
                try (HttpConnection c = new HttpConnection(url, TIMEOUT_MILLIS)) {
                    for (int k; failure.get() == null && (k = next.getAndIncrement()) < bodies.length; ) {
                        while (true) {
                            String problem;
                            try {
                                int status = c.post(Op.PUT.path, bodies[k]);
                                if (status == 200) break;
                                problem = status + " " + c.bodyText();
                            } catch (IOException e) {
                                problem = e.toString();
                            }
                            if (System.nanoTime() > giveUp) {
                                failure.compareAndSet(null, "could not write key " + k + " to " + url + ": " + problem);
                                return;
                            }
                            Thread.sleep(20);
                        }
                    }
                } catch (InterruptedException e) {
                    failure.compareAndSet(null, "interrupted");
                }
            }, "fill-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) t.join();
        if (failure.get() != null) throw new IllegalStateException(failure.get());
    }

    /** One connection's loop and what it counted. */
    private static final class Worker {
        final HttpConnection connection;
        final String path;
        final byte[][] bodies;
        final SplittableRandom random;
        final LatencyHistogram latencies = new LatencyHistogram();
        long ops, errors;
        String firstError;

        Worker(HttpConnection connection, String path, byte[][] bodies, SplittableRandom random) {
            this.connection = connection;
            this.path = path;
            this.bodies = bodies;
            this.random = random;
        }

        void run(CountDownLatch connected, CountDownLatch go, long[] window) {
            try (connection) {
                try {
                    connection.get("/health"); // opens the socket before the clock starts
                } catch (IOException e) {
                    // the loop reconnects, and counts the failure if it persists into the window
                } finally {
                    connected.countDown();
                }
                go.await();
                long start = window[0], end = window[1];
                for (long t0; (t0 = System.nanoTime()) < end; ) {
                    byte[] body = bodies[random.nextInt(bodies.length)];
                    boolean counted = t0 >= start;
                    String problem = null;
                    try {
                        int status = connection.post(path, body);
                        long t1 = System.nanoTime();
                        if (status == 200) {
                            if (counted) {
                                latencies.record(t1 - t0);
                                ops++;
                            }
                            continue;
                        }
                        problem = status + " " + connection.bodyText();
                    } catch (IOException e) {
                        problem = e.toString();
                        Thread.sleep(1); // no busy loop against a server that refuses connections
                    }
                    if (counted) {
                        errors++;
                        if (firstError == null) firstError = problem;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
