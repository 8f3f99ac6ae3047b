package minietcd.kit.controlplane;

/**
 * What a list asks for, as its query parameters say.
 *
 * @param resourceVersion "" for the latest state (a linearizable read), "0" for any recent state (a
 *                        serializable read from whichever member answers), or a revision N to read
 *                        the state at exactly N (410 Expired if compacted)
 * @param limit           at most this many items per page, 0 for no limit
 * @param continueToken   "" for the first page, else the token the previous page returned
 * @param selection       which objects to return
 */
public record ListOptions(String resourceVersion, long limit, String continueToken, Selection selection) {
    public static final ListOptions LATEST = new ListOptions("", 0, "", Selection.EVERYTHING);

    public ListOptions {
        resourceVersion = resourceVersion == null ? "" : resourceVersion;
        continueToken = continueToken == null ? "" : continueToken;
        selection = selection == null ? Selection.EVERYTHING : selection;
        if (limit < 0) throw StatusException.badRequest("limit must not be negative: " + limit);
    }

    public ListOptions withLimit(long n) { return new ListOptions(resourceVersion, n, continueToken, selection); }
    public ListOptions withContinue(String token) { return new ListOptions(resourceVersion, limit, token, selection); }
    public ListOptions at(String rv) { return new ListOptions(rv, limit, continueToken, selection); }
    public ListOptions selecting(Selection s) { return new ListOptions(resourceVersion, limit, continueToken, s); }
}
