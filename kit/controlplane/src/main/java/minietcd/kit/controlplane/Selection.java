package minietcd.kit.controlplane;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Which objects a list or watch is about: its label and field selectors (Kubernetes' SelectionPredicate). */
public record Selection(LabelSelector labels, FieldSelector fields) {
    public static final Selection EVERYTHING = new Selection(LabelSelector.EVERYTHING, FieldSelector.EVERYTHING);

    public boolean matches(ObjectNode object) {
        return labels.matches(ObjectJson.labels(object)) && fields.matches(object);
    }

    public boolean isEverything() {
        return labels.isEverything() && fields.isEverything();
    }

    /** Parses {@code ?labelSelector=} and {@code ?fieldSelector=} (either may be null). */
    public static Selection parse(String labelSelector, String fieldSelector, Resource resource) {
        return new Selection(LabelSelector.parse(labelSelector), FieldSelector.parse(fieldSelector, resource));
    }
}
