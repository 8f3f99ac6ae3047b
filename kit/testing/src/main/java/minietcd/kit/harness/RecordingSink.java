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
    private final java.util.Set<Long> created = new java.util.HashSet<>();
    private int unread;
    private int refused;

    public RecordingSink(int capacity) {
        this.capacity = capacity;
    }

    /** A sink that never fills. */
    public static RecordingSink unbounded() {
        return new RecordingSink(Integer.MAX_VALUE);
    }

    /**
     * Takes a message if there is room. A second watcher created with an id this stream has already
     * had fails at once, naming the rule: etcd never gives out an id twice on one stream, not even
     * the id of a canceled watcher (its late messages would be taken for the new one's).
     */
    @Override
    public boolean offer(WatchResponse response) {
        if (unread >= capacity) {
            refused++;
            return false;
        }
        if (response.created() && !response.canceled() && !created.add(response.watchId()))
            throw new AssertionError("Watch ids are unique on a stream: a watcher was created with id " + response.watchId()
                    + ", which an earlier watcher of this stream had (etcd never gives an id out twice on one stream, a canceled watcher's included)");
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
