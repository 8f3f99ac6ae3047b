package minietcd.kit.node;

/** Builds a node for one incarnation. Must be deterministic in its inputs. */
@FunctionalInterface
public interface NodeFactory {
    Node create(Context context);
}
