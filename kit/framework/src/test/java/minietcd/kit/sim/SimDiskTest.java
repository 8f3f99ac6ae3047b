package minietcd.kit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SimDiskTest {
    @Test
    void syncedWritesSurviveAndUnsyncedOnesAreLost() {
        SimDisk disk = new SimDisk();
        disk.append("f", new byte[] {1, 2});
        disk.sync();
        disk.append("f", new byte[] {3});
        assertThat(disk.read("f")).hasValueSatisfying(b -> assertThat(b).containsExactly(1, 2, 3));
        assertThat(disk.dirty()).isTrue();
        assertThat(disk.crash(new SplittableRandom(1), true)).as("what the crash says it lost").isEqualTo("lost 1 of 1 unsynced writes (append to f 1 B)");
        assertThat(disk.read("f")).hasValueSatisfying(b -> assertThat(b).containsExactly(1, 2));
        assertThat(disk.dirty()).isFalse();
        assertThat(disk.crash(new SplittableRandom(1), true)).isEqualTo("lost nothing: every write was synced or survived");
        assertThat(disk.writesSynced()).isEqualTo(1);
    }

    @Test
    void aCrashMayKeepAPrefixOfUnsyncedWritesAndTearTheNext() {
        boolean torn = false, kept = false, lost = false;
        for (int seed = 0; seed < 200; seed++) {
            SimDisk disk = new SimDisk();
            disk.append("f", new byte[] {1});
            disk.sync();
            disk.append("f", new byte[] {2, 2, 2, 2});
            disk.append("f", new byte[] {3, 3, 3, 3});
            disk.crash(new SplittableRandom(seed), false);
            byte[] b = disk.read("f").orElseThrow();
            assertThat(b[0]).isEqualTo((byte) 1);
            for (int i = 1; i < b.length; i++) assertThat(b[i]).isEqualTo(i <= 4 ? (byte) 2 : (byte) 3);
            torn |= b.length % 4 != 1;
            kept |= b.length == 9;
            lost |= b.length == 1;
        }
        assertThat(torn).as("some crash tore a write").isTrue();
        assertThat(kept).as("some crash kept every write").isTrue();
        assertThat(lost).as("some crash lost every unsynced write").isTrue();
    }

    @Test
    void aReplaceIsAtomic() {
        for (int seed = 0; seed < 50; seed++) {
            SimDisk disk = new SimDisk();
            disk.append("f", new byte[] {1, 1});
            disk.sync();
            disk.replace("f", new byte[] {9, 9, 9});
            disk.crash(new SplittableRandom(seed), false);
            byte[] b = disk.read("f").orElseThrow();
            assertThat(b).satisfiesAnyOf(x -> assertThat(x).containsExactly(1, 1), x -> assertThat(x).containsExactly(9, 9, 9));
        }
    }
}
