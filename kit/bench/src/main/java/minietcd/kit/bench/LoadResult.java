package minietcd.kit.bench;

/**
 * What one row of load measured: the requests answered 200 within the measured window and their
 * latencies, the requests that failed (another status or an I/O error, never in the latencies), the
 * window's length, and what the first failure said.
 *
 * @param ops        requests answered 200 that started within the window
 * @param errors     requests that started within the window and failed
 * @param seconds    the window's length
 * @param latencies  the 200s' latencies in nanoseconds
 * @param firstError the first failure ({@code "503 {...}"} or the exception), or null when there was none
 */
public record LoadResult(long ops, long errors, double seconds, LatencyHistogram latencies, String firstError) {
    /** Successful requests per second. */
    public double throughput() {
        return seconds <= 0 ? 0 : ops / seconds;
    }

    /** The median latency in milliseconds. */
    public double p50Millis() {
        return latencies.valueAt(0.50) / 1e6;
    }

    /** The 99th-percentile latency in milliseconds. */
    public double p99Millis() {
        return latencies.valueAt(0.99) / 1e6;
    }

    public boolean hasErrors() {
        return errors > 0;
    }
}
