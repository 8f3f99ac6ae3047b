package minietcd.kit.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The leader-election record a {@code coordination.k8s.io/v1} Lease holds in its spec (client-go's
 * LeaderElectionRecord). Times are milliseconds on the writer's clock, written as Kubernetes'
 * MicroTime ({@code 2026-01-02T15:04:05.000000Z}); a reader compares them with nothing on its own
 * clock (the writer's clock may be anywhere), only with the record it saw before.
 *
 * @param holderIdentity       who holds the Lease; "" when nobody does (released)
 * @param leaseDurationSeconds how long others must see the record unchanged before they may take it
 * @param acquireTimeMillis    when the holder took it
 * @param renewTimeMillis      when the holder last renewed it
 * @param leaseTransitions     how many times it changed hands
 */
public record LeaseRecord(String holderIdentity, int leaseDurationSeconds, long acquireTimeMillis, long renewTimeMillis, int leaseTransitions) {
    private static final DateTimeFormatter MICRO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    public LeaseRecord {
        holderIdentity = holderIdentity == null ? "" : holderIdentity;
    }

    /** The record in a Lease object (missing fields: "", 0). */
    public static LeaseRecord of(ObjectNode lease) {
        JsonNode spec = lease.path("spec");
        return new LeaseRecord(spec.path("holderIdentity").asText(""), spec.path("leaseDurationSeconds").asInt(0),
                parseTime(spec.path("acquireTime").asText("")), parseTime(spec.path("renewTime").asText("")), spec.path("leaseTransitions").asInt(0));
    }

    /** Writes this record into the Lease's spec (in place) and returns the Lease. */
    public ObjectNode writeTo(ObjectNode lease) {
        ObjectNode spec = lease.get("spec") instanceof ObjectNode s ? s : lease.putObject("spec");
        spec.put("holderIdentity", holderIdentity).put("leaseDurationSeconds", leaseDurationSeconds)
                .put("acquireTime", formatTime(acquireTimeMillis)).put("renewTime", formatTime(renewTimeMillis))
                .put("leaseTransitions", leaseTransitions);
        return lease;
    }

    /** A new Lease object {@code namespace/name} holding this record. */
    public ObjectNode newLease(String namespace, String name) {
        ObjectNode lease = ObjectJson.MAPPER.createObjectNode().put("apiVersion", Resource.LEASES.apiVersion()).put("kind", Resource.LEASES.kind());
        lease.putObject("metadata").put("name", name).put("namespace", namespace);
        return writeTo(lease);
    }

    /** Kubernetes' MicroTime of {@code millis} since the epoch. */
    public static String formatTime(long millis) {
        return MICRO_TIME.format(Instant.ofEpochMilli(millis));
    }

    /** The milliseconds a MicroTime (or an RFC 3339 time) names; 0 for "" or what does not parse. */
    static long parseTime(String text) {
        if (text.isEmpty()) return 0;
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException e) {
            return 0;
        }
    }
}
