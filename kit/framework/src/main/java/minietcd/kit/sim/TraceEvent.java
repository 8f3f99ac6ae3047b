package minietcd.kit.sim;

/**
 * One line of a simulation trace.
 *
 * @param time   virtual milliseconds
 * @param kind   start, deliver, drop, duplicate, timer (a routine tick only when it did something), sync,
 *               crash (with what the disk lost), restart, partition, heal, action, state
 * @param node   the node concerned (0 for the whole cluster)
 * @param peer   the other node of a message (0 if none)
 * @param detail what happened, in words or as a message's record form
 */
public record TraceEvent(long time, String kind, int node, int peer, String detail) {}
