package minietcd.kit.sim;

/**
 * The network and disk fault model of one simulation. Partitions and crashes are not here: a
 * scenario or a {@link Nemesis} makes them at chosen moments.
 *
 * @param dropRate      the chance that a sent message is lost
 * @param duplicateRate the chance that a sent message is delivered twice
 * @param minDelayMillis the shortest one-way delay
 * @param maxDelayMillis the longest one-way delay; a spread between the two reorders messages
 * @param tornWrites    whether a crash may keep part of the unsynced writes (and tear the last append);
 *                      when false a crash loses every unsynced write
 */
public record Faults(double dropRate, double duplicateRate, long minDelayMillis, long maxDelayMillis, boolean tornWrites) {
    public Faults {
        if (dropRate < 0 || dropRate >= 1 || duplicateRate < 0 || duplicateRate >= 1)
            throw new IllegalArgumentException("rates must be in [0, 1)");
        if (minDelayMillis < 0 || maxDelayMillis < minDelayMillis)
            throw new IllegalArgumentException("need 0 <= minDelayMillis <= maxDelayMillis");
    }

    /** A reliable network with small delays; crashes still lose unsynced writes. */
    public static final Faults RELIABLE = new Faults(0, 0, 1, 5, true);

    /** Loses 10% of messages, duplicates 5%, and reorders them with delays up to 30 ms. */
    public static final Faults UNRELIABLE = new Faults(0.10, 0.05, 1, 30, true);

    /** The same with long delays too: up to 120 ms, more than a heartbeat interval. */
    public static final Faults HARSH = new Faults(0.20, 0.10, 1, 120, true);
}
