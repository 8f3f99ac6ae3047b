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
 * <p>Used by one thread at a time.
 */
public final class FileDisk implements Disk, AutoCloseable {
    private final Path dir;
    private final Map<String, FileChannel> appending = new HashMap<>();
    private final Set<String> unforced = new HashSet<>();
    private boolean dirty;
    private boolean forceRequested;
    private long forces;

    public FileDisk(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + dir, e);
        }
    }

    public Path dir() {
        return dir;
    }

    @Override
    public Optional<byte[]> read(String file) {
        Path p = dir.resolve(file);
        try {
            return Files.exists(p) ? Optional.of(Files.readAllBytes(p)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p, e);
        }
    }

    @Override
    public void append(String file, byte[] bytes) {
        try {
            FileChannel c = appending.get(file);
            if (c == null) {
                c = FileChannel.open(dir.resolve(file), StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
                appending.put(file, c);
            }
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) c.write(b);
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

    /** Whether a sync is waiting for {@link #force()}. */
    public boolean forceRequested() {
        return forceRequested;
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
        forces++;
    }

    /** How many times the files were forced. */
    public long forces() {
        return forces;
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
