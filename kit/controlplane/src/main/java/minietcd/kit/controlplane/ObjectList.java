package minietcd.kit.controlplane;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One page of a list.
 *
 * @param items           the objects, in key order, each with its resourceVersion
 * @param resourceVersion the revision the page was read at: a watch from it misses nothing
 * @param continueToken   "" when this is the last page, else the token for the next one
 */
public record ObjectList(List<ObjectNode> items, long resourceVersion, String continueToken) {
    public ObjectList {
        items = List.copyOf(items);
    }
}
