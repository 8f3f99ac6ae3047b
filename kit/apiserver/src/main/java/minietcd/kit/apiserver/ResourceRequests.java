package minietcd.kit.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import minietcd.kit.controlplane.Fence;
import minietcd.kit.controlplane.ListOptions;
import minietcd.kit.controlplane.ObjectJson;
import minietcd.kit.controlplane.ObjectStore;
import minietcd.kit.controlplane.Preconditions;
import minietcd.kit.controlplane.Selection;
import minietcd.kit.controlplane.StatusException;
import minietcd.kit.controlplane.WatchOptions;

/**
 * The Kubernetes API's requests on resources (all but discovery), answered through the
 * {@link Registry} without waiting: a method, a path, its query, a body and the fence header in; a
 * status code and a JSON object out, later. {@link ApiServer} serves them over HTTP and
 * {@link SimApiServer} in the simulator, so the two are one API server.
 */
final class ResourceRequests {
    /**
     * A request's answer: its HTTP status code and body, and the revision at which it wrote to the
     * store (0 if it wrote nothing: a read, or a PUT that changed nothing; a PATCH counts as written).
     */
    record Answer(int code, ObjectNode body, long wrote) {
        static Answer read(ObjectNode body) {
            return new Answer(200, body, 0);
        }

        /** A write's answer: {@code object} as the write left it, its resourceVersion the write's revision. */
        static Answer wrote(int code, ObjectNode body, ObjectNode object) {
            return new Answer(code, body, Long.parseLong(ObjectJson.resourceVersion(object).isEmpty() ? "0" : ObjectJson.resourceVersion(object)));
        }
    }

    private final Registry registry;
    private final boolean fences;

    /** @param fences whether a write's {@link Fence#HEADER} is honoured (off: the header is ignored, for a storage layer without part D) */
    ResourceRequests(Registry registry, boolean fences) {
        this.registry = registry;
        this.fences = fences;
    }

    Registry registry() {
        return registry;
    }

    /**
     * Answers a request other than a watch. {@code body}: the object for POST and PUT, the patch for
     * PATCH, the DeleteOptions (or null) for DELETE, null for GET; {@code fence}: the header's
     * value, or null.
     */
    CompletableFuture<Answer> serve(String method, ApiPath p, Map<String, String> query, String contentType, JsonNode body, String fence) {
        try {
            Registry r = fence == null || !fences || method.equals("GET") ? registry : registry.fenced(Fence.fromHeader(fence));
            return switch (method) {
                case "GET" -> (p.isCollection() ? r.list(p, listOptions(p, query)) : r.get(p, query.getOrDefault("resourceVersion", ""))).thenApply(Answer::read);
                case "POST" -> {
                    if (p.isCollection()) yield r.create(p, object(body)).thenApply(o -> Answer.wrote(201, o, o));
                    if (p.subresource().equals("binding")) yield r.bind(p, object(body)).thenApply(pod -> Answer.wrote(201, Registry.bound(), pod));
                    throw notAllowed(p);
                }
                case "PUT" -> {
                    if (p.isCollection()) throw notAllowed(p);
                    String sent = ObjectJson.resourceVersion(object(body));
                    yield r.update(p, object(body)).thenApply(o -> ObjectJson.resourceVersion(o).equals(sent) ? new Answer(200, o, 0) : Answer.wrote(200, o, o));
                }
                case "PATCH" -> {
                    if (p.isCollection()) throw notAllowed(p);
                    yield r.patch(p, contentType, body).thenApply(o -> Answer.wrote(200, o, o));
                }
                case "DELETE" -> {
                    if (p.isCollection() || !p.subresource().isEmpty()) throw notAllowed(p);
                    JsonNode options = body == null ? ObjectJson.MAPPER.createObjectNode() : body;
                    Preconditions pre = new Preconditions(options.path("preconditions").path("uid").asText(""), options.path("preconditions").path("resourceVersion").asText(""));
                    yield r.delete(p, pre).thenApply(o -> Answer.wrote(200, o, o));
                }
                default -> throw notAllowed(p);
            };
        } catch (StatusException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** A watch ({@code ?watch=true}) on a collection, from the query's resourceVersion, selectors and bookmarks. */
    ObjectStore.Watch watch(ApiPath p, Map<String, String> query, ObjectStore.Listener listener) {
        WatchOptions options = new WatchOptions(query.getOrDefault("resourceVersion", ""), selection(p, query), isTrue(query.get("allowWatchBookmarks")));
        return registry.watch(p, options, listener);
    }

    static ListOptions listOptions(ApiPath p, Map<String, String> query) {
        long limit = parseLong(query.get("limit"), 0);
        if (limit < 0) throw StatusException.badRequest("limit must not be negative: " + limit);
        return new ListOptions(query.getOrDefault("resourceVersion", ""), limit, query.getOrDefault("continue", ""), selection(p, query));
    }

    static boolean isWatch(String method, ApiPath p, Map<String, String> query) {
        return method.equals("GET") && p.isCollection() && isTrue(query.get("watch"));
    }

    /** A URL's query ({@code a=1&b=x%20y}, without the '?'), decoded; the first value of a name counts. */
    static Map<String, String> query(String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) return q;
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            q.putIfAbsent(name, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return q;
    }

    static long parseLong(String s, long absent) {
        if (s == null || s.isBlank()) return absent;
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            throw StatusException.badRequest("not a number: " + s);
        }
    }

    private static Selection selection(ApiPath p, Map<String, String> query) {
        return Selection.parse(query.get("labelSelector"), query.get("fieldSelector"), p.resource());
    }

    private static boolean isTrue(String s) {
        return s != null && (s.equals("true") || s.equals("1"));
    }

    private static ObjectNode object(JsonNode body) {
        if (!(body instanceof ObjectNode o)) throw StatusException.badRequest("the body must be a JSON object");
        return o;
    }

    private static StatusException notAllowed(ApiPath p) {
        return new StatusException(405, "MethodNotAllowed", "the server does not allow this method on the requested resource", p.resource(), p.name());
    }
}
