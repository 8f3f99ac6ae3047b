package minietcd.tutorial;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The failing tests' traces, as the self-checks write them ({@code traces/TEST-seedN.jsonl}: one
 * simulation event a line, the broken rule last as a {@code failure} event), for the trace viewer.
 * Only plain file names in the one folder are served: nothing else on the disk can be asked for.
 */
final class Traces {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,200}\\.jsonl");
    /** The most events one trace may have to be drawn; a longer one is cut, and said so. */
    static final int MAX_EVENTS = 20_000;

    private final Path dir;

    Traces(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    /** A trace in the folder: its file name, how many events it has and, when it failed, the broken rule. */
    record Summary(String name, long events, String failure) {}

    /** The folder's traces, newest first; none when the folder does not exist. */
    List<Summary> list() {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> all = files.filter(p -> NAME.matcher(p.getFileName().toString()).matches())
                    .sorted(java.util.Comparator.comparing(Traces::modified).reversed().thenComparing(Path::getFileName)).toList();
            List<Summary> out = new ArrayList<>();
            for (Path p : all) {
                List<String> lines = lines(p);
                long events = lines.stream().map(Traces::parse).filter(Traces::isEvent).count();
                String failure = "";
                if (!lines.isEmpty()) {
                    JsonNode last = parse(lines.get(lines.size() - 1));
                    if (isEvent(last) && "failure".equals(last.path("kind").asText())) failure = last.path("detail").asText().lines().findFirst().orElse("");
                }
                out.add(new Summary(p.getFileName().toString(), events, failure));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /**
     * One trace's events as JSON ({@code {"name", "events": [...], "cut": false, "skipped": 0}}), or
     * empty when there is no such trace. A line that is not an event is skipped and counted; a name
     * that is not a plain trace file name is refused.
     */
    Optional<ObjectNode> read(String name, ObjectMapper json) {
        if (!NAME.matcher(name).matches())
            throw new IllegalArgumentException("not a trace's name: " + name + " (a file name ending in .jsonl, as in traces/)");
        Path p = dir.resolve(name);
        if (!Files.isRegularFile(p)) return Optional.empty();
        List<String> lines = lines(p);
        ObjectNode out = json.createObjectNode().put("name", name);
        ArrayNode events = out.putArray("events");
        int kept = 0, skipped = 0;
        for (String line : lines) {
            JsonNode e = parse(line);
            if (!isEvent(e)) {
                skipped++;
                continue;
            }
            if (kept++ == MAX_EVENTS) break;
            events.add(e);
        }
        // the failure is the last line: keep it even when the trace is cut
        JsonNode last = lines.isEmpty() ? null : parse(lines.get(lines.size() - 1));
        boolean cut = kept > MAX_EVENTS;
        if (cut && last != null && "failure".equals(last.path("kind").asText())) events.add(last);
        out.put("cut", cut).put("skipped", skipped);
        return Optional.of(out);
    }

    private static List<String> lines(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p, e);
        }
    }

    private static final ObjectMapper PARSER = new ObjectMapper();

    private static JsonNode parse(String line) {
        try {
            return line.isBlank() ? null : PARSER.readTree(line);
        } catch (IOException e) {
            return null;
        }
    }

    /** A line of a trace: an object with a kind (anything else in the file is skipped, and counted). */
    private static boolean isEvent(JsonNode e) {
        return e != null && e.isObject() && e.has("kind");
    }

    private static java.nio.file.attribute.FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return java.nio.file.attribute.FileTime.fromMillis(0);
        }
    }
}
