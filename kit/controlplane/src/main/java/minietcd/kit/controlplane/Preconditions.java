package minietcd.kit.controlplane;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What an update or delete requires of the object as it is now (Kubernetes' storage Preconditions):
 * its uid and its resourceVersion, each "" when not required.
 */
public record Preconditions(String uid, String resourceVersion) {
    public static final Preconditions NONE = new Preconditions("", "");

    public Preconditions {
        uid = uid == null ? "" : uid;
        resourceVersion = resourceVersion == null ? "" : resourceVersion;
    }

    /**
     * Checks the object as it is now.
     *
     * @throws StatusException 409 Conflict saying which precondition failed
     */
    public void check(Resource resource, ObjectNode current) {
        String name = ObjectJson.name(current);
        if (!uid.isEmpty() && !uid.equals(ObjectJson.uid(current)))
            throw StatusException.conflict(resource, name, "Precondition failed: UID in precondition: " + uid + ", UID in object meta: " + ObjectJson.uid(current));
        if (!resourceVersion.isEmpty() && !resourceVersion.equals(ObjectJson.resourceVersion(current)))
            throw StatusException.conflict(resource, name, "Precondition failed: ResourceVersion in precondition: " + resourceVersion
                    + ", ResourceVersion in object meta: " + ObjectJson.resourceVersion(current));
    }
}
