package minietcd.kit.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import minietcd.kit.node.Disk;

/**
 * A {@link Disk} of real files in one directory, for a member running as a process.
 *
 * <p>Group commit: {@link #sync()} does not force the files at once; it notes that they must be forced,
 * and the member's event loop calls {@link #force()} once at the end of each batch of events, before
 * anything the batch produced (a message to a peer, an answer to a client) leaves the process. So the
 * node's rule, nothing goes out before what it depends on is durable, holds, and every write of a
 * batch shares one fsync. {@link #replace} is durable when it returns (write aside, force, rename,
 * force the directory): it is rare (a torn tail cut off, a snapshot written).
 *
 * <p>Appended files are preallocated: zeros are written ahead, {@value #PREALLOCATE} bytes at a time,
 * and forced once, so that forcing an append changes no file size and costs one data write instead of
 * a file system journal commit (etcd preallocates its log segments for the same reason). A reader of
 * such a file after a crash finds zeros after the last record; {@link minietcd.kit.raft.WalStorage}
 * takes them for the unwritten end.
 *
 * <p>Used by one thread at a time.
 */
public final class FileDisk implements Disk, AutoCloseable {
    static final int PREALLOCATE = 8 << 20;
    private static final byte[] ZEROS = new byte[1 << 20];

    private final Path dir;
    /** For each file open for appending: where the next append goes, and how far the file is allocated. */
    private final Map<String, long[]> extent = new HashMap<>();
    private final Map<String, FileChannel> appending = new HashMap<>();
    private final Set<String> unforced = new HashSet<>();
    private boolean dirty;
    private boolean forceRequested;

    public FileDisk(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + dir, e);
        }
    }

    @Override
    public Optional<byte[]> read(String file) {
        Path p = dir.resolve(file);
        try {
            if (!Files.exists(p)) return Optional.empty();
            byte[] all = Files.readAllBytes(p);
            long[] e = extent.get(file); // this incarnation's appends end here; the rest is preallocated
            return Optional.of(e == null ? all : java.util.Arrays.copyOf(all, (int) e[0]));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p, e);
        }
    }

    @Override
    public void append(String file, byte[] bytes) {
        try {
            FileChannel c = appending.get(file);
            if (c == null) {
                c = FileChannel.open(dir.resolve(file), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                appending.put(file, c);
                extent.put(file, new long[] {c.size(), c.size()});
            }
            long[] e = extent.get(file);
            if (e[0] + bytes.length > e[1]) e[1] = preallocate(c, e[1], Math.max(e[0] + bytes.length, e[1] + PREALLOCATE));
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) e[0] += c.write(b, e[0]);
            unforced.add(file);
            dirty = true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + dir.resolve(file), e);
        }
    }

    @Override
    public void replace(String file, byte[] bytes) {
        Path target = dir.resolve(file), aside = dir.resolve(file + ".new");
        try {
            FileChannel open = appending.remove(file);
            if (open != null) open.close();
            extent.remove(file);
            unforced.remove(file);
            try (FileChannel c = FileChannel.open(aside, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) c.write(b);
                c.force(true);
            }
            Files.move(aside, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            forceDirectory();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot replace " + target, e);
        }
    }

    @Override
    public void sync() {
        dirty = false;
        forceRequested = true;
    }

    @Override
    public boolean dirty() {
        return dirty;
    }

    /** Writes zeros from {@code from} to {@code to} and forces them, size and all; returns {@code to}. */
    private static long preallocate(FileChannel c, long from, long to) throws IOException {
        for (long at = from; at < to; ) {
            ByteBuffer z = ByteBuffer.wrap(ZEROS, 0, (int) Math.min(ZEROS.length, to - at));
            while (z.hasRemaining()) at += c.write(z, at);
        }
        c.force(true);
        return to;
    }

    /** Forces every file written since the last force to the device: the group commit. */
    public void force() {
        if (!forceRequested && unforced.isEmpty()) return;
        try {
            for (String f : unforced) appending.get(f).force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot force " + dir + " to the device", e);
        }
        unforced.clear();
        forceRequested = false;
    }

    private void forceDirectory() throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // some file systems cannot open a directory for forcing; the rename is then as durable as they make it
        }
    }

    @Override
    public void close() {
        for (FileChannel c : appending.values()) {
            try {
                c.close();
            } catch (IOException e) {
                // closing after a failure: nothing more to do
            }
        }
        appending.clear();
    }
}
