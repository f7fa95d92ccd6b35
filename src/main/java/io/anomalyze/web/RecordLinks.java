package io.anomalyze.web;

import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The filters of a records page as the user typed them, and the links that keep them: pager
 * links, and the address and port cells that narrow the page to one host. Every link is a plain
 * query string, so a filtered view can be bookmarked and shared.
 */
public final class RecordLinks {

    /** The query parameters a records page keeps from link to link, in the order links show them. */
    static final String[] KEPT = {"severity", "class", "src", "dst", "host", "port", "from", "to", "sort", "limit"};

    private final String base;
    private final Map<String, String> params = new LinkedHashMap<>();

    private RecordLinks(String base) {
        this.base = base;
    }

    /** The kept parameters of the current request (already validated by the records query). */
    static RecordLinks of(Context ctx, long analysisId) {
        RecordLinks links = new RecordLinks("/analyses/" + analysisId);
        for (String name : KEPT) {
            String v = RequestParams.blankToNull(ctx.queryParam(name));
            if (v != null) {
                links.params.put(name, v);
            }
        }
        return links;
    }

    /** The value typed for a filter, or an empty text, for the form's fields. */
    public String value(String name) {
        return params.getOrDefault(name, "");
    }

    /** True when any filter beyond the order is set. */
    public boolean filtered() {
        return params.keySet().stream().anyMatch(k -> !k.equals("sort") && !k.equals("limit"));
    }

    /** This page's filters at another offset. */
    public String offset(long offset) {
        return href(params, offset);
    }

    /** This page's filters with one parameter set (or replaced), from the first page. */
    public String with(String name, Object value) {
        Map<String, String> p = new LinkedHashMap<>(params);
        p.put(name, String.valueOf(value));
        return href(p, 0);
    }

    private String href(Map<String, String> p, long offset) {
        StringBuilder sb = new StringBuilder(base);
        char sep = '?';
        for (String name : KEPT) {
            String v = p.get(name);
            if (v != null) {
                sb.append(sep).append(name).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
                sep = '&';
            }
        }
        if (offset > 0) {
            sb.append(sep).append("offset=").append(offset);
        }
        return sb.toString() + "#records";
    }
}
