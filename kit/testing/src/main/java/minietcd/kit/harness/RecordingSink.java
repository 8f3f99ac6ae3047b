package minietcd.kit.harness;

import java.util.ArrayList;
import java.util.List;
import minietcd.kit.watch.WatchResponse;
import minietcd.kit.watch.WatchSink;

/**
 * A watch stream's client end for tests: it holds at most {@code capacity} messages not yet read;
 * a full sink refuses more until the test reads some with {@link #read(int)}. Everything it ever
 * took is kept, in order, for the checks.
 */
public final class RecordingSink implements WatchSink {
    private final int capacity;
    private final List<WatchResponse> taken = new ArrayList<>();
    private int unread;
    private int refused;

    public RecordingSink(int capacity) {
        this.capacity = capacity;
    }

    /** A sink that never fills. */
    public static RecordingSink unbounded() {
        return new RecordingSink(Integer.MAX_VALUE);
    }

    @Override
    public boolean offer(WatchResponse response) {
        if (unread >= capacity) {
            refused++;
            return false;
        }
        taken.add(response);
        unread++;
        return true;
    }

    /** The client reads up to {@code n} messages, making room. */
    public void read(int n) {
        unread = Math.max(0, unread - n);
    }

    public void readAll() {
        unread = 0;
    }

    /** Every message taken, in order. */
    public List<WatchResponse> messages() {
        return List.copyOf(taken);
    }

    /** The messages of one watcher, in order. */
    public List<WatchResponse> of(long watchId) {
        return taken.stream().filter(r -> r.watchId() == watchId).toList();
    }

    /** How many offers were refused because the sink was full. */
    public int refused() {
        return refused;
    }
}
