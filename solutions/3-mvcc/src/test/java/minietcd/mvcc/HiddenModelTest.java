package minietcd.mvcc;

import java.nio.file.Files;
import java.nio.file.Path;
import minietcd.kit.backend.H2Backend;
import minietcd.kit.backend.MemoryBackend;
import minietcd.kit.testing.Graded;
import minietcd.kit.testing.Seeds;
import minietcd.kit.harness.KvFuzz;
import minietcd.kit.harness.KvFuzz.Level;
import minietcd.kit.mvcc.Stores;

/** Lab 3, the instructor's tests: random request sequences, good and bad, checked against a plain model. */
class HiddenModelTest {
    private static void memory(Seeds seeds, int count, Level level) {
        seeds.run(count, run -> {
            MemoryBackend backend = new MemoryBackend();
            KvFuzz.run(run.seed(), 400, level, clock -> Stores.open(backend, clock), (old, clock) -> {
                backend.crash(); // a restart is a crash: what was not committed is gone, as from an H2 file
                return Stores.open(backend, clock);
            }, run.trace());
        });
    }

    @Graded(lab = 3, part = "A", points = 5, value = "random puts, deletes and ranges (with bad requests among them) answer as etcd's model does")
    void modelBasic(Seeds seeds) { memory(seeds, 200, Level.BASIC); }

    @Graded(lab = 3, part = "B", points = 5, value = "random txns, nested and failing ones too, answer as etcd's model does")
    void modelTxn(Seeds seeds) { memory(seeds, 200, Level.TXN); }

    @Graded(lab = 3, part = "C", points = 5, value = "random compactions and restarts from the backend keep every answer as the model's")
    void modelCompaction(Seeds seeds) { memory(seeds, 200, Level.COMPACTION); }

    @Graded(lab = 3, part = "D", points = 5, value = "random leases, keepalives, expiry and revokes keep every answer as the model's")
    void modelLeases(Seeds seeds) { memory(seeds, 200, Level.LEASES); }

    @Graded(lab = 3, part = "C", points = 5, value = "on the H2 backend, restarts rebuild exactly the store the model expects")
    void modelOnH2(Seeds seeds) {
        seeds.runAtMost(10, 200, run -> { // about 0.4 s a seed: every commit is an fsync
            Path dir = Files.createTempDirectory("mvcc-h2-");
            KvFuzz.run(run.seed(), 200, Level.LEASES, clock -> Stores.open(H2Backend.open(dir), clock), (old, clock) -> {
                old.close();
                return Stores.open(H2Backend.open(dir), clock);
            }, run.trace());
        });
    }
}
