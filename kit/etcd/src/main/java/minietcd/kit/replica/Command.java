package minietcd.kit.replica;

/**
 * What one log entry asks the replicated store to do: a gateway RPC with its JSON body, as the
 * client sent it (after the proposer's small rewrites: a lease id chosen for a grant that left it
 * to the server). It also carries who proposed it, so that the member holding the client's request
 * answers it when it applies the entry, and the proposer's clock, which is the only time the store
 * sees while applying it: every member then computes the same lease deadlines.
 *
 * <p>The encoding is one line of text, {@code proposer requestId time rpc body}; the body, being JSON
 * from the client, goes last and may hold anything. A member that proposes many commands at once
 * (a busy leader) may put them in one entry: {@code *N len1 len2 ... lenN}, a newline, then the N
 * encodings one after another.
 *
 * @param proposer  the member that proposed it and answers the client, or 0 when nobody waits (a lease the leader expires)
 * @param requestId the proposer's number for the client's request
 * @param time      the proposer's clock in milliseconds when it proposed
 * @param rpc       the gateway path under /v3/, as {@code kv/put} or {@code lease/keepalive}
 * @param body      the request's JSON
 */
public record Command(int proposer, long requestId, long time, String rpc, String body) {
    public Command {
        if (rpc.isEmpty() || rpc.indexOf(' ') >= 0) throw new IllegalArgumentException("bad rpc name: '" + rpc + "'");
    }

    public String encode() {
        return proposer + " " + requestId + " " + time + " " + rpc + " " + body;
    }

    /** Reads what {@link #encode()} wrote. */
    public static Command decode(String line) {
        String[] p = line.split(" ", 5);
        if (p.length < 5) throw new IllegalArgumentException("not a store command: " + line);
        return new Command(Integer.parseInt(p[0]), Long.parseLong(p[1]), Long.parseLong(p[2]), p[3], p[4]);
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
