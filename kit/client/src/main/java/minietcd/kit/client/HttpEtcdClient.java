package minietcd.kit.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
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
 * An {@link EtcdClient} over etcd 3.4's JSON gateway ({@code POST /v3/kv/range} and the rest): the
 * kit's members or a real etcd, reached through {@link GatewayEndpoints} (the endpoint that answered
 * last first; one that cannot be connected to is passed over for the next, since the request was
 * never sent). A call that gets no answer within the timeout fails with "context deadline exceeded"
 * (code 4), as etcd's Go client says it. A watch stream reads its messages on a thread of its own
 * and calls its listener there.
 */
public final class HttpEtcdClient implements EtcdClient, AutoCloseable {
    private final GatewayEndpoints gateway;

    /**
     * @param endpoints such as {@code http://127.0.0.1:2379}
     * @param timeout   how long a call may wait for its connection, and then for its answer
     */
    public HttpEtcdClient(List<String> endpoints, Duration timeout) {
        this.gateway = new GatewayEndpoints(endpoints, timeout, timeout);
    }

    @Override
    public CompletableFuture<EtcdReply> call(EtcdRequest request) {
        return gateway.post(RequestJson.path(request), RequestJson.body(request), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8), true)
                .handle((x, failure) -> {
                    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                    if (cause instanceof GatewayEndpoints.TimedOut)
                        throw new CompletionException(new EtcdException(EtcdException.DEADLINE_EXCEEDED, "context deadline exceeded"));
                    if (cause != null) throw new CompletionException(cause);
                    try {
                        if (x.response().statusCode() == 200) return ReplyJson.reply(request, x.response().body());
                        throw new CompletionException(ReplyJson.error(x.response().body()));
                    } catch (IllegalArgumentException notEtcd) {
                        throw new CompletionException(new IOException("HTTP " + x.response().statusCode() + " from " + x.endpoint() + ": " + notEtcd.getMessage()));
                    }
                });
    }

    @Override
    public Watch watch(WatchRequest request, WatchListener listener) {
        Stream stream = new Stream(listener);
        Thread reader = new Thread(() -> stream.read(RequestJson.watch(request)), "watch " + request.key());
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

        void read(String requestBody) {
            String why;
            try {
                HttpResponse<InputStream> response = gateway.post("watch", requestBody, HttpResponse.BodyHandlers.ofInputStream(), false).join().response();
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
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                why = cause.getMessage() == null ? cause.toString() : cause.getMessage();
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
