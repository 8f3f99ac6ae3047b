package minietcd.kit.node;

/**
 * A message one node sends another. Protocols declare their messages as records under a sealed
 * interface that extends this one, so a handler can switch over them exhaustively.
 * Messages are immutable values: the network may deliver the same instance twice.
 */
public interface Message {}
