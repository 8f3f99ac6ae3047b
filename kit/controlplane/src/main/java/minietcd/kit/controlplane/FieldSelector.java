package minietcd.kit.controlplane;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A field selector as {@code ?fieldSelector=} gives it: {@code field=value} (or {@code ==}) and
 * {@code field!=value} joined by commas, all of which must hold. The fields a resource can be
 * selected by are Kubernetes' own: {@code metadata.name} and {@code metadata.namespace} for every
 * resource, and for pods {@code spec.nodeName} and {@code status.phase} too. An absent field is "".
 */
public record FieldSelector(List<Term> terms) {
    public record Term(String field, boolean equals, String value) {}

    public static final FieldSelector EVERYTHING = new FieldSelector(List.of());

    public FieldSelector {
        terms = List.copyOf(terms);
    }

    public boolean matches(ObjectNode object) {
        for (Term t : terms) if (ObjectJson.text(object, t.field.split("\\.")).equals(t.value) != t.equals) return false;
        return true;
    }

    public boolean isEverything() {
        return terms.isEmpty();
    }

    /** The fields {@code resource}'s objects can be selected by. */
    public static Set<String> supported(Resource resource) {
        return resource.equals(Resource.PODS)
                ? Set.of("metadata.name", "metadata.namespace", "spec.nodeName", "status.phase")
                : Set.of("metadata.name", "metadata.namespace");
    }

    /**
     * Parses a selector for {@code resource}'s objects; null or blank is {@link #EVERYTHING}.
     *
     * @throws StatusException 400 for a term that cannot be read or a field that is not supported
     */
    public static FieldSelector parse(String text, Resource resource) {
        if (text == null || text.isBlank()) return EVERYTHING;
        List<Term> terms = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String p = part.strip();
            int ne = p.indexOf("!="), eq = p.indexOf('=');
            if (eq < 0) throw StatusException.badRequest("invalid selector: '" + text + "'; can't understand '" + p + "'");
            boolean equals = ne < 0;
            String field = (equals ? p.substring(0, eq) : p.substring(0, ne)).strip();
            String value = (equals ? p.substring(p.startsWith("==", eq) ? eq + 2 : eq + 1) : p.substring(ne + 2)).strip();
            if (!supported(resource).contains(field))
                throw StatusException.badRequest("field label not supported: " + field);
            terms.add(new Term(field, equals, value));
        }
        return new FieldSelector(terms);
    }
}
