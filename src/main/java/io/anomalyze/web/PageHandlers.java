package io.anomalyze.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anomalyze.analysis.AnalysisService;
import io.anomalyze.analysis.HostActivity;
import io.anomalyze.detect.DetectorRegistry;
import io.anomalyze.detect.FlowIdentity;
import io.anomalyze.detect.Severity;
import io.anomalyze.detect.Verdict;
import io.anomalyze.store.AnalysisStatus;
import io.anomalyze.store.AnalysisSummary;
import io.anomalyze.store.Incident;
import io.anomalyze.store.Page;
import io.anomalyze.store.RecordQuery;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/** Handlers of the server-rendered pages: each gathers a model and names its template. */
final class PageHandlers {

    /** How long a form upload waits for its analysis before showing the running page. */
    private static final Duration FORM_WAIT = Duration.ofSeconds(30);
    private static final Format FORMAT = new Format();
    private static final java.time.format.DateTimeFormatter SECONDS = java.time.format.DateTimeFormatter
            .ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(java.time.ZoneOffset.UTC);

    private final AnalysisService analyses;
    private final ServiceConfig config;
    private final String swaggerVersion;
    private final Access access;

    PageHandlers(AnalysisService analyses, ServiceConfig config, Access access) {
        this.analyses = analyses;
        this.config = config;
        this.access = access;
        this.swaggerVersion = webjarVersion("swagger-ui");
    }

    void home(Context ctx) {
        Map<String, Object> m = model(ctx);
        m.put("samples", samples().stream().map(p -> p.getFileName().toString()).toList());
        m.put("latest", analyses.list(8, 0).items());
        m.put("maxUploadMb", config.maxUploadMb());
        m.put("kinds", analyses.kinds());
        ctx.render("index.html", m);
    }

    void upload(Context ctx) throws Exception {
        // The form sends its CSRF token as its first field; the page's script also sends it as a header.
        java.util.function.Predicate<String> csrf = access.csrfValid(ctx, ctx.header(Access.CSRF_HEADER)) ? null
                : sent -> access.csrfValid(ctx, sent);
        AnalysisSummary a = Uploads.receiveAndStart(analyses, ctx, config.maxUploadBytes(), FORM_WAIT, csrf);
        ctx.redirect("/analyses/" + a.id(), io.javalin.http.HttpStatus.SEE_OTHER);
    }

    void analyseSample(Context ctx) throws Exception {
        String name = ctx.formParam("name");
        Path sample = samples().stream().filter(p -> p.getFileName().toString().equals(name)).findFirst()
                .orElseThrow(() -> HttpError.badRequest("no sample file named \"" + name + "\""));
        AnalysisSummary a = Uploads.startSample(analyses, sample, FORM_WAIT);
        ctx.redirect("/analyses/" + a.id(), io.javalin.http.HttpStatus.SEE_OTHER);
    }

    void history(Context ctx) {
        int limit = RequestParams.intParam(ctx, "limit", 20, 1, 200);
        long offset = RequestParams.intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        Map<String, Object> m = model(ctx);
        m.put("page", analyses.list(limit, offset));
        ctx.render("analyses.html", m);
    }

    void analysis(Context ctx) {
        AnalysisSummary a = RequestParams.analysis(analyses, ctx);
        Map<String, Object> m = model(ctx);
        m.put("a", a);
        m.put("progress", analyses.progress(a.id()).orElse(null));
        boolean multiClass = a.domain().multiClass();
        m.put("multiClass", multiClass);
        m.put("refresh", !analyses.hasEnded(a));
        if (a.status() == AnalysisStatus.DONE) {
            RecordQuery q = RequestParams.recordQuery(ctx, 25, 500);
            Page<Verdict> page = analyses.records(a, q);
            m.put("q", q);
            m.put("links", RecordLinks.of(ctx, a.id()));
            m.put("sort", q.sort().code());
            m.put("page", page);
            m.put("rows", page.items().stream().map(v -> RecordView.of(v, a.featureNames())).toList());
            m.put("severities", Severity.values());
            m.put("severityChart", SvgCharts.severityBars(a.severityCounts()));
            m.put("classChart", multiClass ? SvgCharts.countBars(a.classCounts(), 15) : null);
            var timeline = analyses.timeline(a.id());
            m.put("timelineChart", timeline == null ? null : TimelineChart.of(timeline, "/analyses/" + a.id()));
            m.put("incidentCount", analyses.incidents(a.id(), 1, 0).total());
        }
        ctx.render("analysis.html", m);
    }

    void hosts(Context ctx) {
        AnalysisSummary a = RequestParams.analysis(analyses, ctx);
        if (!analyses.hasEnded(a)) {
            ctx.redirect("/analyses/" + a.id(), io.javalin.http.HttpStatus.SEE_OTHER);
            return;
        }
        int limit = RequestParams.intParam(ctx, "limit", 20, 1, 100);
        Map<String, Object> m = model(ctx);
        m.put("a", a);
        HostActivity.Report report = analyses.hosts(a.id(), limit);
        m.put("report", report);
        m.put("sources", report.sources().stream().map(h -> HostRow.of(a.id(), "src", h)).toList());
        m.put("destinations", report.destinations().stream().map(h -> HostRow.of(a.id(), "dst", h)).toList());
        m.put("severities", Severity.values());
        ctx.render("hosts.html", m);
    }

    /** A host as a table row: the host, the link to its records ({@code param} src or dst), its classes as one line. */
    public record HostRow(HostActivity.Host h, String link, String classes) {
        static HostRow of(long analysisId, String param, HostActivity.Host h) {
            StringBuilder sb = new StringBuilder();
            h.classes().forEach((c, n) -> sb.append(sb.length() > 0 ? ", " : "").append(c).append(' ').append(n));
            return new HostRow(h, "/analyses/" + analysisId + "?" + param + "="
                    + java.net.URLEncoder.encode(h.address(), java.nio.charset.StandardCharsets.UTF_8) + "#records", sb.toString());
        }
    }

    void metrics(Context ctx) {
        AnalysisSummary a = RequestParams.analysis(analyses, ctx);
        if (a.metrics() == null) {
            throw HttpError.notFound("metrics of analysis " + a.id() + " (the file carried no labels)");
        }
        Map<String, Object> m = model(ctx);
        m.put("a", a);
        m.put("view", MetricsView.of(a, analyses.modelThatMade(a).map(lm -> ModelCard.figures(lm.detector().provenance().path("validation"))).orElse(null)));
        m.put("multiClass", a.metrics().has("perClass"));
        ctx.render("metrics.html", m);
    }

    void incidents(Context ctx) {
        AnalysisSummary a = RequestParams.analysis(analyses, ctx);
        int limit = RequestParams.intParam(ctx, "limit", 100, 1, 1000);
        long offset = RequestParams.intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        Page<Incident> page = analyses.incidents(a.id(), limit, offset);
        Map<String, Object> m = model(ctx);
        m.put("a", a);
        m.put("page", page);
        m.put("incidents", page.items().stream().map(i -> IncidentView.of(a.id(), i)).toList());
        ctx.render("incidents.html", m);
    }

    void delete(Context ctx) {
        analyses.delete(RequestParams.analysis(analyses, ctx).id());
        ctx.redirect("/analyses", io.javalin.http.HttpStatus.SEE_OTHER);
    }

    void models(Context ctx) {
        Map<String, Object> m = model(ctx);
        List<ModelCard> cards = new ArrayList<>();
        for (DetectorRegistry.LoadedModel lm : analyses.models()) {
            cards.add(ModelCard.of(lm));
        }
        m.put("models", cards);
        ctx.render("models.html", m);
    }

    void swagger(Context ctx) {
        Map<String, Object> m = model(ctx);
        m.put("version", swaggerVersion);
        ctx.render("swagger.html", m);
    }

    private Map<String, Object> model(Context ctx) {
        Map<String, Object> m = new HashMap<>();
        m.put("fmt", FORMAT);
        m.put("authRequired", access.enabled());
        m.put("signedIn", access.signedIn(ctx));
        m.put("csrf", access.csrfToken(ctx));
        return m;
    }

    void loginForm(Context ctx) {
        Map<String, Object> m = model(ctx);
        m.put("message", null);
        ctx.render("login.html", m);
    }

    /** Opens a session when the posted token is right; a wrong one gets 401 and the form again. */
    void login(Context ctx) {
        if (!access.enabled()) {
            ctx.redirect("/", io.javalin.http.HttpStatus.SEE_OTHER);
            return;
        }
        String token = ctx.formParam("token");
        if (!access.checkSentToken(ctx, token == null ? "" : token.strip())) {
            Map<String, Object> m = model(ctx);
            m.put("message", "the API token is wrong");
            ctx.status(401).render("login.html", m);
            return;
        }
        access.openSession(ctx);
        ctx.redirect("/", io.javalin.http.HttpStatus.SEE_OTHER);
    }

    void logout(Context ctx) {
        access.closeSession(ctx);
        ctx.redirect("/", io.javalin.http.HttpStatus.SEE_OTHER);
    }

    private List<Path> samples() {
        Path dir = config.samplesDir();
        if (dir == null || !Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return n.endsWith(".txt") || n.endsWith(".csv") || n.endsWith(".gz") || n.endsWith(".pcap") || n.endsWith(".pcapng") || n.endsWith(".cap");
            }).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String webjarVersion(String artifact) {
        try (InputStream in = PageHandlers.class.getResourceAsStream("/META-INF/maven/org.webjars/" + artifact + "/pom.properties")) {
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("the " + artifact + " WebJar is missing from the class path", e);
        }
    }

    /** A verdict as a table row that opens to its features. */
    public record RecordView(Verdict v, String severity, List<String[]> features, List<String[]> top) {

        /** The source as {@code address:port}, or null when the record has none. */
        public String source() {
            return v.identity().source();
        }

        public String destination() {
            return v.identity().destination();
        }

        /** Protocol name, with service and flag for connection records; "-" when unknown. */
        public String protocol() {
            FlowIdentity id = v.identity();
            StringBuilder sb = new StringBuilder();
            if (id.protocolName() != null) {
                sb.append(id.protocolName());
            }
            for (String part : new String[] {id.service(), id.flag()}) {
                if (part != null) {
                    sb.append(sb.length() > 0 ? " " : "").append(part);
                }
            }
            return sb.length() == 0 ? "-" : sb.toString();
        }

        /** The start, to the second, UTC; "-" when unknown. */
        public String start() {
            Instant t = v.identity().start();
            return t == null ? "-" : SECONDS.format(t);
        }

        /** Each identity part the record has, named, for its opened view. */
        public List<String[]> identity() {
            FlowIdentity id = v.identity();
            List<String[]> out = new ArrayList<>();
            add(out, "Flow ID", id.flowId());
            add(out, "Source", id.source());
            add(out, "Destination", id.destination());
            add(out, "Protocol", id.protocol() == FlowIdentity.UNKNOWN ? null : id.protocolName() + " (" + id.protocol() + ")");
            add(out, "Service", id.service());
            add(out, "Flag", id.flag());
            add(out, "Start", id.start() == null ? null : id.start().toString());
            add(out, "End", id.end() == null ? null : id.end().toString());
            add(out, "Confidence", String.format(Locale.ROOT, "%.1f%%", v.confidence() * 100));
            return out;
        }

        private static void add(List<String[]> out, String name, String value) {
            if (value != null) {
                out.add(new String[] {name, value});
            }
        }

        static RecordView of(Verdict v, List<String> names) {
            List<String[]> features = new ArrayList<>();
            if (v.features() != null) {
                for (int i = 0; i < v.features().length; i++) {
                    features.add(new String[] {i < names.size() ? names.get(i) : "feature " + (i + 1), v.features()[i]});
                }
            }
            List<String[]> top = v.topFeatures().stream()
                    .map(f -> new String[] {f.feature(), f.value(), String.format(Locale.ROOT, "%.1f%%", f.contribution() * 100)})
                    .toList();
            return new RecordView(v, v.severity().label(), features, top);
        }

        public String topText() {
            StringBuilder sb = new StringBuilder();
            for (String[] t : top) {
                if (sb.length() > 0) {
                    sb.append(", ");
                }
                sb.append(t[0]).append('=').append(t[1]);
            }
            return sb.toString();
        }
    }
}
