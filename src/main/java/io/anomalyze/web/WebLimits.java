package io.anomalyze.web;

import java.util.List;

/**
 * What one HTTP client may send and hold. Each has a flag and an environment variable of
 * {@code serve}; docs/OPERATIONS.md lists them with what a client sees past each.
 *
 * @param maxJsonBytes       largest JSON body of {@code /api/v1/predict}
 * @param maxFormBytes       largest url-encoded form ({@code /login}, {@code /samples}, delete buttons)
 * @param bodyTimeoutSeconds time a client has to send a JSON or form body, after which it gets 408
 * @param minBodyRate        slowest accepted body (uploads included), in bytes per second averaged
 *                           over the body once it has had 5 s; a slower client gets 408 and is disconnected
 * @param idleTimeoutSeconds time a connection may send or take nothing before it is closed
 * @param maxClientRequests  requests one client address may have in progress at once (429 past it)
 * @param maxClientTransfers uploads and exports one client address may have in progress at once (429 past it)
 * @param tokenFailures      wrong tokens one client address may send before it must wait (429), the
 *                           wait doubling with each further wrong token up to {@link #MAX_BACKOFF_SECONDS}
 * @param allowedHosts       host names the service answers to (the {@code Host} header); empty for
 *                           the bound address, localhost and 127.0.0.1; {@code *} for any
 * @param maxPredictRecords  records one {@code /api/v1/predict} request may carry; also the most values
 *                           of one JSON array, and 128 times it the most values of one body
 * @param maxJsonFields      fields of one JSON object (a flow named field by field inside a log event)
 */
public record WebLimits(long maxJsonBytes, int maxFormBytes, int bodyTimeoutSeconds, int minBodyRate, int idleTimeoutSeconds,
                        int maxClientRequests, int maxClientTransfers, int tokenFailures, List<String> allowedHosts,
                        int maxPredictRecords, int maxJsonFields) {

    /** The longest wait imposed after wrong tokens. */
    public static final int MAX_BACKOFF_SECONDS = 300;

    public static final WebLimits DEFAULTS = new WebLimits(16L << 20, 64 << 10, 60, 1024, 30, 128, 16, 5, List.of(), 10_000, 1_000);

    public WebLimits {
        allowedHosts = List.copyOf(allowedHosts);
    }

    public WebLimits withAllowedHosts(List<String> hosts) {
        return new WebLimits(maxJsonBytes, maxFormBytes, bodyTimeoutSeconds, minBodyRate, idleTimeoutSeconds, maxClientRequests,
                maxClientTransfers, tokenFailures, hosts, maxPredictRecords, maxJsonFields);
    }

    public WebLimits withClientLimits(int requests, int transfers) {
        return new WebLimits(maxJsonBytes, maxFormBytes, bodyTimeoutSeconds, minBodyRate, idleTimeoutSeconds, requests, transfers,
                tokenFailures, allowedHosts, maxPredictRecords, maxJsonFields);
    }

    public WebLimits withBodyTiming(int timeoutSeconds, int minRate, int idleSeconds) {
        return new WebLimits(maxJsonBytes, maxFormBytes, timeoutSeconds, minRate, idleSeconds, maxClientRequests, maxClientTransfers,
                tokenFailures, allowedHosts, maxPredictRecords, maxJsonFields);
    }

    public WebLimits withJsonShape(int predictRecords, int jsonFields) {
        return new WebLimits(maxJsonBytes, maxFormBytes, bodyTimeoutSeconds, minBodyRate, idleTimeoutSeconds, maxClientRequests,
                maxClientTransfers, tokenFailures, allowedHosts, predictRecords, jsonFields);
    }
}
