package minietcd.kit.harness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import minietcd.kit.controlplane.Informer;
import minietcd.kit.controlplane.ResourceEventHandler;

/**
 * What an informer's handlers heard, replayed onto a map of objects, checking as it goes that each
 * call makes sense (no add of what the handlers have, no update or delete of what they do not) and
 * that the informer's cache had the change before the handlers heard of it.
 */
public final class HandlerModel implements ResourceEventHandler {
    private final Informer informer;
    /** The objects the handlers were told of, by key. */
    public final Map<String, ObjectNode> objects = new TreeMap<>();
    /** Every call, as "add ns/name", "update ns/name", "delete ns/name" or "tombstone ns/name". */
    public final List<String> log = new ArrayList<>();
    public int tombstones, resyncs;

    public HandlerModel(Informer informer) {
        this.informer = informer;
    }

    @Override
    public void onAdd(ObjectNode o) {
        String key = Informer.keyOf(o);
        log.add("add " + key);
        assertThat(objects.put(key, o)).as("onAdd of %s, which the handlers had already (heard: %s)", key, log).isNull();
        assertThat(informer.get(key)).as("the cache when onAdd(%s) runs", key).contains(o);
    }

    @Override
    public void onUpdate(ObjectNode before, ObjectNode after) {
        String key = Informer.keyOf(after);
        if (before.equals(after)) resyncs++;
        log.add("update " + key);
        assertThat(objects.put(key, after)).as("onUpdate of %s, which the handlers never had (heard: %s)", key, log).isNotNull();
        assertThat(informer.get(key)).as("the cache when onUpdate(%s) runs", key).contains(after);
    }

    @Override
    public void onDelete(ObjectNode lastKnown, boolean finalStateUnknown) {
        String key = Informer.keyOf(lastKnown);
        log.add((finalStateUnknown ? "tombstone " : "delete ") + key);
        if (finalStateUnknown) tombstones++;
        assertThat(objects.remove(key)).as("onDelete of %s, which the handlers never had (heard: %s)", key, log).isNotNull();
        assertThat(informer.get(key)).as("the cache when onDelete(%s) runs", key).isEmpty();
    }
}
