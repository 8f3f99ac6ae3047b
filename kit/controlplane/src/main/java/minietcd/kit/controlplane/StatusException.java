package minietcd.kit.controlplane;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import minietcd.kit.mvcc.EtcdException;

/**
 * A failure as the Kubernetes API reports it: an HTTP code, a reason ({@code NotFound},
 * {@code AlreadyExists}, {@code Conflict}, {@code Expired}, ...) and Kubernetes' message, word for
 * word, so that kubectl and client code read it as they read the real API server's. The factories
 * name the cases the kit uses; {@link #status()} is the {@code Status} object sent to clients.
 */
public final class StatusException extends RuntimeException {
    /** The message of a list or watch whose resourceVersion was compacted away. */
    public static final String LIST_EXPIRED = "The resourceVersion for the provided list is too old.";
    public static final String WATCH_EXPIRED = "The resourceVersion for the provided watch is too old.";
    public static final String CONTINUE_EXPIRED = "The provided continue parameter is too old to display a consistent list result. "
            + "You can start a new list without the continue parameter.";

    private final int code;
    private final String reason;
    /** The object's name and resource, for the Status's details; null when there is none. */
    private final String name;
    private final Resource resource;

    public StatusException(int code, String reason, String message, Resource resource, String name) {
        super(message);
        this.code = code;
        this.reason = reason;
        this.resource = resource;
        this.name = name;
    }

    public int code() { return code; }
    public String reason() { return reason; }

    public static StatusException notFound(Resource r, String name) {
        return new StatusException(404, "NotFound", r.qualifiedName() + " \"" + name + "\" not found", r, name);
    }

    public static StatusException alreadyExists(Resource r, String name) {
        return new StatusException(409, "AlreadyExists", r.qualifiedName() + " \"" + name + "\" already exists", r, name);
    }

    /** An update or delete that lost a race or whose precondition failed, {@code why} saying which. */
    public static StatusException conflict(Resource r, String name, String why) {
        return new StatusException(409, "Conflict", "Operation cannot be fulfilled on " + r.qualifiedName() + " \"" + name + "\": " + why, r, name);
    }

    /** The conflict of an update carrying a resourceVersion that is no longer the object's. */
    public static StatusException staleUpdate(Resource r, String name) {
        return conflict(r, name, "the object has been modified; please apply your changes to the latest version and try again");
    }

    /** 410: what a client asked for was compacted away; it must list again. */
    public static StatusException expired(String message) {
        return new StatusException(410, "Expired", message, null, null);
    }

    public static StatusException badRequest(String message) {
        return new StatusException(400, "BadRequest", message, null, null);
    }

    public static StatusException invalid(Resource r, String name, String message) {
        return new StatusException(422, "Invalid", r.kind() + " \"" + name + "\" is invalid: " + message, r, name);
    }

    /** 504: a read at a resourceVersion the store has not reached. */
    public static StatusException tooLargeResourceVersion(long asked, long current) {
        return new StatusException(504, "Timeout", "Too large resource version: " + asked + ", current: " + current, null, null);
    }

    /** 403: a write made under a leader's {@link Fence} after its Lease changed hands (or by a component that does not lead). */
    public static StatusException fenced(String leaseKey, String why) {
        return new StatusException(403, "Forbidden", "the write was fenced off by the Lease " + leaseKey + ": " + why, null, null);
    }

    public static StatusException internal(String message) {
        return new StatusException(500, "InternalError", "Internal error occurred: " + message, null, null);
    }

    /**
     * What the storage layer makes of a failed call to etcd: a {@link StatusException} stays itself;
     * etcd's "required revision has been compacted" becomes 410 Expired with {@code compactedMessage};
     * a future revision 504; a deadline or an unreachable store 504 Timeout; anything else 500.
     * Unwraps the {@link CompletionException}s that futures wrap failures in.
     */
    public static StatusException fromStore(Throwable failure, String compactedMessage) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) t = t.getCause();
        if (t instanceof StatusException s) return s;
        if (t instanceof EtcdException e) {
            if (e.getMessage().equals(EtcdException.compacted().getMessage())) return expired(compactedMessage);
            if (e.getMessage().equals(EtcdException.futureRevision().getMessage())) return new StatusException(504, "Timeout", "Too large resource version", null, null);
            if (e.code() == EtcdException.DEADLINE_EXCEEDED || e.code() == EtcdException.UNAVAILABLE)
                return new StatusException(504, "Timeout", "The request did not complete in time: " + e.getMessage(), null, null);
            return internal(e.getMessage());
        }
        if (t instanceof java.io.IOException) return new StatusException(504, "Timeout", "The store did not answer: " + t.getMessage(), null, null);
        return internal(String.valueOf(t));
    }

    /** The {@code Status} object the API server sends for this failure. */
    public ObjectNode status() {
        ObjectNode s = ObjectJson.MAPPER.createObjectNode();
        s.put("kind", "Status").put("apiVersion", "v1");
        s.putObject("metadata");
        s.put("status", "Failure").put("message", getMessage()).put("reason", reason);
        if (name != null || resource != null) {
            ObjectNode d = s.putObject("details");
            if (name != null) d.put("name", name);
            if (resource != null) {
                if (!resource.group().isEmpty()) d.put("group", resource.group());
                d.put("kind", resource.plural());
            }
        }
        s.put("code", code);
        return s;
    }

    @Override
    public String toString() {
        return code + " " + reason + ": " + getMessage();
    }
}
