package minietcd.kit.grader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import minietcd.kit.testing.Lab;

/**
 * Whose classes each lab runs on: the learner's own for the labs in {@code mine}, the reference
 * classes for the others; a lab whose reference this edition does not ship runs on the learner's
 * classes too, and {@link #notes()} says so.
 */
public record LabChoice(Layout layout, Set<Lab> mine) {
    private static final String SKELETON_THROW = "throw new UnsupportedOperationException(\"TODO(lab ";

    public LabChoice {
        mine = mine.isEmpty() ? EnumSet.noneOf(Lab.class) : EnumSet.copyOf(mine);
    }

    /** Every lab on the reference classes where there are some. */
    public static LabChoice reference(Layout layout) {
        return new LabChoice(layout, Set.of());
    }

    /**
     * Parses a {@code --mine} value: lab names or numbers separated by commas ({@code 1,2},
     * {@code log,election}), or {@code all}; null or empty means none.
     */
    public static Set<Lab> parse(String labs) {
        Set<Lab> out = EnumSet.noneOf(Lab.class);
        if (labs == null || labs.isBlank()) return out;
        for (String name : labs.split(",")) {
            String n = name.strip();
            if (n.equalsIgnoreCase("all")) return EnumSet.allOf(Lab.class);
            out.add(Lab.byName(n).orElseThrow(() -> new IllegalArgumentException("no lab '" + n + "'; the labs are "
                    + String.join(", ", Stream.of(Lab.values()).map(l -> l.number + " (" + l.shortName + ")").toList()) + ", or all")));
        }
        return out;
    }

    /** Whether {@code lab} runs on the learner's classes. */
    public boolean isMine(Lab lab) {
        return mine.contains(lab) || layout.referenceClasses(lab).isEmpty();
    }

    /** The classes {@code lab} runs on. */
    public Path classes(Lab lab) {
        return isMine(lab) ? layout.labClasses(lab) : layout.referenceClasses(lab).orElseThrow();
    }

    /** The classes of every lab in {@code labs}, in order. */
    public List<Path> classes(List<Lab> labs) {
        return labs.stream().map(this::classes).toList();
    }

    /** What a learner should know about this choice for {@code labs}: those on their own classes without asking for it. */
    public List<String> notes(List<Lab> labs) {
        List<String> out = new ArrayList<>();
        for (Lab lab : labs)
            if (!mine.contains(lab) && layout.referenceClasses(lab).isEmpty())
                out.add("lab " + lab.number + " (" + lab.shortName + ") runs on your own classes: this edition ships no reference classes for it");
        return out;
    }

    /**
     * The labs among {@code labs} that run on the learner's classes and are not done yet, each with
     * the first place that still throws the skeleton's TODO; empty when every one is filled in.
     */
    public List<String> unfinished(List<Lab> labs) {
        return unfinished(labs, List.of());
    }

    /**
     * The same, counting only the TODOs of {@code parts} (all parts when empty): for a command that
     * uses only some parts of a lab (the API server needs lab 5's part A alone).
     */
    public List<String> unfinished(List<Lab> labs, List<String> parts) {
        List<String> out = new ArrayList<>();
        for (Lab lab : labs) {
            if (!isMine(lab)) continue;
            firstTodo(lab, parts).ifPresent(where -> out.add("lab " + lab.number + " (" + lab.shortName + ") is not done yet: " + where));
        }
        return out;
    }

    /**
     * What to do about the labs among {@code labs} that are not done yet: finish them, or, where this
     * edition ships their reference classes, leave them out of {@code --mine}.
     */
    public String advice(List<Lab> labs) {
        List<Lab> todo = labs.stream().filter(l -> isMine(l) && firstTodo(l).isPresent()).toList();
        List<Lab> noReference = todo.stream().filter(l -> layout.referenceClasses(l).isEmpty()).toList();
        List<Lab> swappable = todo.stream().filter(l -> !noReference.contains(l)).toList();
        List<String> out = new ArrayList<>();
        if (!noReference.isEmpty())
            out.add("this edition ships no reference classes for " + names(noReference) + ": finish " + (noReference.size() == 1 ? "it" : "them") + " first");
        if (!swappable.isEmpty())
            out.add("finish " + names(swappable) + ", or leave " + (swappable.size() == 1 ? "it" : "them") + " out of --mine to run the reference classes instead");
        return String.join("; ", out);
    }

    private static String names(List<Lab> labs) {
        return (labs.size() == 1 ? "lab " : "labs ") + String.join(", ", labs.stream().map(l -> String.valueOf(l.number)).toList());
    }

    private Optional<String> firstTodo(Lab lab) {
        return firstTodo(lab, List.of());
    }

    private Optional<String> firstTodo(Lab lab, List<String> parts) {
        Path sources = layout.labSources(lab);
        if (!Files.isDirectory(sources)) return Optional.of(layout.root().relativize(sources) + " is missing");
        try (Stream<Path> walk = Files.walk(sources)) {
            for (Path f : walk.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i).strip();
                    if (line.startsWith(SKELETON_THROW) && (parts.isEmpty() || parts.stream().anyMatch(x -> line.contains(" part " + x + ")"))))
                        return Optional.of(layout.root().relativize(f) + ":" + (i + 1) + " still throws "
                                + line.substring(line.indexOf("TODO("), line.indexOf(')', line.indexOf("TODO(")) + 1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Optional.empty();
    }
}
