package minietcd.kit.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a member has run in its cluster before, kept beside the members' directories (in
 * {@code dataDir/member-n.joined}) so that it outlives the loss of the member's own directory. A
 * member that has run before and finds its log gone must not start empty: its votes and its log are
 * what Raft's safety rests on (a second vote in a term it already voted in, or a majority counted
 * with entries it no longer holds, could undo what the cluster acknowledged), and an empty member
 * would also serve an empty store to serializable reads as if healthy. It refuses to start instead,
 * saying how to recover.
 */
final class MemberHistory {
    private MemberHistory() {}

    static Path marker(ClusterSpec spec, int n) {
        return spec.dataDir().resolve("member-" + n + ".joined");
    }

    /** Before member {@code n} opens its files: refuses a member that lost them, and notes one that has them. */
    static void check(ClusterSpec spec, int n) {
        Path log = spec.memberDir(n).resolve("raft"), marker = marker(spec, n);
        boolean hasLog = hasFiles(log);
        if (!hasLog && Files.exists(marker))
            throw new IllegalStateException("member " + n + " has run in this cluster before (" + marker + "), but its log in " + log
                    + " is gone: it lost its data. Starting it empty could undo what the cluster acknowledged, so it will not start. Put its files back,"
                    + " or start the whole cluster anew (./jbang cluster --fresh deletes every member's data).");
        if (hasLog) note(marker, n);
    }

    /** While member {@code n} runs: once its log has files, notes it (so that losing them is noticed) and returns true. */
    static boolean started(ClusterSpec spec, int n) {
        if (!hasFiles(spec.memberDir(n).resolve("raft"))) return false;
        note(marker(spec, n), n);
        return true;
    }

    private static boolean hasFiles(Path dir) {
        if (!Files.isDirectory(dir)) return false;
        try (var files = Files.list(dir)) {
            return files.findAny().isPresent();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir, e);
        }
    }

    private static void note(Path marker, int n) {
        try {
            if (!Files.exists(marker)) Files.writeString(marker, "member " + n + " of this cluster has run with its own files\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + marker, e);
        }
    }
}
