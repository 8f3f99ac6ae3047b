package minietcd.kit.cluster;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import minietcd.kit.node.Message;
import minietcd.kit.raft.RaftMessage;
import minietcd.kit.replica.StoreMessage;

/**
 * Messages between members as JSON, one per line: {@code ["AppendEntries", {...the record's fields...}]}.
 * Every record of {@link RaftMessage} and {@link StoreMessage} can travel; anything else is refused.
 */
final class PeerCodec {
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    private static final Map<String, Class<?>> TYPES = new HashMap<>();

    static {
        for (Class<?> sealed : List.of(RaftMessage.class, StoreMessage.class))
            for (Class<?> c : sealed.getPermittedSubclasses()) TYPES.put(c.getSimpleName(), c);
    }

    private PeerCodec() {}

    static String encode(Message m) {
        String type = m.getClass().getSimpleName();
        if (TYPES.get(type) != m.getClass()) throw new IllegalArgumentException("not a peer message: " + m.getClass().getName());
        try {
            return "[\"" + type + "\"," + JSON.writeValueAsString(m) + "]";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Decodes a batch of lines. */
    static List<Message> decode(String lines) {
        List<Message> out = new ArrayList<>();
        for (String line : lines.split("\n")) {
            if (line.isBlank()) continue;
            try {
                JsonNode n = JSON.readTree(line);
                Class<?> type = TYPES.get(n.path(0).asText());
                if (type == null || !n.path(1).isObject()) throw new IllegalArgumentException("not a peer message: " + line.substring(0, Math.min(80, line.length())));
                out.add((Message) JSON.treeToValue(n.get(1), type));
            } catch (IOException e) {
                throw new IllegalArgumentException("not a peer message: " + e.getMessage(), e);
            }
        }
        return out;
    }
}
