package minietcd.kit.server;

import java.time.Duration;

/**
 * How the gateway runs its {@code /v3/watch} streams. Both durations are measured on the gateway's
 * clock (the injected one of a lone member, the wall clock of a replica), so a test that moves that
 * clock moves them too.
 *
 * @param progressNotifyInterval how often each watch created with {@code progress_notify} is told where
 *                               the store stands, when it was sent no event since the last time and is up
 *                               to date (etcd's {@code --experimental-watch-progress-notify-interval},
 *                               10 minutes by default)
 * @param slowClientLimit        how long a stream may stay too far behind (its outgoing buffer full, the
 *                               store holding its watches back) before its watches are canceled, each
 *                               with a {@code cancel_reason}; etcd has no such limit, so the default is
 *                               generous
 */
public record WatchSettings(Duration progressNotifyInterval, Duration slowClientLimit) {
    /** etcd's progress interval, and 5 minutes for a client that stays too far behind. */
    public static final WatchSettings DEFAULT = new WatchSettings(Duration.ofMinutes(10), Duration.ofMinutes(5));

    public WatchSettings {
        if (progressNotifyInterval.isNegative() || progressNotifyInterval.isZero()) throw new IllegalArgumentException("progress interval must be positive");
        if (slowClientLimit.isNegative() || slowClientLimit.isZero()) throw new IllegalArgumentException("slow client limit must be positive");
    }

    public WatchSettings withProgressNotifyInterval(Duration d) {
        return new WatchSettings(d, slowClientLimit);
    }

    public WatchSettings withSlowClientLimit(Duration d) {
        return new WatchSettings(progressNotifyInterval, d);
    }
}
