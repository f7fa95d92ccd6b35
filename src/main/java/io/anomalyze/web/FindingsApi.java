package io.anomalyze.web;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anomalyze.Json;
import io.anomalyze.analysis.AnalysisService;
import io.anomalyze.store.AnalysisSummary;
import io.anomalyze.store.Incident;
import io.anomalyze.store.Page;
import io.anomalyze.detect.ModelDomain;
import io.anomalyze.report.EcsAlertWriter;
import io.anomalyze.report.EcsIncidentWriter;
import io.anomalyze.report.VerdictVolume;
import io.javalin.http.Context;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/** What an analysis found beyond single records: its incidents, its timeline, and its alerts for a SIEM. */
final class FindingsApi {

    private final AnalysisService analyses;
    private final ExportSlots exports;

    FindingsApi(AnalysisService analyses, ExportSlots exports) {
        this.analyses = analyses;
        this.exports = exports;
    }

    /** {@code GET /api/v1/analyses/{id}/incidents}: highest severity first, then most flows. */
    void incidents(Context ctx) {
        AnalysisSummary a = RequestParams.analysis(analyses, ctx);
        int limit = RequestParams.intParam(ctx, "limit", 50, 1, 1000);
        long offset = RequestParams.intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
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

    /**
     * {@code GET /analyses/{id}/export.ndjson}: one Elastic Common Schema document per anomalous
     * verdict, then one per incident, a document a line, ready for the {@code _bulk} API or
     * Filebeat's NDJSON input.
     */
    void exportNdjson(Context ctx) throws IOException {
        AnalysisSummary a = RequestParams.analysis(analyses, ctx);
        analyses.requireEnded(a, "export it once it is done");
        exports.stream(ctx, () -> writeNdjson(ctx, a));
    }

    private void writeNdjson(Context ctx, AnalysisSummary a) throws IOException {
        ModelDomain d = a.domain();
        EcsAlertWriter.Model model = new EcsAlertWriter.Model(d.name(), d.kind(), d.sha256());
        String writtenAt = EcsAlertWriter.iso(System.currentTimeMillis());
        ctx.contentType("application/x-ndjson")
                .header("Content-Disposition", "attachment; filename=\"analysis-" + a.id() + ".ndjson\"");
        try (OutputStream out = new BufferedOutputStream(ctx.outputStream(), 1 << 16);
             JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
            g.setRootValueSeparator(new SerializedString("\n"));
            analyses.forEachVerdict(a.id(), v -> {
                if (v.anomalous()) {
                    try {
                        EcsAlertWriter.write(g, v, VerdictVolume.of(v), model,
                                EcsAlertWriter.Origin.analysis(a.id(), a.fileName(), v.line()), writtenAt);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            });
            int pageSize = 1000;
            for (long offset = 0; ; offset += pageSize) {
                Page<Incident> page = analyses.incidents(a.id(), pageSize, offset);
                for (Incident i : page.items()) {
                    EcsIncidentWriter.write(g, i, model, a.id(), a.fileName(), writtenAt);
                }
                if (!page.hasNext()) {
                    break;
                }
            }
            g.writeRaw('\n');
        }
    }

    /** {@code GET /api/v1/analyses/{id}/timeline}: records per time bucket and severity, or null without times. */
    void timeline(Context ctx) {
        AnalysisSummary a = RequestParams.analysis(analyses, ctx);
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
