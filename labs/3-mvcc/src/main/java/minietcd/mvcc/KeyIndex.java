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

    public KeyIndex(Bytes key) {
        this.key = key;
    }

    public Bytes key() {
        return key;
    }

    /** Records a put at {@code rev}; it starts a new generation if the key was deleted (or never existed). */
    public void put(Revision rev) {
        // TODO(lab 3 part A): append rev to the current generation (revisions only grow)
        throw new UnsupportedOperationException("TODO(lab 3 part A): append rev to the current generation (revisions only grow)");
    }

    /**
     * Lab 3 part C: rebuilds the index from the backend after a restart, one stored revision at a
     * time in order: the key had {@code version} and was created at {@code created} as of {@code modified}.
     */
    public void restore(Revision created, Revision modified, long version) {
        // TODO(lab 3 part C): a key not live starts a generation at modified (created and version as given); a live one just records modified
        throw new UnsupportedOperationException("TODO(lab 3 part C): a key not live starts a generation at modified (created and version as given); a live one just records modified");
    }

    /** Records a delete at {@code rev}: it ends the current generation and starts an empty one. */
    public void tombstone(Revision rev) {
        // TODO(lab 3 part A): the key must be live; append the tombstone and start a new, empty generation
        throw new UnsupportedOperationException("TODO(lab 3 part A): the key must be live; append the tombstone and start a new, empty generation");
    }

    /** Whether the key is live now. */
    public boolean live() {
        // TODO(lab 3 part A): live means the current generation has revisions
        throw new UnsupportedOperationException("TODO(lab 3 part A): live means the current generation has revisions");
    }

    /** The key as it was at main revision {@code atRev}, or null if it did not exist then (or that history was compacted). */
    public Found get(long atRev) {
        // TODO(lab 3 part A): find the generation alive at atRev, then its last revision at or before atRev
        throw new UnsupportedOperationException("TODO(lab 3 part A): find the generation alive at atRev, then its last revision at or before atRev");
    }

    /** Lab 3 part C: the key's last revision before {@code rev} (a tombstone included), or null if none is kept. */
    public Revision before(Revision rev) {
        // TODO(lab 3 part C): search the generations, newest first, for the last revision below rev
        throw new UnsupportedOperationException("TODO(lab 3 part C): search the generations, newest first, for the last revision below rev");
    }

    /**
     * Lab 3 part C: forgets history before {@code atRev}, as etcd compacts: in the generation alive
     * at atRev (or the first one after it) the last revision at or before atRev is kept and added
     * to {@code keep}, older revisions and older generations go (a generation deleted at or before
     * atRev goes whole, tombstone included). Returns whether nothing at all is left of the key.
     */
    public boolean compact(long atRev, Set<Revision> keep) {
        // TODO(lab 3 part C): keep the newest revision at or below atRev in the live generation; drop generations whose tombstone is at or below atRev
        throw new UnsupportedOperationException("TODO(lab 3 part C): keep the newest revision at or below atRev in the live generation; drop generations whose tombstone is at or below atRev");
    }

}
