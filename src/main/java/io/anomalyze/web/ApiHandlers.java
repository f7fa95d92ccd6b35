package io.anomalyze.web;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anomalyze.InvalidInputException;
import io.anomalyze.Json;
import io.anomalyze.analysis.AnalysisService;
import io.anomalyze.analysis.HostActivity;
import io.anomalyze.analysis.PredictionService;
import io.anomalyze.detect.DetectorRegistry;
import io.anomalyze.detect.ModelDomain;
import io.anomalyze.detect.Severity;
import io.anomalyze.detect.Verdict;
import io.anomalyze.report.VerdictCsvWriter;
import io.anomalyze.report.VerdictJson;
import io.anomalyze.store.AnalysisSummary;
import io.anomalyze.store.Page;
import io.anomalyze.store.RecordQuery;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/** Handlers of the JSON API, exports, health and metrics: each reads its input, calls a service, writes JSON. */
final class ApiHandlers {

    private static final int DEFAULT_WAIT_SECONDS = 30;

    private final AnalysisService analyses;
    private final PredictionService prediction;
    private final ServiceConfig config;
    private final PrometheusMeterRegistry meters;
    private final byte[] openApi;
    private final ExportSlots exports;

    ApiHandlers(AnalysisService analyses, PredictionService prediction, ServiceConfig config, PrometheusMeterRegistry meters,
                ExportSlots exports) {
        this.analyses = analyses;
        this.prediction = prediction;
        this.config = config;
        this.meters = meters;
        this.exports = exports;
        try (InputStream in = ApiHandlers.class.getResourceAsStream("/openapi.json")) {
            this.openApi = in.readAllBytes();
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("openapi.json is missing from the class path", e);
        }
    }

    /** {@code POST /api/v1/analyses}: multipart {@code file} (+ {@code detector}); waits up to {@code wait} seconds. */
    void createAnalysis(Context ctx) throws Exception {
        int wait = RequestParams.intParam(ctx, "wait", DEFAULT_WAIT_SECONDS, 0, 600);
        AnalysisSummary a = Uploads.receiveAndStart(analyses, ctx, config.maxUploadBytes(), Duration.ofSeconds(wait), null);
        ctx.status(201).header("Location", "/api/v1/analyses/" + a.id()).json(json(a));
    }

    void listAnalyses(Context ctx) {
        int limit = RequestParams.intParam(ctx, "limit", 20, 1, 200);
        long offset = RequestParams.intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        Page<AnalysisSummary> page = analyses.list(limit, offset);
        ObjectNode o = Json.object();
        o.put("total", page.total());
        o.put("limit", limit);
        o.put("offset", offset);
        ArrayNode items = o.putArray("analyses");
        page.items().forEach(a -> items.add(json(a)));
        ctx.json(o);
    }

    void getAnalysis(Context ctx) {
        ctx.json(json(RequestParams.analysis(analyses, ctx)));
    }

    void records(Context ctx) {
        AnalysisSummary a = RequestParams.analysis(analyses, ctx);
        RecordQuery q = RequestParams.recordQuery(ctx, 50, 1000);
        Page<Verdict> page = analyses.records(a, q);
        List<String> classes = a.domain().classNames();
        ObjectNode o = Json.object();
        o.put("analysis", a.id());
        o.put("status", a.status().code());
        o.put("total", page.total());
        o.put("limit", q.limit());
        o.put("offset", q.offset());
        ArrayNode items = o.putArray("records");
        page.items().forEach(v -> items.add(VerdictJson.of(v, a.featureNames(), classes)));
        ctx.json(o);
    }

    /** {@code GET /api/v1/analyses/{id}/hosts}: the top sources and destinations of anomalous flows. */
    void hosts(Context ctx) {
        AnalysisSummary a = RequestParams.analysis(analyses, ctx);
        analyses.requireEnded(a, "its hosts are listed once it is done");
        int limit = RequestParams.intParam(ctx, "limit", 20, 1, 100);
        HostActivity.Report report = analyses.hosts(a.id(), limit);
        ObjectNode o = Json.object();
        o.put("analysis", a.id());
        o.put("anomalousFlows", report.anomalousFlows());
        o.put("truncated", report.truncated());
        ArrayNode sources = o.putArray("sources");
        report.sources().forEach(h -> sources.add(hostJson(a.id(), h, "src")));
        ArrayNode destinations = o.putArray("destinations");
        report.destinations().forEach(h -> destinations.add(hostJson(a.id(), h, "dst")));
        ctx.json(o);
    }

    private static ObjectNode hostJson(long analysisId, HostActivity.Host h, String side) {
        ObjectNode o = Json.object();
        o.put("address", h.address());
        o.put("anomalous", h.anomalous());
        ObjectNode sev = o.putObject("severityCounts");
        for (Severity s : Severity.values()) {
            sev.put(s.label(), h.severityCounts()[s.ordinal()]);
        }
        ObjectNode classes = o.putObject("classes");
        h.classes().forEach(classes::put);
        if (h.firstSeen() != null) {
            o.put("firstSeen", h.firstSeen().toString());
        }
        if (h.lastSeen() != null) {
            o.put("lastSeen", h.lastSeen().toString());
        }
        o.put("peers", h.peers());
        if (h.peersCapped()) {
            o.put("peersCapped", true);
        }
        o.put("ports", h.ports());
        String query = side + "=" + java.net.URLEncoder.encode(h.address(), StandardCharsets.UTF_8);
        ObjectNode links = o.putObject("links");
        links.put("records", "/analyses/" + analysisId + "?" + query + "#records");
        links.put("api", "/api/v1/analyses/" + analysisId + "/records?" + query);
        return o;
    }

    /** {@code DELETE /api/v1/analyses/{id}}: 204, or 409 while it is still running. */
    void deleteAnalysis(Context ctx) {
        analyses.delete(RequestParams.analysis(analyses, ctx).id());
        ctx.status(204);
    }

    void models(Context ctx) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (DetectorRegistry.LoadedModel m : analyses.models()) {
            ModelDomain domain = m.detector().domain();
            ObjectNode d = Json.object();
            d.put("kind", domain.kind());
            d.put("name", domain.name());
            d.put("file", m.file());
            d.put("sha256", domain.sha256());
            d.put("origin", m.origin());
            d.set("features", Json.MAPPER.valueToTree(domain.featureNames()));
            d.set("classes", Json.MAPPER.valueToTree(domain.classNames()));
            d.put("benignClass", domain.benignClass());
            d.set("knownLimits", Json.MAPPER.valueToTree(m.detector().knownLimits()));
            d.setAll(m.detector().provenance());
            out.add(d);
        }
        ctx.json(out);
    }

    void predict(Context ctx) throws IOException {
        long max = config.web().maxJsonBytes();
        if (ctx.req().getContentLengthLong() > max) {
            throw InvalidInputException.limit("the body is larger than the limit of " + (max >> 20) + " MB (--max-json-mb / ANOMALYZE_MAX_JSON_MB)");
        }
        JsonNode body;
        try (InputStream in = ctx.bodyInputStream()) {
            body = JsonBody.read(in, ctx.req().getContentLengthLong(), config.web());
        }
        PredictRequest request = PredictRequest.of(body, prediction.maxRecords());
        JsonNode answer = PredictionJson.of(prediction.predict(request.rows(), request.single()), request.single());
        meters.counter("anomalyze.predictions").increment(answer.isArray() ? answer.size() : 1);
        ctx.json(answer);
    }

    /**
     * Liveness: 200 while the service answers, with its status and models; "degraded" when no
     * model is loaded. A database that does not answer, even after the store has tried to reopen
     * it, makes the service "down" (503), so that a supervisor restarts it rather than leaving it
     * up but unusable.
     */
    void health(Context ctx) {
        ObjectNode report = healthReport();
        ctx.status("down".equals(report.path("status").asText()) ? 503 : 200).json(report);
    }

    /**
     * Readiness: 200 only when the service can analyse something, else 503 with the same report, so
     * an orchestrator routes no traffic to (and a container health check reports unhealthy) a service
     * without models. Restarting would not load a model, which is why {@link #health} stays 200 then.
     */
    void ready(Context ctx) {
        ObjectNode report = healthReport();
        ctx.status("up".equals(report.path("status").asText()) ? 200 : 503).json(report);
    }

    private ObjectNode healthReport() {
        ObjectNode o = Json.object();
        List<DetectorRegistry.LoadedModel> models = analyses.models();
        AnalysisService.DatabaseHealth database = analyses.databaseHealth();
        String problem = database.problem();
        o.put("status", problem != null ? "down" : models.isEmpty() ? "degraded" : "up");
        ArrayNode m = o.putArray("models");
        models.forEach(lm -> m.addObject().put("kind", lm.detector().kind()).put("file", lm.file()));
        if (problem != null) {
            o.put("database", problem);
        } else {
            o.put("schemaVersion", database.schemaVersion());
        }
        return o;
    }

    void prometheus(Context ctx) {
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(meters.scrape());
    }

    void openApi(Context ctx) {
        ctx.contentType("application/json").result(openApi);
    }

    void exportCsv(Context ctx) throws IOException {
        AnalysisSummary a = finished(ctx);
        exports.stream(ctx, () -> writeCsv(ctx, a));
    }

    private void writeCsv(Context ctx, AnalysisSummary a) throws IOException {
        ctx.contentType("text/csv; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"analysis-" + a.id() + ".csv\"");
        try (Writer w = new BufferedWriter(new OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8), 1 << 16)) {
            VerdictCsvWriter csv = new VerdictCsvWriter(w);
            analyses.forEachVerdict(a.id(), v -> {
                try {
                    csv.write(v);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    void exportJson(Context ctx) throws IOException {
        AnalysisSummary a = finished(ctx);
        exports.stream(ctx, () -> writeJson(ctx, a));
    }

    private void writeJson(Context ctx, AnalysisSummary a) throws IOException {
        List<String> classes = a.domain().classNames();
        ctx.contentType("application/json")
                .header("Content-Disposition", "attachment; filename=\"analysis-" + a.id() + ".json\"");
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(ctx.outputStream())) {
            g.writeStartObject();
            g.writeFieldName("analysis");
            Json.MAPPER.writeTree(g, json(a));
            g.writeArrayFieldStart("verdicts");
            analyses.forEachVerdict(a.id(), v -> {
                try {
                    Json.MAPPER.writeTree(g, VerdictJson.of(v, a.featureNames(), classes));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    private AnalysisSummary finished(Context ctx) {
        AnalysisSummary a = RequestParams.analysis(analyses, ctx);
        analyses.requireEnded(a, "export it once it is done");
        return a;
    }

    private ObjectNode json(AnalysisSummary a) {
        return AnalysisJson.of(a, a.domain().multiClass(), analyses.progress(a.id()));
    }
}
