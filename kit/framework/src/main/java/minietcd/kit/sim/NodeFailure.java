package minietcd.kit.sim;

/** A node's handler threw: the run stops, naming the node, the event and the virtual time. */
public final class NodeFailure extends RuntimeException {
    private final int node;

    public NodeFailure(int node, String while_, long time, Throwable cause) {
        super("node " + node + " threw at t=" + time + "ms while " + while_ + ": " + cause, cause);
        this.node = node;
    }

    public int node() {
        return node;
    }
}
