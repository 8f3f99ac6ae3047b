package minietcd.kit.mvcc;

/**
 * A point in the store's history: {@code main} counts write requests (one per put, delete or
 * write txn), {@code sub} counts the changes within one (a txn that writes three keys makes
 * main/0, main/1, main/2).
 */
public record Revision(long main, long sub) implements Comparable<Revision> {
    @Override
    public int compareTo(Revision o) {
        return main != o.main ? Long.compare(main, o.main) : Long.compare(sub, o.sub);
    }

    @Override
    public String toString() {
        return main + "." + sub;
    }
}
