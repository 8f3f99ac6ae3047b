package minietcd.kit.harness;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import minietcd.kit.raft.Entry;
import minietcd.kit.raft.StateMachine;

/** The simplest state machine: the list of commands applied, no-ops left out. Its snapshot is that list as JSON. */
public final class CommandLog implements StateMachine {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<String> commands = new ArrayList<>();

    @Override
    public void apply(Entry entry) {
        if (!entry.command().isEmpty()) commands.add(entry.command());
    }

    @Override
    public String snapshot() {
        try {
            return JSON.writeValueAsString(commands);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void restore(String data) {
        commands.clear();
        if (data.isEmpty()) return;
        try {
            commands.addAll(JSON.readValue(data, new TypeReference<List<String>>() {}));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a CommandLog snapshot: " + data, e);
        }
    }

    public List<String> commands() {
        return List.copyOf(commands);
    }
}
