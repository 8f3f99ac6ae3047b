package minietcd.kit.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The record of a simulation, kept only when asked for: the same seed replays the same run, so a
 * failing run is replayed with tracing on to write its trace. Written as JSON lines.
 */
public final class Trace {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<TraceEvent> events;

    private Trace(List<TraceEvent> events) {
        this.events = events;
    }

    /** A trace that records everything. */
    public static Trace recording() {
        return new Trace(new ArrayList<>());
    }

    /** A trace that records nothing, for speed. */
    public static Trace off() {
        return new Trace(null);
    }

    public boolean enabled() {
        return events != null;
    }

    public void add(long time, String kind, int node, int peer, Object detail) {
        if (events != null) events.add(new TraceEvent(time, kind, node, peer, String.valueOf(detail)));
    }

    /** How many events are recorded so far: a place to {@link #insert} at later. */
    public int size() {
        return events == null ? 0 : events.size();
    }

    /** Records an event at {@code position}, before the events recorded since {@link #size} was that. */
    public void insert(int position, long time, String kind, int node, int peer, Object detail) {
        if (events != null) events.add(position, new TraceEvent(time, kind, node, peer, String.valueOf(detail)));
    }

    public List<TraceEvent> events() {
        return events == null ? List.of() : List.copyOf(events);
    }

    /** The trace as JSON lines, one event a line. */
    public String toJsonLines() {
        StringBuilder out = new StringBuilder();
        try {
            for (TraceEvent e : events()) out.append(JSON.writeValueAsString(e)).append('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    public void writeTo(Path file) {
        try {
            if (file.getParent() != null) Files.createDirectories(file.getParent());
            Files.writeString(file, toJsonLines());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
