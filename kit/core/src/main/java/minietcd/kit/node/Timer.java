package minietcd.kit.node;

/**
 * A timer a node sets for itself. Like messages, timers are immutable records under a sealed
 * interface that extends this one. A timer fires once; a node that wants a periodic timer sets it
 * again when it fires.
 */
public interface Timer {}
