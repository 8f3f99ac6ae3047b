package minietcd.kit.node;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * What a node may use to act on the world. All of it is deterministic under the simulator: the
 * same seed gives the same clock readings, random numbers and deliveries.
 */
public interface Context {
    /** This node's id, from 1. */
    int id();

    /** The ids of every member of the cluster, this node included, ascending. */
    List<Integer> members();

    /** Sends a message; it may be delayed, reordered, duplicated or lost. Never blocks. */
    void send(int to, Message message);

    /** Fires {@code timer} once, {@code delayMillis} from now. Never blocks. */
    void setTimer(Timer timer, long delayMillis);

    /** The current time in milliseconds: virtual time in the simulator. */
    long now();

    /** A random generator seeded by the runtime; the only randomness a node may use. */
    RandomGenerator random();

    /** This node's disk, which survives crashes for what was synced. */
    Disk disk();
}
