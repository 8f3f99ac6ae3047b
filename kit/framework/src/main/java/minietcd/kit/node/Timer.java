package minietcd.kit.node;

/**
 * A timer a node sets for itself. Like messages, timers are immutable records under a sealed
 * interface that extends this one. A timer fires once; a node that wants a periodic timer sets it
 * again when it fires.
 */
public interface Timer {
    /**
     * Whether this is a routine timer, such as a periodic tick: a trace leaves out a routine
     * timer's firing unless it sent a message, wrote to the disk or changed the node's state.
     */
    default boolean routine() {
        return false;
    }
}
