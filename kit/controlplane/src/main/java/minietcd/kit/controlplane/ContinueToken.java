package minietcd.kit.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A list's {@code continue} token, in Kubernetes' shape: unpadded URL-safe base64 of
 * {@code {"v":"meta.k8s.io/v1","rv":REVISION,"start":"KEY-AFTER-PREFIX"}}, where the revision is the
 * one the first page was read at (every page is read at it) and the start is the key to go on from,
 * without the resource's key prefix.
 *
 * @param resourceVersion the revision of the list's first page
 * @param startKey        the key the next page starts at, prefix removed
 */
public record ContinueToken(long resourceVersion, String startKey) {
    private static final String VERSION = "meta.k8s.io/v1";

    /** The token that goes on after {@code lastKey} (a full key under {@code keyPrefix}). */
    public static ContinueToken after(String lastKey, String keyPrefix, long resourceVersion) {
        if (!lastKey.startsWith(keyPrefix)) throw new IllegalArgumentException(lastKey + " is not under " + keyPrefix);
        return new ContinueToken(resourceVersion, lastKey.substring(keyPrefix.length()) + "\0");
    }

    public String encode() {
        ObjectNode o = ObjectJson.MAPPER.createObjectNode().put("v", VERSION).put("rv", resourceVersion).put("start", startKey);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(o.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The full key the next page starts at. */
    public String startKey(String keyPrefix) {
        return keyPrefix + startKey;
    }

    /**
     * Reads a token.
     *
     * @throws StatusException 400 "continue key is not valid" when it is not one of ours, or its
     *                         start key would leave the resource's keys
     */
    public static ContinueToken decode(String token) {
        JsonNode o;
        try {
            o = ObjectJson.MAPPER.readTree(Base64.getUrlDecoder().decode(token.replace("=", "")));
        } catch (IllegalArgumentException | IOException e) {
            throw invalid("not base64-encoded JSON");
        }
        if (o == null || !VERSION.equals(o.path("v").asText())) throw invalid("incorrect encoded start resourceVersion (version " + VERSION + ")");
        if (!o.path("rv").canConvertToLong() || !o.path("start").isTextual()) throw invalid("rv and start are required");
        String start = o.path("start").asText();
        if (start.isEmpty() || start.startsWith("/") || start.contains("..")) throw invalid("the start key leaves the list");
        return new ContinueToken(o.path("rv").asLong(), start);
    }

    private static StatusException invalid(String why) {
        return StatusException.badRequest("continue key is not valid: " + why);
    }
}
