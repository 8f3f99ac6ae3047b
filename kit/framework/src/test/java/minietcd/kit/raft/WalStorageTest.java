package minietcd.kit.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import minietcd.kit.sim.SimDisk;
import org.junit.jupiter.api.Test;

class WalStorageTest {
    private static List<Entry> entries(long from, long term, int n) {
        return java.util.stream.LongStream.range(from, from + n).mapToObj(i -> new Entry(i, term, "c" + i)).toList();
    }

    @Test
    void replaysHardStateEntriesAndTruncations() {
        SimDisk disk = new SimDisk();
        WalStorage wal = new WalStorage(disk);
        wal.load();
        wal.saveHardState(new HardState(2, 3));
        wal.append(entries(1, 1, 5));
        wal.append(entries(4, 2, 3)); // replaces 4 and 5, adds 6
        wal.sync();
        RaftStorage.Recovered r = new WalStorage(disk).load();
        assertThat(r.hardState()).isEqualTo(new HardState(2, 3));
        assertThat(r.entries()).extracting(Entry::term).containsExactly(1L, 1L, 1L, 2L, 2L, 2L);
    }

    @Test
    void refusesGapsAndRewritesOfTheSnapshot() {
        WalStorage wal = new WalStorage(new SimDisk());
        wal.load();
        wal.append(entries(1, 1, 3));
        assertThatThrownBy(() -> wal.append(entries(5, 1, 1))).hasMessageContaining("gap");
        wal.saveSnapshot(new Snapshot(2, 1, "s"));
        assertThatThrownBy(() -> wal.append(entries(2, 2, 1))).hasMessageContaining("snapshot");
    }

    @Test
    void aTornTailIsDroppedAndLaterAppendsFollowAWholeRecord() {
        for (int seed = 0; seed < 100; seed++) {
            SimDisk disk = new SimDisk();
            WalStorage wal = new WalStorage(disk);
            wal.load();
            wal.append(entries(1, 1, 3));
            wal.sync();
            wal.append(entries(4, 1, 3));
            disk.crash(new SplittableRandom(seed), false);
            WalStorage again = new WalStorage(disk);
            List<Entry> kept = again.load().entries();
            assertThat(kept.size()).isBetween(3, 6);
            again.append(entries(kept.size() + 1, 2, 1));
            again.sync();
            assertThat(new WalStorage(disk).load().entries()).hasSize(kept.size() + 1);
        }
    }

    @Test
    void corruptionInTheMiddleIsRefusedWithFileAndOffset() {
        SimDisk disk = new SimDisk();
        WalStorage wal = new WalStorage(disk);
        wal.load();
        wal.append(entries(1, 1, 3));
        wal.sync();
        byte[] bytes = disk.read(WalStorage.FILE).orElseThrow();
        bytes[bytes.length / 3 + 10] ^= 0x40;
        disk.replace(WalStorage.FILE, bytes);
        disk.sync();
        assertThatThrownBy(() -> new WalStorage(disk).load())
                .hasMessageContaining(WalStorage.FILE).hasMessageContaining("offset").hasMessageContaining("checksum");
    }

    @Test
    void aSnapshotKeepsTheFileBounded() {
        SimDisk disk = new SimDisk();
        WalStorage wal = new WalStorage(disk);
        wal.load();
        for (int round = 0; round < 20; round++) {
            wal.append(entries(round * 100L + 1, 1, 100));
            wal.saveSnapshot(new Snapshot(round * 100L + 90, 1, "state"));
            wal.sync();
        }
        assertThat(disk.read(WalStorage.FILE).orElseThrow().length).as("bytes after 2,000 entries, snapshot every 100").isLessThan(1_000);
        RaftStorage.Recovered r = new WalStorage(disk).load();
        assertThat(r.snapshot().index()).isEqualTo(1990);
        assertThat(r.entries()).hasSize(10);
    }
}
