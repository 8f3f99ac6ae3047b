package minietcd.kit.node;

import java.util.Optional;

/**
 * A node's disk: named files of bytes. Writes are buffered until {@link #sync()}; a crash keeps
 * what was synced and loses the rest, except that a crash in the middle of an append may leave a
 * torn prefix of the appended bytes at the end of the file. A node must not answer a request
 * before what the answer depends on is synced.
 */
public interface Disk {
    /** The file's current content as this incarnation sees it (synced or not), or empty if absent. */
    Optional<byte[]> read(String file);

    /** Appends bytes at the end of the file, creating it if needed. Not durable until synced. */
    void append(String file, byte[] bytes);

    /**
     * Replaces the whole file atomically: after a crash the file holds either the old content or,
     * if a sync completed after this call, the new content. Never a mix.
     */
    void replace(String file, byte[] bytes);

    /** Makes every earlier write durable. */
    void sync();

    /** Whether some write has not been synced yet. */
    boolean dirty();
}
