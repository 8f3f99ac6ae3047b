package minietcd.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import minietcd.kit.replica.MemberIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * etcd's corruption check on real members: one byte of a stored value changed in a member's H2 file
 * is served by that member without a word, but the leader's check finds its hash differs from the
 * others' and raises the CORRUPT alarm for it; members that agree are left alone.
 */
class CorruptionCheckTest {
    @TempDir Path dir;

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aFlippedByteInOneMembersStoreRaisesTheCorruptAlarmForThatMemberAlone() throws Exception {
        String payload = "precious-value-that-must-not-change-0123456789";
        try (LocalCluster c = new LocalCluster(dir, 3)) {
            for (int i = 0; i < 5; i++) c.post(1, "kv/put", "{\"key\":\"" + b64("k" + i) + "\",\"value\":\"" + b64(payload) + "\"}");
            c.awaitApplied();
            int leader = c.awaitLeader();
            assertThat(c.member(leader).gateway().checkCorruption()).as("members that applied the same log agree").isEmpty();
            JsonNode now = c.post(leader, "maintenance/hash", "{}"), at3 = c.post(leader, "maintenance/hash", "{\"revision\":\"3\"}");
            assertThat(now.path("hash").isNumber()).as("hash answers a uint32 number: %s", now).isTrue();
            assertThat(at3.path("hash").asLong()).as("the hash at revision 3 is that store's then, not now's").isNotEqualTo(now.path("hash").asLong());

            int victim = leader == 3 ? 2 : 3;
            c.stop(victim);
            boolean flipped = false;
            try (var files = Files.walk(c.spec.memberDir(victim))) {
                for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".mv.db")).toList()) {
                    byte[] bytes = Files.readAllBytes(f);
                    boolean changed = false; // every copy H2 keeps of the row (older chunks hold older copies)
                    for (int at = indexOf(bytes, payload.getBytes(StandardCharsets.UTF_8), 0); at >= 0; at = indexOf(bytes, payload.getBytes(StandardCharsets.UTF_8), at + 1)) {
                        bytes[at] ^= 0x01;
                        changed = true;
                    }
                    if (changed) Files.write(f, bytes);
                    flipped |= changed;
                }
            }
            assertThat(flipped).as("the payload was found in member %d's H2 file", victim).isTrue();
            c.start(victim);
            c.awaitApplied();
            leader = c.awaitLeader();
            List<Long> corrupt = c.member(leader).gateway().checkCorruption();
            assertThat(corrupt).as("the check names the member whose store changed").containsExactly(MemberIds.member(victim));
            JsonNode alarms = c.post(leader, "maintenance/alarm", "{\"action\":\"GET\"}");
            assertThat(alarms.path("alarms").toString()).contains("\"memberID\":\"" + Long.toUnsignedString(MemberIds.member(victim)) + "\"").contains("CORRUPT");
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
