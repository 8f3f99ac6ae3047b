package minietcd.kit.bench;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/** Waiting for members to say they are healthy, as etcd's {@code GET /health} does. */
public final class Health {
    private static final Pattern TRUE = Pattern.compile("\"health\"\\s*:\\s*\"?true\"?");

    private Health() {}

    /**
     * Returns once every URL answers {@code GET /health} with 200 and {@code "health":"true"}. Polls
     * every 100 ms. Throws {@link TimeoutException} after {@code limit}, naming the members not yet
     * healthy and what they last said; before each round asks {@code stillRunning} for a reason to
     * stop early (a member process that exited), and throws {@link IllegalStateException} with it.
     */
    public static void await(List<URI> urls, Duration limit, Supplier<String> stillRunning) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + limit.toNanos();
        String[] last = new String[urls.size()];
        while (true) {
            String stop = stillRunning.get();
            if (stop != null) throw new IllegalStateException(stop);
            boolean all = true;
            for (int i = 0; i < urls.size(); i++) {
                if ("healthy".equals(last[i])) continue;
                last[i] = check(urls.get(i));
                if (!"healthy".equals(last[i])) all = false;
            }
            if (all) return;
            if (System.nanoTime() > deadline) {
                StringBuilder sb = new StringBuilder("not healthy after " + limit.toSeconds() + " s:");
                for (int i = 0; i < urls.size(); i++) if (!"healthy".equals(last[i])) sb.append(' ').append(urls.get(i)).append(" (").append(last[i]).append(')');
                throw new TimeoutException(sb.toString());
            }
            Thread.sleep(100);
        }
    }

    /** Whether {@code url} answers {@code GET /health} with 200 and {@code "health":"true"} now. */
    public static boolean healthy(URI url) {
        return "healthy".equals(check(url));
    }

    /** "healthy", or what the member said instead. */
    private static String check(URI url) {
        try (HttpConnection c = new HttpConnection(url, 2_000)) {
            int status = c.get("/health");
            String body = c.bodyText();
            return status == 200 && TRUE.matcher(body).find() ? "healthy" : status + " " + body.strip();
        } catch (IOException e) {
            return e.toString();
        }
    }
}
