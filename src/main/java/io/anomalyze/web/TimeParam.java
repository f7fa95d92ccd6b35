package io.anomalyze.web;

import io.anomalyze.detect.FlowIdentity;
import io.anomalyze.read.FlowTimestamps;
import io.javalin.http.Context;

/**
 * A time given as a query parameter: any form flow files use ({@link FlowTimestamps}), so a time
 * copied from a records table or an export works as it is; {@code 2017-07-07T15:56:00Z},
 * {@code 2017-07-07 15:56}, {@code 2017-07-07} and {@code 7/7/2017 15:56} all do. Without a zone
 * it is UTC, as in the files.
 */
final class TimeParam {

    private TimeParam() {
    }

    /** The parameter in µs since the epoch, {@link FlowIdentity#NO_TIME} when absent; 400 naming it when unreadable. */
    static long micros(Context ctx, String name) {
        String raw = ApiHandlers.blankToNull(ctx.queryParam(name));
        if (raw == null) {
            return FlowIdentity.NO_TIME;
        }
        long t = FlowTimestamps.parse(raw);
        if (t == FlowTimestamps.INVALID) {
            throw HttpError.badRequest(name + " must be a time such as 2017-07-07T15:56:00Z or 2017-07-07 15:56 (UTC when no zone is given), not \""
                    + raw + "\"");
        }
        return t;
    }
}
