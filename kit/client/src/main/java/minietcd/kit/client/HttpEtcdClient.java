package minietcd.kit.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import minietcd.kit.etcd.EtcdReply;
import minietcd.kit.etcd.EtcdRequest;
import minietcd.kit.etcd.RequestJson;
import minietcd.kit.mvcc.EtcdException;
import minietcd.kit.watch.WatchRequest;
import minietcd.kit.watch.WatchResponse;

/**
 * An {@link EtcdClient} over etcd 3.4's JSON gateway ({@code POST /v3/kv/range} and the rest), on the
 * JDK's HTTP client: the kit's members or a real etcd. A request goes to the endpoint that answered
 * last; one that cannot be connected to is tried on the next endpoint (it was never sent), anything
 * else is the request's failure. A call that gets no answer within the timeout fails with
 * "context deadline exceeded" (code 4), as etcd's Go client says it. A watch stream reads its
 * messages on a thread of its own and calls its listener there.
 */
public final class HttpEtcdClient implements EtcdClient, AutoCloseable {
    private final HttpClient http;
    private final List<URI> endpoints;
    private final Duration timeout;
    private volatile int preferred;

    /**
     * @param endpoints such as {@code http://127.0.0.1:2379}
     * @param timeout   how long a call may wait for its answer
     */
    public HttpEtcdClient(List<String> endpoints, Duration timeout) {
        if (endpoints.isEmpty()) throw new IllegalArgumentException("no endpoint given");
        this.endpoints = endpoints.stream().map(e -> URI.create(e.endsWith("/") ? e : e + "/")).toList();
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    @Override
    public CompletableFuture<EtcdReply> call(EtcdRequest request) {
        return send(request, preferred, 0);
    }

    private CompletableFuture<EtcdReply> send(EtcdRequest request, int endpoint, int tried) {
        HttpRequest post = HttpRequest.newBuilder(endpoints.get(endpoint).resolve("v3/" + RequestJson.path(request)))
                .timeout(timeout).POST(HttpRequest.BodyPublishers.ofString(RequestJson.body(request))).build();
        return http.sendAsync(post, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .handle((response, failure) -> {
                    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                    if (cause instanceof ConnectException && tried + 1 < endpoints.size())
                        return send(request, (endpoint + 1) % endpoints.size(), tried + 1);
                    if (cause instanceof HttpTimeoutException)
                        return CompletableFuture.<EtcdReply>failedFuture(new EtcdException(EtcdException.DEADLINE_EXCEEDED, "context deadline exceeded"));
                    if (cause != null) return CompletableFuture.<EtcdReply>failedFuture(cause);
                    preferred = endpoint;
                    try {
                        if (response.statusCode() == 200) return CompletableFuture.completedFuture(ReplyJson.reply(request, response.body()));
                        return CompletableFuture.<EtcdReply>failedFuture(ReplyJson.error(response.body()));
                    } catch (IllegalArgumentException notEtcd) {
                        return CompletableFuture.<EtcdReply>failedFuture(new IOException(
                                "HTTP " + response.statusCode() + " from " + endpoints.get(endpoint) + ": " + notEtcd.getMessage()));
                    }
                })
                .thenCompose(f -> f);
    }

    @Override
    public Watch watch(WatchRequest request, WatchListener listener) {
        HttpRequest post = HttpRequest.newBuilder(endpoints.get(preferred).resolve("v3/watch"))
                .POST(HttpRequest.BodyPublishers.ofString(RequestJson.watch(request))).build();
        Stream stream = new Stream(listener);
        Thread reader = new Thread(() -> stream.read(post), "watch " + request.key());
        reader.setDaemon(true);
        reader.start();
        return stream;
    }

    /** One watch stream: its reader thread, and its end (a cancel or the first failure) heard once. */
    private final class Stream implements Watch {
        private final WatchListener listener;
        private volatile boolean canceled;
        private volatile InputStream body;

        Stream(WatchListener listener) {
            this.listener = listener;
        }

        void read(HttpRequest post) {
            String why;
            try {
                HttpResponse<InputStream> response = http.send(post, HttpResponse.BodyHandlers.ofInputStream());
                body = response.body();
                if (canceled) body.close();
                if (response.statusCode() != 200) {
                    String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
                    why = "HTTP " + response.statusCode() + ": " + text.strip();
                } else {
                    BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
                    for (String line; (line = lines.readLine()) != null; ) {
                        if (line.isBlank()) continue;
                        WatchResponse r = ReplyJson.watch(line);
                        if (canceled) return;
                        listener.onResponse(r);
                        if (r.canceled()) return;
                    }
                    why = "the server ended the stream";
                }
            } catch (IOException | RuntimeException e) {
                why = e.getMessage() == null ? e.toString() : e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                why = "interrupted";
            }
            if (!canceled) listener.broken(why);
        }

        @Override
        public void cancel() {
            canceled = true;
            InputStream b = body;
            if (b != null) {
                try {
                    b.close(); // closing the body drops the connection: the server cancels the watcher
                } catch (IOException ignored) {
                    // already gone
                }
            }
        }
    }

    @Override
    public void close() {
        // The JDK's client frees its connections when it is collected; nothing here holds more.
    }
}
