package minietcd.kit.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import minietcd.kit.raft.Entry;
import minietcd.kit.raft.HardState;
import minietcd.kit.raft.RaftStorage;
import minietcd.kit.raft.WalStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The member's real disk under the write-ahead log: preallocation, reopening, torn ends and corruption. */
class FileDiskTest {
    @TempDir Path dir;

    private static void write(FileDisk disk, int entries) {
        write(disk, 1, entries);
    }

    private static void write(FileDisk disk, int from, int entries) {
        WalStorage wal = new WalStorage(disk);
        wal.load();
        wal.saveHardState(new HardState(3, 2));
        for (int i = from; i < from + entries; i++) wal.append(List.of(new Entry(i, 3, "command " + i)));
        wal.sync();
        disk.force();
    }

    @Test
    void appendsArePreallocatedAndAReopenedLogReadsBackEveryRecordAndDropsTheZeros() throws IOException {
        FileDisk disk = new FileDisk(dir);
        write(disk, 100);
        assertThat(Files.size(dir.resolve(WalStorage.FILE))).as("the file is preallocated").isGreaterThanOrEqualTo(FileDisk.PREALLOCATE);
        disk.close(); // as a SIGKILL leaves it: no truncation

        FileDisk again = new FileDisk(dir);
        RaftStorage.Recovered r = new WalStorage(again).load();
        assertThat(r.entries()).hasSize(100);
        assertThat(r.hardState()).isEqualTo(new HardState(3, 2));
        write(again, 101, 5); // appends after the recovered records, not after the zeros
        again.close();
        assertThat(new WalStorage(new FileDisk(dir)).load().entries()).hasSize(105).last().isEqualTo(new Entry(105, 3, "command 105"));
    }

    @Test
    void aRecordTornByACrashBeforeThePreallocatedZerosIsDroppedAndTheRestKept() throws IOException {
        FileDisk disk = new FileDisk(dir);
        write(disk, 10);
        long end = endOfRecords(disk);
        disk.close();
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve(WalStorage.FILE).toFile(), "rw")) {
            f.seek(end);
            f.write(new byte[] {0, 0, 0, 40, 1, 2, 3, 4, 2, 9, 9}); // a header and the start of a body, then zeros
        }
        assertThat(new WalStorage(new FileDisk(dir)).load().entries()).hasSize(10);
    }

    @Test
    void aFlippedByteInTheMiddleIsRefusedNamingTheFileAndTheOffset() throws IOException {
        FileDisk disk = new FileDisk(dir);
        write(disk, 10);
        disk.close();
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve(WalStorage.FILE).toFile(), "rw")) {
            f.seek(60);
            int b = f.read();
            f.seek(60);
            f.write(b ^ 0x10);
        }
        assertThatThrownBy(() -> new WalStorage(new FileDisk(dir)).load())
                .hasMessageContaining("corrupt write-ahead log").hasMessageContaining(WalStorage.FILE).hasMessageContaining("offset");
    }

    private static long endOfRecords(FileDisk disk) {
        return disk.read(WalStorage.FILE).orElseThrow().length;
    }
}
