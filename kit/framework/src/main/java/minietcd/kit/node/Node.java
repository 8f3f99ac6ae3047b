package minietcd.kit.node;

/**
 * A node is a deterministic event handler. The runtime calls exactly one method at a time; each
 * call runs to completion and must not block, sleep, read the wall clock, start threads or use
 * randomness other than {@link Context#random()}. Everything a node does to the world goes
 * through its {@link Context}.
 *
 * <p>A node object lives for one incarnation: after a crash, the runtime builds a new object
 * with {@link NodeFactory} and calls {@link #start()}, and the node recovers what it needs from
 * {@link Context#disk()}.
 */
public interface Node {
    /** Called once per incarnation before any message or timer. */
    void start();

    /** A message from node {@code from} arrived. */
    void onMessage(int from, Message message);

    /** A timer set by this incarnation fired. */
    void onTimer(Timer timer);
}
