package io.anomalyze.web;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anomalyze.Json;
import io.anomalyze.analysis.AnalysisService;
import io.anomalyze.store.AnalysisSummary;
import io.anomalyze.store.Incident;
import io.anomalyze.store.Page;
import io.javalin.http.Context;

/** The JSON API of what an analysis found beyond single records: its incidents and its timeline. */
final class FindingsApi {

    private final AnalysisService analyses;

    FindingsApi(AnalysisService analyses) {
        this.analyses = analyses;
    }

    /** {@code GET /api/v1/analyses/{id}/incidents}: highest severity first, then most flows. */
    void incidents(Context ctx) {
        AnalysisSummary a = ApiHandlers.analysis(analyses, ctx);
        int limit = ApiHandlers.intParam(ctx, "limit", 50, 1, 1000);
        long offset = ApiHandlers.intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        Page<Incident> page = analyses.incidents(a.id(), limit, offset);
        ObjectNode o = Json.object();
        o.put("analysis", a.id());
        o.put("status", a.status().code());
        o.put("total", page.total());
        o.put("limit", limit);
        o.put("offset", offset);
        ArrayNode items = o.putArray("incidents");
        page.items().forEach(i -> items.add(IncidentView.of(a.id(), i).json()));
        ctx.json(o);
    }

    /** {@code GET /api/v1/analyses/{id}/timeline}: records per time bucket and severity, or null without times. */
    void timeline(Context ctx) {
        AnalysisSummary a = ApiHandlers.analysis(analyses, ctx);
        ObjectNode o = Json.object();
        o.put("analysis", a.id());
        ObjectNode timeline = analyses.timeline(a.id());
        if (timeline == null) {
            o.putNull("timeline");
        } else {
            o.set("timeline", timeline);
        }
        ctx.json(o);
    }
}
