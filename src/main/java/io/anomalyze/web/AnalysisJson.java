package io.anomalyze.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anomalyze.Decimals;
import io.anomalyze.Json;
import io.anomalyze.analysis.AnalysisProgress;
import io.anomalyze.detect.Severity;
import io.anomalyze.report.VerdictJson;
import io.anomalyze.store.AnalysisSummary;
import java.util.Optional;

/** The JSON shape of an analysis in the API, with its links (a verdict's is {@link VerdictJson}). */
final class AnalysisJson {

    private AnalysisJson() {
    }

    static ObjectNode of(AnalysisSummary a, boolean multiClass, Optional<AnalysisProgress> progress) {
        ObjectNode o = Json.object();
        o.put("id", a.id());
        o.put("status", a.status().code());
        o.put("fileName", a.fileName());
        o.put("sizeBytes", a.sizeBytes());
        o.put("detector", a.detector());
        o.put("model", a.model());
        o.put("createdAt", a.createdAt().toString());
        if (a.finishedAt() != null) {
            o.put("finishedAt", a.finishedAt().toString());
            o.put("seconds", Decimals.round(a.seconds(), 3));
        }
        o.put("records", a.records());
        o.put("skipped", a.skipped());
        o.put("anomalies", a.anomalies());
        o.put("anomalyShare", Decimals.round(a.anomalyShare(), 6));
        o.put("labelled", a.labelled());
        ObjectNode sev = o.putObject("severityCounts");
        for (Severity s : Severity.values()) {
            sev.put(s.label(), a.count(s));
        }
        if (multiClass) {
            ObjectNode classes = o.putObject("classCounts");
            a.classCounts().forEach(classes::put);
        }
        if (a.metrics() != null) {
            o.set("metrics", a.metrics());
        }
        if (a.error() != null) {
            o.put("error", a.error());
        }
        if (!a.notes().isEmpty()) {
            o.set("notes", Json.MAPPER.valueToTree(a.notes()));
        }
        progress.ifPresent(p -> {
            ObjectNode pr = o.putObject("progress");
            pr.put("records", p.records());
            pr.put("bytesRead", p.bytesRead());
            pr.put("bytesTotal", p.bytesTotal());
            pr.put("fraction", Decimals.round(p.fraction(), 4));
        });
        ObjectNode links = o.putObject("links");
        links.put("self", "/api/v1/analyses/" + a.id());
        links.put("records", "/api/v1/analyses/" + a.id() + "/records");
        links.put("page", "/analyses/" + a.id());
        if (a.metrics() != null) {
            links.put("metrics", "/analyses/" + a.id() + "/metrics");
        }
        links.put("exportCsv", "/analyses/" + a.id() + "/export.csv");
        links.put("exportJson", "/analyses/" + a.id() + "/export.json");
        return o;
    }
}
