package minietcd.mvcc;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import minietcd.kit.mvcc.Bytes;
import minietcd.kit.mvcc.Revision;

/**
 * Lab 3 part A (and the compaction of part C): the history of one key, as etcd's keyIndex keeps it.
 *
 * <p>A key lives in generations: a generation starts when the key is created, records the revision
 * of every change, and ends with a tombstone when the key is deleted; the next put starts a new
 * generation, with version 1 again. The last generation is the current one, empty while the key is
 * deleted. Example: put@2, put@4, delete@6, put@8 gives generations {2, 4, 6(tombstone)} and {8}.
 */
public final class KeyIndex {
    /** What a read at some revision finds: the revision of the value, of the key's creation, and the version. */
    public record Found(Revision modified, Revision created, long version) {}

    private final Bytes key;
    // BEGIN SOLUTION
    /** One life of the key: revisions in increasing order; the last one is a tombstone unless this is the current generation. */
    private static final class Generation {
        final List<Revision> revs = new ArrayList<>();
        /** The revision that created the key in this generation (kept when compaction drops it from revs). */
        Revision created;
        /** Version of the key at revs.get(0) (1 unless compaction dropped earlier revisions). */
        long firstVersion = 1;
    }

    /** Never empty; the last generation is the current one (empty while the key is deleted). */
    private final List<Generation> generations = new ArrayList<>(List.of(new Generation()));
    // END SOLUTION

    public KeyIndex(Bytes key) {
        this.key = key;
    }

    public Bytes key() {
        return key;
    }

    /** Records a put at {@code rev}; it starts a new generation if the key was deleted (or never existed). */
    public void put(Revision rev) {
        // TODO(lab 3 part A): append rev to the current generation (revisions only grow)
        // BEGIN SOLUTION
        Generation g = current();
        if (!g.revs.isEmpty() && rev.compareTo(g.revs.get(g.revs.size() - 1)) <= 0)
            throw new IllegalArgumentException("revision " + rev + " is not after " + g.revs.get(g.revs.size() - 1) + " for key " + key);
        if (g.revs.isEmpty()) {
            g.created = rev;
            g.firstVersion = 1;
        }
        g.revs.add(rev);
        // END SOLUTION
    }

    /**
     * Lab 3 part C: rebuilds the index from the backend after a restart, one stored revision at a
     * time in order: the key had {@code version} and was created at {@code created} as of {@code modified}.
     */
    public void restore(Revision created, Revision modified, long version) {
        // TODO(lab 3 part C): a key not live starts a generation at modified (created and version as given); a live one just records modified
        // BEGIN SOLUTION
        Generation g = current();
        if (!g.revs.isEmpty()) {
            put(modified);
            return;
        }
        g.revs.add(modified);
        g.created = created;
        g.firstVersion = version;
        // END SOLUTION
    }

    /** Records a delete at {@code rev}: it ends the current generation and starts an empty one. */
    public void tombstone(Revision rev) {
        // TODO(lab 3 part A): the key must be live; append the tombstone and start a new, empty generation
        // BEGIN SOLUTION
        if (current().revs.isEmpty()) throw new IllegalStateException("key " + key + " is not live: nothing to delete");
        put(rev);
        generations.add(new Generation());
        // END SOLUTION
    }

    /** Whether the key is live now. */
    public boolean live() {
        // TODO(lab 3 part A): live means the current generation has revisions
        // BEGIN SOLUTION
        return !current().revs.isEmpty();
        // END SOLUTION
    }

    /** The key as it was at main revision {@code atRev}, or null if it did not exist then (or that history was compacted). */
    public Found get(long atRev) {
        // TODO(lab 3 part A): find the generation alive at atRev, then its last revision at or before atRev
        // BEGIN SOLUTION
        for (int gi = generations.size() - 1; gi >= 0; gi--) {
            Generation g = generations.get(gi);
            if (g.revs.isEmpty() || g.revs.get(0).main() > atRev) continue;
            boolean closed = gi < generations.size() - 1;
            Revision tomb = closed ? g.revs.get(g.revs.size() - 1) : null;
            if (tomb != null && tomb.main() <= atRev) return null; // deleted by then
            for (int i = g.revs.size() - 1; i >= 0; i--)
                if (g.revs.get(i).main() <= atRev) return new Found(g.revs.get(i), g.created, g.firstVersion + i);
        }
        return null;
        // END SOLUTION
    }

    /** Lab 3 part C: the key's last revision before {@code rev} (a tombstone included), or null if none is kept. */
    public Revision before(Revision rev) {
        // TODO(lab 3 part C): search the generations, newest first, for the last revision below rev
        // BEGIN SOLUTION
        for (int gi = generations.size() - 1; gi >= 0; gi--) {
            List<Revision> revs = generations.get(gi).revs;
            for (int i = revs.size() - 1; i >= 0; i--) if (revs.get(i).compareTo(rev) < 0) return revs.get(i);
        }
        return null;
        // END SOLUTION
    }

    /**
     * Lab 3 part C: forgets history before {@code atRev}, as etcd compacts: in the generation alive
     * at atRev (or the first one after it) the last revision at or before atRev is kept and added
     * to {@code keep}, older revisions and older generations go (a generation deleted at or before
     * atRev goes whole, tombstone included). Returns whether nothing at all is left of the key.
     */
    public boolean compact(long atRev, Set<Revision> keep) {
        // TODO(lab 3 part C): keep the newest revision at or below atRev in the live generation; drop generations whose tombstone is at or below atRev
        // BEGIN SOLUTION
        int gi = 0;
        while (gi < generations.size() - 1) {
            Generation g = generations.get(gi);
            if (g.revs.get(g.revs.size() - 1).main() > atRev) break;
            gi++;
        }
        Generation g = generations.get(gi);
        if (!g.revs.isEmpty()) {
            int at = -1;
            for (int i = g.revs.size() - 1; i >= 0; i--) if (g.revs.get(i).main() <= atRev) { at = i; break; }
            if (at >= 0) {
                keep.add(g.revs.get(at));
                g.revs.subList(0, at).clear();
                g.firstVersion += at;
            }
            // A generation whose tombstone is at or below atRev was skipped above, tombstone and all,
            // so the generation kept here still has a live revision at or below atRev, or none.
        }
        generations.subList(0, gi).clear();
        return generations.size() == 1 && generations.get(0).revs.isEmpty();
        // END SOLUTION
    }

    // BEGIN SOLUTION
    private Generation current() {
        return generations.get(generations.size() - 1);
    }
    // END SOLUTION
}
