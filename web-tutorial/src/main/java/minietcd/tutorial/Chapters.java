package minietcd.tutorial;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The tutorial's chapters: a title, the lab whose guide and self-check they lead to, and their text
 * (an HTML fragment in the jar, {@code tutorial/chapters/N.html}, written for this kit).
 */
final class Chapters {
    record Chapter(int number, String title, String lab, String selfCheck) {
        String path() {
            return "/chapters/" + number;
        }
    }

    static final List<Chapter> ALL = List.of(
            new Chapter(0, "etcd under Kubernetes", "", ""),
            new Chapter(1, "The log", "labs/1-log", "./jbang lab-log"),
            new Chapter(2, "Election", "labs/2-election", "./jbang lab-election"),
            new Chapter(3, "MVCC", "labs/3-mvcc", "./jbang lab-mvcc"),
            new Chapter(4, "Watch", "labs/4-watch", "./jbang lab-watch"),
            new Chapter(5, "The control plane", "labs/5-controlplane", "./jbang lab-controlplane"));

    private Chapters() {}

    static Optional<Chapter> find(String number) {
        return ALL.stream().filter(c -> Integer.toString(c.number()).equals(number)).findFirst();
    }

    /** The chapter's text, as the jar holds it. */
    static String text(Chapter c) {
        return resource("tutorial/chapters/" + c.number() + ".html");
    }

    private static final java.util.regex.Pattern STEP = java.util.regex.Pattern.compile("data-step=\"([a-z0-9-]+)\"");

    /** The chapter's "try this" steps, as its text names them ({@code data-step="..."}). */
    static java.util.Set<String> steps(Chapter c) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        java.util.regex.Matcher m = STEP.matcher(text(c));
        while (m.find()) out.add(m.group(1));
        return out;
    }

    static String resource(String name) {
        try (InputStream in = Chapters.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("the tutorial's jar has no " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
