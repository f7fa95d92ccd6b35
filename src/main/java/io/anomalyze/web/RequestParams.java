package io.anomalyze.web;

import io.anomalyze.analysis.AnalysisService;
import io.anomalyze.detect.FlowIdentity;
import io.anomalyze.detect.Severity;
import io.anomalyze.read.FlowTimestamps;
import io.anomalyze.store.AddressBlock;
import io.anomalyze.store.AnalysisSummary;
import io.anomalyze.store.IdentityFilter;
import io.anomalyze.store.RecordQuery;
import io.javalin.http.Context;

/**
 * What pages and the API read from a request's path and query: the analysis named by
 * {@code {id}}, whole numbers within bounds, and a records listing's filter, order and page.
 * A value that cannot be read is answered 400 naming the parameter; an unknown analysis 404.
 */
final class RequestParams {

    private RequestParams() {
    }

    /** The analysis named by the {@code id} path parameter, or 404. */
    static AnalysisSummary analysis(AnalysisService analyses, Context ctx) {
        String raw = ctx.pathParam("id");
        long id;
        try {
            id = Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw HttpError.notFound("analysis \"" + raw + "\"");
        }
        return analyses.find(id).orElseThrow(() -> HttpError.notFound("analysis " + id));
    }

    /** The filter, order and page of a records listing, from query parameters. */
    static RecordQuery recordQuery(Context ctx, int defaultLimit, int maxLimit) {
        String sev = blankToNull(ctx.queryParam("severity"));
        Severity severity = null;
        if (sev != null) {
            severity = Severity.fromLabel(sev);
            if (severity == null) {
                throw HttpError.badRequest("unknown severity \"" + sev + "\"; use Normal, Low, Medium, High or Critical");
            }
        }
        String sortText = blankToNull(ctx.queryParam("sort"));
        RecordQuery.Sort sort = sortText == null ? RecordQuery.Sort.ANOMALIES_FIRST : RecordQuery.Sort.of(sortText);
        if (sort == null) {
            throw HttpError.badRequest("unknown sort \"" + sortText + "\"; use anomalies-first, score-desc, score-asc or file-order");
        }
        int limit = intParam(ctx, "limit", defaultLimit, 1, maxLimit);
        long offset = intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        return new RecordQuery(severity, blankToNull(ctx.queryParam("class")), sort, limit, offset, identityFilter(ctx));
    }

    /**
     * Who, when and what to list: {@code src}, {@code dst} and {@code host} (either end) take an
     * address or a CIDR block, {@code port} a port of either end, {@code from} and {@code to} a
     * time range of the flows' start ({@link #timeMicros}).
     */
    static IdentityFilter identityFilter(Context ctx) {
        AddressBlock src = addressParam(ctx, "src");
        AddressBlock dst = addressParam(ctx, "dst");
        AddressBlock host = addressParam(ctx, "host");
        int port = blankToNull(ctx.queryParam("port")) == null ? FlowIdentity.UNKNOWN : intParam(ctx, "port", 0, 0, 65_535);
        long from = timeMicros(ctx, "from");
        long to = timeMicros(ctx, "to");
        if (from != FlowIdentity.NO_TIME && to != FlowIdentity.NO_TIME && from >= to) {
            throw HttpError.badRequest("from must be before to, not " + ctx.queryParam("from").strip() + " .. " + ctx.queryParam("to").strip());
        }
        IdentityFilter f = new IdentityFilter(src, dst, host, port, from, to);
        return f.isEmpty() ? null : f;
    }

    private static AddressBlock addressParam(Context ctx, String name) {
        String raw = blankToNull(ctx.queryParam(name));
        if (raw == null) {
            return null;
        }
        AddressBlock block = AddressBlock.parse(raw);
        if (block == null) {
            throw HttpError.badRequest(name + " must be an IPv4 or IPv6 address or a CIDR block such as 10.0.0.0/8 or 2001:db8::/32, not \""
                    + raw + "\"");
        }
        return block;
    }

    /**
     * A time in µs since the epoch, {@link FlowIdentity#NO_TIME} when absent: any form flow files
     * use ({@link FlowTimestamps}), so a time copied from a records table or an export works as it
     * is; {@code 2017-07-07T15:56:00Z}, {@code 2017-07-07 15:56}, {@code 2017-07-07} and
     * {@code 7/7/2017 15:56} all do. Without a zone it is UTC, as in the files.
     */
    static long timeMicros(Context ctx, String name) {
        String raw = blankToNull(ctx.queryParam(name));
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

    /** A whole number between {@code min} and {@code max}, {@code fallback} when absent. */
    static int intParam(Context ctx, String name, int fallback, int min, int max) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        int v;
        try {
            v = Integer.parseInt(raw.strip());
        } catch (NumberFormatException e) {
            throw HttpError.badRequest(name + " must be a whole number, not \"" + raw + "\"");
        }
        if (v < min || v > max) {
            throw HttpError.badRequest(name + " must be between " + min + " and " + max + ", not " + v);
        }
        return v;
    }

    /** The value stripped, or null when it is absent or blank. */
    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
