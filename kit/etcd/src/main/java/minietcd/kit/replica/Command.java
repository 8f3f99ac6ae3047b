package minietcd.kit.replica;

import minietcd.kit.etcd.EtcdRequest;
import minietcd.kit.etcd.GatewayRpc;
import minietcd.kit.etcd.RequestJson;

/**
 * What one log entry asks the replicated store to do: a client's request, as the kit's record
 * (after the proposer's small rewrites: a lease id chosen for a grant that left it to the server).
 * It also carries who proposed it, so that the member holding the client's request answers it when
 * it applies the entry, and the proposer's clock, which is the only time the store sees while
 * applying it: every member then computes the same lease deadlines.
 *
 * <p>The encoding is one line of text, {@code proposer requestId time rpc body}, where {@code rpc}
 * and {@code body} are the request as {@link RequestJson} writes it, whichever client sent it; the
 * body, being JSON, goes last and may hold anything. A member that proposes many commands at once
 * (a busy leader) may put them in one entry: {@code *N len1 len2 ... lenN}, a newline, then the N
 * encodings one after another.
 *
 * @param proposer  the member that proposed it and answers the client, or 0 when nobody waits (a lease the leader expires)
 * @param requestId the proposer's number for the client's request
 * @param time      the proposer's clock in milliseconds when it proposed
 * @param request   what the client asked
 */
public record Command(int proposer, long requestId, long time, EtcdRequest request) {
    public String encode() {
        return proposer + " " + requestId + " " + time + " " + RequestJson.path(request) + " " + RequestJson.body(request);
    }

    /** Reads what {@link #encode()} wrote; throws as {@link #decode(String, long)} does. */
    public static Command decode(String line) {
        return decode(line, Long.MAX_VALUE); // a logged body passed the edge's checks before it was proposed
    }

    /**
     * Reads what {@link #encode()} wrote, refusing a request as the edge would, against
     * {@code maxRequestBytes} ({@link GatewayRpc#decode}).
     *
     * @throws minietcd.kit.mvcc.EtcdException the edge's refusal of the request
     * @throws IllegalArgumentException if {@code line} is not a command's encoding
     */
    public static Command decode(String line, long maxRequestBytes) {
        String[] p = line.split(" ", 5);
        if (p.length < 5) throw new IllegalArgumentException("not a store command: " + line);
        return new Command(Integer.parseInt(p[0]), Long.parseLong(p[1]), Long.parseLong(p[2]), GatewayRpc.decode(p[3], p[4], maxRequestBytes));
    }

    /** One entry's text for several encoded commands, applied in order. */
    public static String batch(java.util.List<String> encoded) {
        StringBuilder head = new StringBuilder("*").append(encoded.size());
        for (String e : encoded) head.append(' ').append(e.length());
        head.append('\n');
        for (String e : encoded) head.append(e);
        return head.toString();
    }

    /** The commands of one entry's text: one, or a {@link #batch}'s. */
    public static java.util.List<Command> entry(String text) {
        if (!text.startsWith("*")) return java.util.List.of(decode(text));
        int newline = text.indexOf('\n');
        String[] lengths = text.substring(1, newline).split(" ");
        java.util.List<Command> out = new java.util.ArrayList<>();
        int at = newline + 1;
        for (int i = 1; i < lengths.length; i++) {
            int length = Integer.parseInt(lengths[i]);
            out.add(decode(text.substring(at, at + length)));
            at += length;
        }
        return out;
    }
}
