package minietcd.kit.backend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import minietcd.kit.mvcc.Backend;
import minietcd.kit.mvcc.Bytes;
import minietcd.kit.mvcc.KeyValue;
import minietcd.kit.mvcc.Revision;

/**
 * A {@link Backend} in an embedded H2 database, playing the part bbolt plays for etcd.
 *
 * <p>{@link #open(Path)} keeps the database in one file, {@code <dir>/mvcc.mv.db}, with three tables:
 * {@code key_history} (one row per stored change, keyed by main and sub revision), {@code leases}
 * (id, ttl) and {@code meta} (name, val). Keys and values are stored byte for byte.
 *
 * <p>The durability contract:
 *
 * <ul>
 *   <li>Every write joins one open transaction and is visible to this backend's reads at once.
 *   <li>{@link #commit()} commits that transaction and forces the file to disk, then opens the next.
 *   <li>{@link #close()} rolls back whatever was not committed. So after a close without commit, or
 *       after the process dies at any point, reopening the directory finds exactly the committed
 *       writes.
 * </ul>
 *
 * <p>Putting a revision that is already stored replaces it. One backend per directory: a second
 * {@code open} of the same directory fails, from this JVM or another process, until the first is
 * closed. Not thread-safe: use it from one thread.
 *
 * <p>Database errors surface as {@link IllegalStateException}s naming the database file. Puts are
 * sent to H2 in batches, so a failing put may be reported by the next remove, history or commit.
 */
public final class H2Backend implements Backend {
    /** Databases open in this JVM; H2 would silently share them between two backends. */
    private static final Set<String> OPEN = ConcurrentHashMap.newKeySet();

    /** Put changes go to H2 in batches of at most this many. */
    private static final int BATCH = 1000;

    private static final String[] SCHEMA = {
        """
        CREATE TABLE IF NOT EXISTS key_history (
            main BIGINT NOT NULL,
            sub BIGINT NOT NULL,
            key_bytes VARBINARY NOT NULL,
            value_bytes VARBINARY NOT NULL,
            create_revision BIGINT NOT NULL,
            mod_revision BIGINT NOT NULL,
            version BIGINT NOT NULL,
            lease BIGINT NOT NULL,
            tombstone BOOLEAN NOT NULL,
            PRIMARY KEY (main, sub))""",
        "CREATE TABLE IF NOT EXISTS leases (id BIGINT PRIMARY KEY, ttl BIGINT NOT NULL)",
        // KEY and VALUE are reserved words in H2 2.x, hence key_bytes, value_bytes and val.
        "CREATE TABLE IF NOT EXISTS meta (name VARCHAR PRIMARY KEY, val BIGINT NOT NULL)",
    };

    private final String database;
    private final Connection connection;
    private final PreparedStatement putChange;
    private final PreparedStatement removeChange;
    private final PreparedStatement selectHistory;
    private final PreparedStatement putLease;
    private final PreparedStatement removeLease;
    private final PreparedStatement selectLeases;
    private final PreparedStatement putMeta;
    private final PreparedStatement selectMeta;
    /** Forces the file to the device (nothing to do in memory). */
    private final PreparedStatement checkpoint;
    /** Whether every commit is forced, or only {@link #commitForced()}. */
    private final boolean forceEachCommit;
    private int batched;
    private boolean closed;

    /**
     * Opens, or creates, the database in {@code dir} (created if missing).
     *
     * @throws UncheckedIOException  if {@code dir} cannot be used as a directory
     * @throws IllegalStateException if the database cannot be opened: already open, locked by another
     *                               process, not an H2 file, ...
     */
    public static H2Backend open(Path dir) {
        return open(dir, true);
    }

    /**
     * The same, choosing whether {@link #commit()} forces the file to the device. A replicated store
     * passes false: its Raft log is what makes an applied write durable (the store records the log
     * index it has applied in the same commit, and replays from there), so its commits need to be
     * atomic but not forced: H2 writes them to the file once a second on a thread of its own, and
     * {@link #commitForced()} is there for when the log is about to forget what the store holds.
     */
    public static H2Backend open(Path dir, boolean forceEachCommit) {
        Path abs = dir.toAbsolutePath().normalize();
        if (abs.toString().contains(";")) {
            throw new IllegalArgumentException("backend directory " + abs + ": H2 cannot take a path with ';'");
        }
        try {
            Files.createDirectories(abs);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use " + abs + " as a backend directory: " + e, e);
        }
        // H2 wants an absolute path in the URL. WRITE_DELAY: with forced commits, 0, so that each
        // commit is written at once (and then forced); without, H2's own thread writes what was
        // committed once a second, off the caller's thread, and a crash takes the store back to the
        // last such write, whole transactions only (the Raft log replays the rest). TRACE_LEVEL_FILE=0: no mvcc.trace.db beside the
        // database; errors reach the caller as exceptions instead.
        String file = abs.resolve("mvcc").toString();
        return new H2Backend(file + ".mv.db", "jdbc:h2:file:" + file + ";WRITE_DELAY=" + (forceEachCommit ? 0 : 1000) + ";TRACE_LEVEL_FILE=0", forceEachCommit);
    }

    /** A database that lives only while this backend is open, named so as to be unique in the JVM. */
    public static H2Backend inMemory(String name) {
        return new H2Backend("mem:" + name, "jdbc:h2:mem:" + name, false);
    }

    private H2Backend(String database, String url, boolean forceEachCommit) {
        this.database = database;
        if (!OPEN.add(database)) throw new IllegalStateException("H2 database " + database + " is already open in this JVM");
        Connection c = null;
        try {
            c = DriverManager.getConnection(url);
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                for (String sql : SCHEMA) s.execute(sql);
            }
            c.commit();
            putChange = c.prepareStatement("MERGE INTO key_history KEY (main, sub) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
            removeChange = c.prepareStatement("DELETE FROM key_history WHERE main = ? AND sub = ?");
            selectHistory = c.prepareStatement("""
                    SELECT main, sub, key_bytes, create_revision, mod_revision, version, value_bytes, lease, tombstone
                    FROM key_history ORDER BY main, sub""");
            putLease = c.prepareStatement("MERGE INTO leases KEY (id) VALUES (?, ?)");
            removeLease = c.prepareStatement("DELETE FROM leases WHERE id = ?");
            selectLeases = c.prepareStatement("SELECT id, ttl FROM leases ORDER BY id");
            putMeta = c.prepareStatement("MERGE INTO meta KEY (name) VALUES (?, ?)");
            selectMeta = c.prepareStatement("SELECT val FROM meta WHERE name = ?");
            checkpoint = c.prepareStatement("CHECKPOINT SYNC");
            this.forceEachCommit = forceEachCommit;
            connection = c;
        } catch (SQLException e) {
            OPEN.remove(database);
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw failure("open", e);
        }
    }

    @Override
    public void put(Stored change) {
        MemoryBackend.requireComplete(change);
        checkOpen();
        KeyValue kv = change.kv();
        try {
            putChange.setLong(1, change.revision().main());
            putChange.setLong(2, change.revision().sub());
            putChange.setBytes(3, kv.key().toByteArray());
            putChange.setBytes(4, kv.value().toByteArray());
            putChange.setLong(5, kv.createRevision());
            putChange.setLong(6, kv.modRevision());
            putChange.setLong(7, kv.version());
            putChange.setLong(8, kv.lease());
            putChange.setBoolean(9, change.tombstone());
            putChange.addBatch();
            if (++batched >= BATCH) flush();
        } catch (SQLException e) {
            throw failure("put " + change.revision(), e);
        }
    }

    @Override
    public void remove(Revision revision) {
        checkOpen();
        try {
            flush();
            removeChange.setLong(1, revision.main());
            removeChange.setLong(2, revision.sub());
            removeChange.executeUpdate();
        } catch (SQLException e) {
            throw failure("remove " + revision, e);
        }
    }

    @Override
    public List<Stored> history() {
        checkOpen();
        List<Stored> changes = new ArrayList<>();
        try {
            flush();
            try (ResultSet r = selectHistory.executeQuery()) {
                while (r.next()) {
                    Revision revision = new Revision(r.getLong(1), r.getLong(2));
                    KeyValue kv = new KeyValue(Bytes.of(r.getBytes(3)), r.getLong(4), r.getLong(5), r.getLong(6),
                            Bytes.of(r.getBytes(7)), r.getLong(8));
                    changes.add(new Stored(revision, kv, r.getBoolean(9)));
                }
            }
        } catch (SQLException e) {
            throw failure("read history", e);
        }
        return changes;
    }

    @Override
    public void putLease(long id, long ttlSeconds) {
        checkOpen();
        try {
            putLease.setLong(1, id);
            putLease.setLong(2, ttlSeconds);
            putLease.executeUpdate();
        } catch (SQLException e) {
            throw failure("put lease " + id, e);
        }
    }

    @Override
    public void removeLease(long id) {
        checkOpen();
        try {
            removeLease.setLong(1, id);
            removeLease.executeUpdate();
        } catch (SQLException e) {
            throw failure("remove lease " + id, e);
        }
    }

    @Override
    public Map<Long, Long> leases() {
        checkOpen();
        Map<Long, Long> leases = new LinkedHashMap<>();
        try (ResultSet r = selectLeases.executeQuery()) {
            while (r.next()) leases.put(r.getLong(1), r.getLong(2));
        } catch (SQLException e) {
            throw failure("read leases", e);
        }
        return Collections.unmodifiableMap(leases);
    }

    @Override
    public void putMeta(String name, long value) {
        checkOpen();
        try {
            putMeta.setString(1, name);
            putMeta.setLong(2, value);
            putMeta.executeUpdate();
        } catch (SQLException e) {
            throw failure("put meta " + name, e);
        }
    }

    @Override
    public long meta(String name, long absent) {
        checkOpen();
        try {
            selectMeta.setString(1, name);
            try (ResultSet r = selectMeta.executeQuery()) {
                return r.next() ? r.getLong(1) : absent;
            }
        } catch (SQLException e) {
            throw failure("read meta " + name, e);
        }
    }

    /** Commits every earlier write and, on disk, forces the file to the device before returning. */
    @Override
    public void commit() {
        checkOpen();
        try {
            flush();
            connection.commit();
            if (forceEachCommit) checkpoint.execute();
        } catch (SQLException e) {
            throw failure("commit", e);
        }
    }

    @Override
    public void commitForced() {
        commit();
        if (forceEachCommit) return;
        try {
            checkpoint.execute();
        } catch (SQLException e) {
            throw failure("force", e);
        }
    }

    /** Rolls back uncommitted writes and closes the database. Closing twice does nothing. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try (connection) {
            connection.rollback();
        } catch (SQLException e) {
            throw failure("close", e);
        } finally {
            OPEN.remove(database);
        }
    }

    /** Sends batched puts to H2; done before anything that reads or deletes changes, and before commit. */
    private void flush() throws SQLException {
        if (batched == 0) return;
        batched = 0;
        putChange.executeBatch();
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("H2 backend " + database + " is closed");
    }

    private IllegalStateException failure(String what, SQLException e) {
        return new IllegalStateException("H2 backend " + database + ": " + what + " failed: " + e.getMessage(), e);
    }
}
