package minietcd.kit.grader;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A learner's progress, in an H2 database file in the kit ({@code progress/progress.mv.db}): the
 * tutorial's chapters read and "try this" steps passed, which the tutorial records, and every
 * self-check and grade result, which {@code ./jbang lab-*} and {@code ./jbang grade} record.
 *
 * <p>Several processes use the file (the tutorial, a self-check run beside it), so every call opens
 * the database, does its one thing and closes it; a call that finds the file taken by another process
 * tries again for a few seconds. Recording is best effort for the commands: a progress file that
 * cannot be written must never fail a self-check (see {@link #recordQuietly}).
 */
public final class Progress {
    /** One self-check or grade run of one lab. */
    public record Result(String command, int lab, int earned, int possible, int passed, int tests, boolean partial, long at) {
        /** A run's result, now; {@code partial} when only some parts or tests ran. */
        public static Result of(String command, int lab, List<TestResult> results, boolean partial) {
            int earned = results.stream().filter(TestResult::passed).mapToInt(TestResult::points).sum();
            int possible = results.stream().mapToInt(TestResult::points).sum();
            int passed = (int) results.stream().filter(TestResult::passed).count();
            return new Result(command, lab, earned, possible, passed, results.size(), partial, System.currentTimeMillis());
        }
    }

    /** A "try this" step of a chapter that the tutorial saw done. */
    public record Tried(int chapter, String step, long at) {}

    /** Everything recorded: chapters read (in order), steps passed, results (newest first). */
    public record Snapshot(List<Integer> chaptersRead, List<Tried> tried, List<Result> results) {}

    private static final int ATTEMPTS = 60;
    private final String url;

    /** The progress kept in {@code dir} (created when first written). */
    public Progress(Path dir) {
        this.url = "jdbc:h2:file:" + dir.toAbsolutePath().resolve("progress") + ";DB_CLOSE_DELAY=0";
    }

    /** Notes that a chapter was opened. */
    public void chapterRead(int chapter) {
        update("MERGE INTO chapter_read (chapter, at) KEY (chapter) VALUES (?, ?)", chapter, System.currentTimeMillis());
    }

    /** Notes a "try this" step done (once: the first time counts). */
    public void tried(int chapter, String step) {
        if (step.isBlank() || step.length() > 100) throw new IllegalArgumentException("a step is named by 1 to 100 characters");
        update("INSERT INTO tried (chapter, step, at) SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM tried WHERE chapter = ? AND step = ?)",
                chapter, step, System.currentTimeMillis(), chapter, step);
    }

    /** Records a command's result for one lab. */
    public void record(Result r) {
        update("INSERT INTO result (command, lab, earned, possible, passed, tests, partial, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                r.command(), r.lab(), r.earned(), r.possible(), r.passed(), r.tests(), r.partial(), r.at());
    }

    /** {@link #record}, saying on {@code err} (one line) when the file cannot be written instead of throwing. */
    public void recordQuietly(Result r, java.io.PrintStream err) {
        try {
            record(r);
        } catch (RuntimeException e) {
            err.println("Note: your progress was not recorded (" + e.getMessage() + ").");
        }
    }

    /** Everything recorded so far. */
    public Snapshot read() {
        return withConnection(c -> {
            List<Integer> read = new ArrayList<>();
            List<Tried> tried = new ArrayList<>();
            List<Result> results = new ArrayList<>();
            try (Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT chapter FROM chapter_read ORDER BY chapter")) {
                    while (rs.next()) read.add(rs.getInt(1));
                }
                try (ResultSet rs = s.executeQuery("SELECT chapter, step, at FROM tried ORDER BY chapter, at")) {
                    while (rs.next()) tried.add(new Tried(rs.getInt(1), rs.getString(2), rs.getLong(3)));
                }
                try (ResultSet rs = s.executeQuery("SELECT command, lab, earned, possible, passed, tests, partial, at FROM result ORDER BY at DESC, id DESC LIMIT 200")) {
                    while (rs.next())
                        results.add(new Result(rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getInt(4), rs.getInt(5), rs.getInt(6), rs.getBoolean(7), rs.getLong(8)));
                }
            }
            return new Snapshot(List.copyOf(read), List.copyOf(tried), List.copyOf(results));
        });
    }

    private void update(String sql, Object... args) {
        withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) s.setObject(i + 1, args[i]);
                s.executeUpdate();
            }
            return null;
        });
    }

    private interface Use<T> {
        T with(Connection c) throws SQLException;
    }

    private <T> T withConnection(Use<T> use) {
        SQLException last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try (Connection c = DriverManager.getConnection(url, "sa", "")) {
                create(c);
                return use.with(c);
            } catch (SQLException e) {
                last = e;
                if (e.getErrorCode() != org.h2.api.ErrorCode.DATABASE_ALREADY_OPEN_1 && e.getErrorCode() != org.h2.api.ErrorCode.LOCK_TIMEOUT_1) break;
                try {
                    Thread.sleep(50); // another process has the file for one call: wait for it
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        throw new IllegalStateException("the progress database " + url.substring("jdbc:h2:file:".length(), url.indexOf(';')) + ".mv.db cannot be used: "
                + (last == null ? "interrupted" : last.getMessage().lines().findFirst().orElse("")), last);
    }

    private static void create(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS chapter_read (chapter INT PRIMARY KEY, at BIGINT NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS tried (chapter INT NOT NULL, step VARCHAR(100) NOT NULL, at BIGINT NOT NULL, PRIMARY KEY (chapter, step))");
            s.execute("CREATE TABLE IF NOT EXISTS result (id BIGINT AUTO_INCREMENT PRIMARY KEY, command VARCHAR(20) NOT NULL, lab INT NOT NULL, earned INT NOT NULL,"
                    + " possible INT NOT NULL, passed INT NOT NULL, tests INT NOT NULL, partial BOOLEAN NOT NULL, at BIGINT NOT NULL)");
        }
    }
}
