package minietcd.kit.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * The cluster's peer secret: 32 random bytes, in hex, in the file {@code peer-secret} of the
 * cluster's data directory, readable by its owner alone. Every peer request carries it
 * ({@code Authorization: Bearer ...}) and the peer port refuses a request without it, so only the
 * cluster's own members (processes of the user who owns the files) can speak Raft to a member.
 *
 * <p>The first member to start creates it; the others read it. Creation is atomic (the file is
 * written whole under another name, then linked into place), so members started at once agree.
 */
final class PeerSecret {
    static final String FILE = "peer-secret";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private PeerSecret() {}

    /** The secret of the cluster whose data directory is {@code dataDir}, created if there is none yet. */
    static String load(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        try {
            Files.createDirectories(dataDir);
            if (!Files.exists(file)) create(file);
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (!OWNER_ONLY.containsAll(perms))
                throw new IllegalStateException(file + " may be read by others (" + PosixFilePermissions.toString(perms)
                        + "): it is the cluster's peer secret; make it owner-only with: chmod 600 " + file);
            String secret = Files.readString(file, StandardCharsets.US_ASCII).strip();
            if (!secret.matches("[0-9a-f]{64}")) throw new IllegalStateException(file + " does not hold a peer secret (64 hex digits)");
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the cluster's peer secret " + file, e);
        }
    }

    private static void create(Path file) throws IOException {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        Path tmp = Files.createTempFile(file.getParent(), FILE, ".new", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        try {
            Files.writeString(tmp, HexFormat.of().formatHex(random) + "\n", StandardCharsets.US_ASCII);
            Files.createLink(file, tmp);
        } catch (FileAlreadyExistsException raced) {
            // another member created it first: use theirs
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Whether {@code presented} is {@code secret}, compared in constant time. */
    static boolean matches(String secret, String presented) {
        return presented != null && MessageDigest.isEqual(secret.getBytes(StandardCharsets.US_ASCII), presented.getBytes(StandardCharsets.US_ASCII));
    }
}
