package minietcd.kit.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import minietcd.kit.controlplane.ObjectJson;
import minietcd.kit.controlplane.Resource;

/**
 * Server-side printing: objects as a {@code meta.k8s.io/v1} {@code Table}, the columns
 * {@code kubectl get} shows for each resource (the wide ones at priority 1, for {@code -o wide}).
 */
final class Tables {
    private record Column(String name, String type, int priority) {}

    private Tables() {}

    /** Whether a request's Accept header asks for a Table. */
    static boolean wanted(String accept) {
        return accept != null && accept.contains("as=Table");
    }

    static ObjectNode table(Resource r, List<ObjectNode> objects, String resourceVersion, String continueToken, Instant now) {
        ObjectNode t = ObjectJson.MAPPER.createObjectNode().put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
        ObjectNode meta = t.putObject("metadata").put("resourceVersion", resourceVersion);
        if (continueToken != null && !continueToken.isEmpty()) meta.put("continue", continueToken);
        ArrayNode defs = t.putArray("columnDefinitions");
        for (Column c : columns(r)) {
            ObjectNode d = defs.addObject().put("name", c.name).put("type", c.type).put("format", c.name.equals("Name") ? "name" : "")
                    .put("description", c.name).put("priority", c.priority);
            if (c.name.equals("Name")) d.put("description", "Name must be unique within a namespace.");
        }
        ArrayNode rows = t.putArray("rows");
        for (ObjectNode o : objects) {
            ObjectNode row = rows.addObject();
            ArrayNode cells = row.putArray("cells");
            for (Object cell : cells(r, o, now)) {
                if (cell instanceof Integer i) cells.add(i);
                else if (cell instanceof Long l) cells.add(l);
                else cells.add(String.valueOf(cell));
            }
            ObjectNode partial = row.putObject("object").put("kind", "PartialObjectMetadata").put("apiVersion", "meta.k8s.io/v1");
            partial.set("metadata", ObjectJson.metadata(o).deepCopy());
        }
        return t;
    }

    private static List<Column> columns(Resource r) {
        if (r.equals(Resource.PODS)) return List.of(new Column("Name", "string", 0), new Column("Ready", "string", 0), new Column("Status", "string", 0),
                new Column("Restarts", "string", 0), new Column("Age", "string", 0), new Column("IP", "string", 1), new Column("Node", "string", 1));
        if (r.equals(Resource.NODES)) return List.of(new Column("Name", "string", 0), new Column("Status", "string", 0), new Column("Roles", "string", 0),
                new Column("Age", "string", 0), new Column("Version", "string", 0));
        if (r.equals(Resource.NAMESPACES)) return List.of(new Column("Name", "string", 0), new Column("Status", "string", 0), new Column("Age", "string", 0));
        if (r.equals(Resource.REPLICASETS)) return List.of(new Column("Name", "string", 0), new Column("Desired", "integer", 0), new Column("Current", "integer", 0),
                new Column("Ready", "integer", 0), new Column("Age", "string", 0), new Column("Selector", "string", 1));
        if (r.equals(Resource.LEASES)) return List.of(new Column("Name", "string", 0), new Column("Holder", "string", 0), new Column("Age", "string", 0));
        if (r.equals(Resource.EVENTS)) return List.of(new Column("Last Seen", "string", 0), new Column("Type", "string", 0), new Column("Reason", "string", 0),
                new Column("Object", "string", 0), new Column("Message", "string", 0));
        return List.of(new Column("Name", "string", 0), new Column("Age", "string", 0));
    }

    private static List<Object> cells(Resource r, ObjectNode o, Instant now) {
        String name = ObjectJson.name(o), age = age(ObjectJson.text(o, "metadata", "creationTimestamp"), now);
        if (r.equals(Resource.PODS)) {
            int containers = Math.max(1, o.path("spec").path("containers").size());
            int ready = 0, restarts = 0;
            for (JsonNode s : o.path("status").path("containerStatuses")) {
                if (s.path("ready").asBoolean()) ready++;
                restarts += s.path("restartCount").asInt();
            }
            String phase = ObjectJson.text(o, "status", "phase");
            String node = ObjectJson.text(o, "spec", "nodeName"), ip = ObjectJson.text(o, "status", "podIP");
            return List.of(name, ready + "/" + containers, phase.isEmpty() ? "Pending" : phase, Integer.toString(restarts), age,
                    ip.isEmpty() ? "<none>" : ip, node.isEmpty() ? "<none>" : node);
        }
        if (r.equals(Resource.NODES)) {
            String ready = "Unknown";
            for (JsonNode c : o.path("status").path("conditions"))
                if (c.path("type").asText().equals("Ready")) ready = c.path("status").asText().equals("True") ? "Ready" : "NotReady";
            return List.of(name, ready, "<none>", age, ObjectJson.text(o, "status", "nodeInfo", "kubeletVersion"));
        }
        if (r.equals(Resource.NAMESPACES)) {
            String phase = ObjectJson.text(o, "status", "phase");
            return List.of(name, phase.isEmpty() ? "Active" : phase, age);
        }
        if (r.equals(Resource.REPLICASETS)) {
            List<String> selector = new ArrayList<>();
            for (Map.Entry<String, JsonNode> e : iterable(o.path("spec").path("selector").path("matchLabels"))) selector.add(e.getKey() + "=" + e.getValue().asText());
            return List.of(name, o.path("spec").path("replicas").asInt(1), o.path("status").path("replicas").asInt(0),
                    o.path("status").path("readyReplicas").asInt(0), age, String.join(",", selector));
        }
        if (r.equals(Resource.LEASES)) {
            String holder = ObjectJson.text(o, "spec", "holderIdentity");
            return List.of(name, holder.isEmpty() ? "<none>" : holder, age);
        }
        if (r.equals(Resource.EVENTS)) {
            String involved = ObjectJson.text(o, "involvedObject", "kind").toLowerCase() + "/" + ObjectJson.text(o, "involvedObject", "name");
            return List.of(age(ObjectJson.text(o, "lastTimestamp"), now), ObjectJson.text(o, "type"), ObjectJson.text(o, "reason"), involved, ObjectJson.text(o, "message"));
        }
        return List.of(name, age);
    }

    private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode n) {
        return n::fields;
    }

    /** kubectl's short age: 42s, 5m3s, 7m, 3h12m, 2d4h, 15d. */
    static String age(String timestamp, Instant now) {
        if (timestamp.isEmpty()) return "<unknown>";
        Duration d;
        try {
            d = Duration.between(Instant.parse(timestamp), now);
        } catch (DateTimeParseException e) {
            return "<invalid>";
        }
        long s = Math.max(0, d.getSeconds());
        if (s < 120) return s + "s";
        long m = s / 60;
        if (m < 10) return m + "m" + (s % 60 == 0 ? "" : (s % 60) + "s");
        if (m < 180) return m + "m";
        long h = m / 60;
        if (h < 48) return h + "h" + (m % 60 == 0 ? "" : (m % 60) + "m");
        long days = h / 24;
        return days < 8 ? days + "d" + (h % 24 == 0 ? "" : (h % 24) + "h") : days + "d";
    }
}
