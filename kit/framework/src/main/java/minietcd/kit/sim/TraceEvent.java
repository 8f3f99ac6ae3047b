package minietcd.kit.sim;

/**
 * One line of a simulation trace.
 *
 * @param time   virtual milliseconds
 * @param kind   start, send, deliver, drop, duplicate, timer (a routine tick only when it did something),
 *               sync, crash (with what the disk lost), restart, partition, heal, action, state, and last,
 *               when the run failed, failure (node 0, the broken rule)
 * @param node   the node concerned (0 for the whole cluster); for a send the sender, for a deliver, drop
 *               or duplicate the receiver
 * @param peer   the other node of a message (0 if none)
 * @param detail what happened, in words or as a message's record form
 */
public record TraceEvent(long time, String kind, int node, int peer, String detail) {}
