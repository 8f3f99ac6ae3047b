package minietcd.kit.grader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Keeps the student edition in step with the reference solution: the solution's sources are the
 * one source of truth, and a lab's skeleton is made from them. In a solution source:
 * <ul>
 *   <li>the lines from {@code // BEGIN SOLUTION} to {@code // END SOLUTION} are left out of the skeleton;</li>
 *   <li>if the line just before {@code // BEGIN SOLUTION} is a {@code // TODO(lab N part X): ...} comment,
 *       the block becomes {@code throw new UnsupportedOperationException("TODO(lab N part X): ...")};</li>
 *   <li>a {@code // STUB: code} line inside a block is put in the skeleton as {@code code} instead.</li>
 * </ul>
 */
public final class Editions {
    private static final String BEGIN = "// BEGIN SOLUTION", END = "// END SOLUTION", STUB = "// STUB: ", TODO = "// TODO(";

    private Editions() {}

    /** The skeleton made from one solution source. */
    public static String skeleton(String solution, String fileName) {
        List<String> out = new ArrayList<>();
        String[] lines = solution.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (!line.strip().equals(BEGIN)) {
                if (line.strip().equals(END)) throw new IllegalArgumentException(fileName + ":" + (i + 1) + ": " + END + " without " + BEGIN);
                out.add(line);
                continue;
            }
            String indent = line.substring(0, line.indexOf(BEGIN));
            String before = out.isEmpty() ? "" : out.get(out.size() - 1).strip();
            List<String> stubs = new ArrayList<>();
            int j = i + 1;
            for (; j < lines.length && !lines[j].strip().equals(END); j++) {
                if (lines[j].strip().equals(BEGIN)) throw new IllegalArgumentException(fileName + ":" + (j + 1) + ": nested " + BEGIN);
                if (lines[j].strip().startsWith(STUB)) stubs.add(indent + lines[j].strip().substring(STUB.length()));
            }
            if (j == lines.length) throw new IllegalArgumentException(fileName + ":" + (i + 1) + ": " + BEGIN + " without " + END);
            if (!stubs.isEmpty()) out.addAll(stubs);
            else if (before.startsWith(TODO)) {
                String todo = before.substring(3).replace("\\", "\\\\").replace("\"", "\\\"");
                out.add(indent + "throw new UnsupportedOperationException(\"" + todo + "\");");
            }
            i = j;
        }
        return String.join("\n", out);
    }

    /** The skeleton files a lab should have: relative path to content. */
    public static Map<Path, String> skeletons(Path solutionSources) {
        Map<Path, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(solutionSources)) {
            for (Path p : walk.filter(f -> f.toString().endsWith(".java")).toList())
                files.put(solutionSources.relativize(p), skeleton(Files.readString(p), p.getFileName().toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /**
     * The files under {@code dir} that git says have changes not committed (edited, or new and not
     * ignored), as absolute paths; outside a git work tree, every file under {@code dir}, so that
     * nothing unknown is overwritten.
     */
    public static java.util.Set<Path> uncommitted(Path root, Path dir) throws IOException {
        java.util.Set<Path> out = new java.util.HashSet<>();
        try {
            Process p = new ProcessBuilder("git", "-C", root.toString(), "status", "--porcelain", "-z", "--untracked-files=all", "--", dir.toString()).start();
            String said = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (p.waitFor() == 0) {
                for (String entry : said.split("\0")) if (entry.length() > 3) out.add(root.resolve(entry.substring(3)).toAbsolutePath().normalize());
                return out;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (IOException e) {
            // no git: below
        }
        if (Files.isDirectory(dir)) try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile).forEach(f -> out.add(f.toAbsolutePath().normalize()));
        }
        return out;
    }

    /** Files under {@code labSources} that differ from what the solution makes, are missing, or are extra. Empty when in step. */
    public static List<String> differences(Path solutionSources, Path labSources) {
        Map<Path, String> expected = skeletons(solutionSources);
        List<String> diffs = new ArrayList<>();
        try {
            for (var e : expected.entrySet()) {
                Path f = labSources.resolve(e.getKey());
                if (!Files.exists(f)) diffs.add("missing " + f);
                else if (!Files.readString(f).equals(e.getValue())) diffs.add("out of date " + f);
            }
            if (Files.isDirectory(labSources)) try (Stream<Path> walk = Files.walk(labSources)) {
                walk.filter(f -> f.toString().endsWith(".java")).filter(f -> !expected.containsKey(labSources.relativize(f)))
                        .forEach(f -> diffs.add("not made from the solution " + f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return diffs;
    }

    /** Writes the skeletons into {@code labSources}; returns the files written. */
    public static List<Path> write(Path solutionSources, Path labSources) {
        return write(solutionSources, labSources, java.util.Set.of(), new ArrayList<>());
    }

    /**
     * Writes the skeletons into {@code labSources}, except over the files in {@code keep}, which
     * are added to {@code kept} if they differ; returns the files written.
     */
    public static List<Path> write(Path solutionSources, Path labSources, java.util.Set<Path> keep, List<Path> kept) {
        List<Path> written = new ArrayList<>();
        try {
            for (var e : skeletons(solutionSources).entrySet()) {
                Path f = labSources.resolve(e.getKey());
                Files.createDirectories(f.getParent());
                if (!Files.exists(f) || !Files.readString(f).equals(e.getValue())) {
                    if (keep.contains(f.toAbsolutePath().normalize())) {
                        kept.add(f);
                        continue;
                    }
                    Files.writeString(f, e.getValue());
                    written.add(f);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return written;
    }
}
