package minietcd.kit.controlplane;

/**
 * What a watch asks for, as its query parameters say.
 *
 * @param resourceVersion "" or "0": first an ADDED event for every object there is now, then what
 *                        changes; a revision N: every change after N (410 Expired, as an ERROR
 *                        event, if N was compacted away)
 * @param selection       which objects to report (an object that stops matching is reported as DELETED,
 *                        one that starts to as ADDED)
 * @param allowBookmarks  whether to send BOOKMARK events when the store reports progress
 */
public record WatchOptions(String resourceVersion, Selection selection, boolean allowBookmarks) {
    public WatchOptions {
        resourceVersion = resourceVersion == null ? "" : resourceVersion;
        selection = selection == null ? Selection.EVERYTHING : selection;
    }

    public static WatchOptions from(long resourceVersion) {
        return new WatchOptions(Long.toString(resourceVersion), Selection.EVERYTHING, true);
    }
}
