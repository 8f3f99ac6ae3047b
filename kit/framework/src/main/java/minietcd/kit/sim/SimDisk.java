package minietcd.kit.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import minietcd.kit.node.Disk;

/**
 * A simulated disk. It keeps the durable content of each file and the writes made since the last
 * sync. On {@link #crash}, a random prefix of the unsynced writes survives (a real disk may have
 * written some of them), and when the first lost write is an append, a random prefix of its bytes
 * survives too: a torn tail.
 */
public final class SimDisk implements Disk {
    private record Write(String file, byte[] bytes, boolean replace) {}

    /** A growable byte array: appends cost what they write. */
    private static final class Bytes {
        byte[] buf = new byte[64];
        int len;

        void append(byte[] b, int n) {
            if (len + n > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
            System.arraycopy(b, 0, buf, len, n);
            len += n;
        }

        Bytes copy() {
            Bytes c = new Bytes();
            c.buf = Arrays.copyOf(buf, Math.max(len, 16));
            c.len = len;
            return c;
        }
    }

    private final Map<String, Bytes> durable = new TreeMap<>();
    private final Map<String, Bytes> current = new TreeMap<>();
    private final List<Write> pending = new ArrayList<>();
    private long bytesWritten;
    private long syncs;
    private long writesSynced;

    @Override
    public Optional<byte[]> read(String file) {
        Bytes b = current.get(file);
        return b == null ? Optional.empty() : Optional.of(Arrays.copyOf(b.buf, b.len));
    }

    @Override
    public void append(String file, byte[] bytes) {
        write(current, new Write(file, bytes.clone(), false), bytes.length);
    }

    @Override
    public void replace(String file, byte[] bytes) {
        write(current, new Write(file, bytes.clone(), true), bytes.length);
    }

    private void write(Map<String, Bytes> files, Write w, int n) {
        apply(files, w, n);
        pending.add(w);
        bytesWritten += n;
    }

    @Override
    public void sync() {
        if (pending.isEmpty()) return;
        for (Write w : pending) apply(durable, w, w.bytes.length);
        writesSynced += pending.size();
        pending.clear();
        syncs++;
    }

    @Override
    public boolean dirty() {
        return !pending.isEmpty();
    }

    /**
     * Loses what a crash loses: every unsynced write after a random prefix of them, with the first
     * lost append possibly torn. With {@code loseAll}, every unsynced write is lost. Returns what
     * was lost, in words, for the trace.
     */
    public String crash(RandomGenerator random, boolean loseAll) {
        int survive = loseAll || pending.isEmpty() ? 0 : random.nextInt(pending.size() + 1);
        for (int i = 0; i < survive; i++) apply(durable, pending.get(i), pending.get(i).bytes.length);
        String torn = "";
        if (!loseAll && survive < pending.size()) {
            Write first = pending.get(survive);
            if (!first.replace && first.bytes.length > 1) {
                int kept = random.nextInt(first.bytes.length);
                apply(durable, first, kept);
                if (kept > 0) torn = "; the first lost append to " + first.file + " left " + kept + " of its " + first.bytes.length + " bytes (a torn tail)";
            }
        }
        String lost = pending.size() == survive ? "lost nothing: every write was synced or survived"
                : "lost " + (pending.size() - survive) + " of " + pending.size() + " unsynced writes ("
                        + String.join(", ", pending.subList(survive, pending.size()).stream()
                                .map(w -> (w.replace ? "replace " : "append to ") + w.file + " " + w.bytes.length + " B").toList()) + ")" + torn;
        pending.clear();
        current.clear();
        durable.forEach((f, b) -> current.put(f, b.copy()));
        return lost;
    }

    /** A disk holding only what this one has synced: what a crash now would leave at worst. */
    public SimDisk durableCopy() {
        SimDisk copy = new SimDisk();
        durable.forEach((f, b) -> {
            copy.durable.put(f, b.copy());
            copy.current.put(f, b.copy());
        });
        return copy;
    }

    /** How many writes syncs have made durable so far. */
    public long writesSynced() {
        return writesSynced;
    }

    private static void apply(Map<String, Bytes> files, Write w, int n) {
        Bytes b = w.replace ? null : files.get(w.file);
        if (b == null) files.put(w.file, b = new Bytes());
        b.append(w.bytes, n);
    }

    /** Total bytes written, for statistics. */
    public long bytesWritten() {
        return bytesWritten;
    }

    /** Number of syncs that wrote something, for statistics. */
    public long syncs() {
        return syncs;
    }
}
