package minietcd.kit.server;

import java.util.function.LongSupplier;
import minietcd.kit.watch.Watchable;

/**
 * What one gateway serves: a lone store, run here on the gateway's own clock, or one member of a
 * replicated store, whose node runs the store. Each service asks which it is instead of holding a
 * null for the other case.
 */
sealed interface Serving permits Serving.Lone, Serving.OfCluster {
    /** The store as it is now (a replica's may be a new object after a snapshot). Under the store lock. */
    Watchable store();

    /** A store of its own: requests run on it here, time passes by {@code clock} (milliseconds). */
    record Lone(Watchable store, LongSupplier clock) implements Serving {}

    /** One member of a replicated store: KV and lease RPCs go to its node. */
    record OfCluster(Replica replica) implements Serving {
        @Override public Watchable store() { return replica.store(); }
    }
}
