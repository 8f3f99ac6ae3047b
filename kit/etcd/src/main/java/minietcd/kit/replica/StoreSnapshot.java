package minietcd.kit.replica;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import minietcd.kit.mvcc.Backend;
import minietcd.kit.mvcc.Bytes;
import minietcd.kit.mvcc.KeyValue;
import minietcd.kit.mvcc.Revision;

/**
 * The text of a replicated store's Raft snapshots, in two kinds.
 *
 * <p>A member's own snapshot is a reference: {@code in-backend INDEX}, "my backend holds the store as
 * of log index INDEX or later", written once the backend's commit up to there is forced. Compacting
 * the log then costs one forced commit, whatever the size of the store (etcd's snapshot is its
 * database file, for the same reason).
 *
 * <p>What a leader sends a follower that needs a snapshot is the whole state: everything its backend
 * holds (every kept revision, the leases, the compaction revision) and the log index it stands at.
 * One line per item:
 * <pre>
 * store INDEX COMPACT_REVISION
 * lease ID TTL
 * kv MAIN SUB TOMBSTONE KEY CREATE MOD VERSION LEASE VALUE     (key and value in base64, "-" if empty)
 * </pre>
 */
final class StoreSnapshot {
    private StoreSnapshot() {}

    static String dump(Backend backend, long index) {
        StringBuilder out = new StringBuilder();
        out.append("store ").append(index).append(' ').append(backend.meta(Backend.COMPACT_REVISION, 0)).append('\n');
        for (Map.Entry<Long, Long> l : backend.leases().entrySet()) out.append("lease ").append(l.getKey()).append(' ').append(l.getValue()).append('\n');
        for (Backend.Stored s : backend.history()) {
            KeyValue kv = s.kv();
            out.append("kv ").append(s.revision().main()).append(' ').append(s.revision().sub()).append(' ').append(s.tombstone() ? 1 : 0)
                    .append(' ').append(b64(kv.key())).append(' ').append(kv.createRevision()).append(' ').append(kv.modRevision())
                    .append(' ').append(kv.version()).append(' ').append(kv.lease()).append(' ').append(b64(kv.value())).append('\n');
        }
        return out.toString();
    }

    /** A reference to the backend's own state at {@code index}. */
    static String reference(long index) {
        return "in-backend " + index;
    }

    /** Whether {@code data} is a {@link #reference}, not the whole state. */
    static boolean isReference(String data) {
        return data.startsWith("in-backend ");
    }

    /** The log index a snapshot's text stands at. */
    static long index(String data) {
        int end = data.indexOf('\n');
        String[] head = (end < 0 ? data : data.substring(0, end)).split(" ");
        boolean whole = head.length == 3 && head[0].equals("store"), reference = head.length == 2 && head[0].equals("in-backend");
        if (!whole && !reference) throw new IllegalArgumentException("not a store snapshot: " + head[0]);
        return Long.parseLong(head[1]);
    }

    /** Replaces everything {@code backend} holds with the snapshot's state and commits it. */
    static void load(String data, Backend backend) {
        List<Revision> old = new ArrayList<>();
        for (Backend.Stored s : backend.history()) old.add(s.revision());
        for (Revision r : old) backend.remove(r);
        for (Long id : List.copyOf(backend.leases().keySet())) backend.removeLease(id);
        for (String line : data.split("\n")) {
            String[] p = line.split(" ");
            switch (p[0]) {
                case "store" -> {
                    backend.putMeta(Backend.CONSISTENT_INDEX, Long.parseLong(p[1]));
                    backend.putMeta(Backend.COMPACT_REVISION, Long.parseLong(p[2]));
                }
                case "lease" -> backend.putLease(Long.parseLong(p[1]), Long.parseLong(p[2]));
                case "kv" -> backend.put(new Backend.Stored(new Revision(Long.parseLong(p[1]), Long.parseLong(p[2])),
                        new KeyValue(bytes(p[4]), Long.parseLong(p[5]), Long.parseLong(p[6]), Long.parseLong(p[7]), bytes(p[9]), Long.parseLong(p[8])),
                        p[3].equals("1")));
                default -> throw new IllegalArgumentException("not a store snapshot line: " + p[0]);
            }
        }
        backend.commit();
    }

    private static String b64(Bytes b) {
        return b.isEmpty() ? "-" : b.base64();
    }

    private static Bytes bytes(String s) {
        return s.equals("-") ? Bytes.EMPTY : Bytes.fromBase64(s);
    }
}
