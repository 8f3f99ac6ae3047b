package minietcd.tutorial;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * The live demos of one tutorial process, each owned by the browser that made it (its cookie): at
 * most {@value #PER_CLIENT} per browser (its oldest goes when it makes one more) and {@value #IN_ALL}
 * in all, where the one used least recently goes: demos being played are used many times a second, so
 * a client making demo after demo (with no cookie, each is a new browser) only pushes out idle ones.
 * A demo is used by one request at a time: {@link #with} holds its lock.
 */
final class Demos {
    static final int PER_CLIENT = 4;
    static final int IN_ALL = 200;

    private record Owned(String client, Demo demo) {}

    /** In the order of last use, least recent first. */
    private final Map<String, Owned> demos = new LinkedHashMap<>(16, 0.75f, true);

    /** Keeps {@code demo} for {@code client}; returns its id. */
    synchronized String add(String client, Demo demo) {
        List<String> mine = new ArrayList<>();
        demos.forEach((id, o) -> { if (o.client.equals(client)) mine.add(id); });
        if (mine.size() >= PER_CLIENT) demos.remove(mine.get(0));
        if (demos.size() >= IN_ALL) demos.remove(demos.keySet().iterator().next());
        String id = UUID.randomUUID().toString();
        demos.put(id, new Owned(client, demo));
        return id;
    }

    /** Runs {@code use} on the demo with this id, alone; empty if there is none. */
    <T> Optional<T> with(String id, Function<Demo, T> use) {
        Owned o;
        synchronized (this) {
            o = demos.get(id); // a use: it moves to the most recently used end
        }
        if (o == null) return Optional.empty();
        synchronized (o.demo) {
            return Optional.of(use.apply(o.demo));
        }
    }
}
