package minietcd.kit.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import minietcd.kit.mvcc.Backend;
import minietcd.kit.mvcc.Revision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H2BackendTest extends BackendContractTest {
    @TempDir
    Path dir;

    @Override
    protected Backend newBackend() {
        return H2Backend.open(dir);
    }

    private void reopen() {
        backend.close();
        backend = H2Backend.open(dir);
    }

    @Test
    void committedWritesSurviveCloseAndReopen() {
        backend.put(change(1, 0, "a", "1"));
        backend.put(tombstone(2, 0, "a"));
        backend.putLease(7, 30);
        backend.putMeta("compacted", 1);
        backend.commit();

        reopen();

        assertThat(backend.history()).containsExactly(change(1, 0, "a", "1"), tombstone(2, 0, "a"));
        assertThat(backend.leases()).containsExactly(Map.entry(7L, 30L));
        assertThat(backend.meta("compacted", -1)).isEqualTo(1);
    }

    @Test
    void writesAfterTheLastCommitAreLostOnClose() {
        backend.put(change(1, 0, "a", "1"));
        backend.putLease(7, 30);
        backend.putMeta("compacted", 1);
        backend.commit();
        backend.put(change(2, 0, "b", "2"));
        backend.remove(new Revision(1, 0));
        backend.putLease(8, 60);
        backend.removeLease(7);
        backend.putMeta("compacted", 2);

        reopen();

        assertThat(backend.history()).containsExactly(change(1, 0, "a", "1"));
        assertThat(backend.leases()).containsExactly(Map.entry(7L, 30L));
        assertThat(backend.meta("compacted", -1)).isEqualTo(1);
    }

    /** Run in a child JVM: commits one change, writes another, and dies without closing. */
    static final class DieAfterCommit {
        public static void main(String[] args) {
            Backend b = H2Backend.open(Path.of(args[0]));
            b.put(change(1, 0, "kept", "1"));
            b.putMeta("compacted", 1);
            b.commit();
            b.put(change(2, 0, "lost", "2"));
            b.putMeta("compacted", 2);
            b.history();
            Runtime.getRuntime().halt(0);
        }
    }

    @Test
    void committedWritesSurviveTheProcessDying() throws Exception {
        backend.close();
        Path crashed = dir.resolve("crashed");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                DieAfterCommit.class.getName(), crashed.toString())
                .redirectErrorStream(true)
                .start();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child finished").isTrue();
        assertThat(child.exitValue()).as(new String(child.getInputStream().readAllBytes())).isZero();

        backend = H2Backend.open(crashed);

        assertThat(backend.history()).containsExactly(change(1, 0, "kept", "1"));
        assertThat(backend.meta("compacted", -1)).isEqualTo(1);
    }

    @Test
    void aFileWhereTheDirectoryShouldBeIsReportedByPath() throws IOException {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");

        assertThatThrownBy(() -> H2Backend.open(file))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(file.toString());
    }

    @Test
    void aFileThatIsNotADatabaseIsReportedByPath() throws IOException {
        Path other = dir.resolve("garbage");
        Files.createDirectories(other);
        Files.write(other.resolve("mvcc.mv.db"), new byte[8192]);

        assertThatThrownBy(() -> H2Backend.open(other))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(other.resolve("mvcc.mv.db").toString());
    }

    @Test
    void aDirectoryIsOpenInOneBackendAtATime() {
        backend.put(change(1, 0, "a", "1"));
        backend.commit();

        assertThatThrownBy(() -> H2Backend.open(dir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already open")
                .hasMessageContaining(dir.toString());

        reopen();
        assertThat(backend.history()).containsExactly(change(1, 0, "a", "1"));
    }
}
