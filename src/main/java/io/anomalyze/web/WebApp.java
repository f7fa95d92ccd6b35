package io.anomalyze.web;

import io.anomalyze.analysis.AnalysisQueueFullException;
import io.anomalyze.analysis.AnalysisService;
import io.anomalyze.analysis.PredictionService;
import io.anomalyze.detect.DetectorRegistry;
import io.anomalyze.detect.ModelNotLoadedException;
import io.anomalyze.read.InvalidInputException;
import io.anomalyze.store.AnalysisStore;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.staticfiles.Location;
import io.javalin.rendering.template.JavalinThymeleaf;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/**
 * The composition root: builds the store, the models, the analysis and prediction services and
 * the Javalin app from a {@link ServiceConfig}, and declares every route in {@link #routes}.
 * The command line and the tests start the service the same way.
 */
public final class WebApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebApp.class);
    private static final String STARTED_AT = "anomalyze.started";

    private final ServiceConfig config;
    private final AnalysisStore store;
    private final DetectorRegistry registry;
    private final AnalysisService analyses;
    private final PrometheusMeterRegistry meters;
    private final Javalin app;
    private final Access access;

    private WebApp(ServiceConfig config, AnalysisStore store, DetectorRegistry registry, AnalysisService analyses,
                   PrometheusMeterRegistry meters) {
        this.config = config;
        this.store = store;
        this.registry = registry;
        this.analyses = analyses;
        this.meters = meters;
        this.access = new Access(config.apiToken());
        ApiHandlers api = new ApiHandlers(analyses, new PredictionService(registry), config, meters);
        PageHandlers pages = new PageHandlers(analyses, config, access);
        this.app = Javalin.create(c -> {
            c.showJavalinBanner = false;
            c.useVirtualThreads = false;
            c.fileRenderer(new JavalinThymeleaf(templateEngine()));
            c.staticFiles.add(s -> {
                s.hostedPath = "/static";
                s.directory = "/static";
                s.location = Location.CLASSPATH;
            });
            c.staticFiles.enableWebjars();
            c.http.maxRequestSize = ApiHandlers.MAX_JSON_BODY_BYTES;
        });
        routes(app, api, pages, new FindingsApi(analyses));
    }

    /** Every route of the service, in one place. */
    private void routes(Javalin app, ApiHandlers api, PageHandlers pages, FindingsApi findings) {
        app.before(this::beforeRequest);
        app.after(this::afterRequest);

        app.get("/", pages::home);
        app.get("/login", pages::loginForm);
        app.post("/login", pages::login);
        app.post("/logout", pages::logout);
        app.post("/analyses", access.browser(pages::upload));
        app.post("/samples", access.browser(pages::analyseSample));
        app.get("/analyses", pages::history);
        app.get("/analyses/{id}", pages::analysis);
        app.get("/analyses/{id}/metrics", pages::metrics);
        app.get("/analyses/{id}/incidents", pages::incidents);
        app.post("/analyses/{id}/delete", access.browser(pages::delete));
        app.get("/analyses/{id}/export.csv", api::exportCsv);
        app.get("/analyses/{id}/export.json", api::exportJson);
        app.get("/models", pages::models);
        app.get("/swagger", pages::swagger);

        app.post("/api/v1/analyses", access.api(api::createAnalysis));
        app.get("/api/v1/analyses", api::listAnalyses);
        app.get("/api/v1/analyses/{id}", api::getAnalysis);
        app.get("/api/v1/analyses/{id}/records", api::records);
        app.get("/api/v1/analyses/{id}/incidents", findings::incidents);
        app.get("/api/v1/analyses/{id}/timeline", findings::timeline);
        app.delete("/api/v1/analyses/{id}", access.api(api::deleteAnalysis));
        app.get("/api/v1/models", api::models);
        app.post("/api/v1/predict", api::predict);
        app.post("/predict", api::predict);
        app.get("/health", api::health);
        app.get("/health/ready", api::ready);
        app.get("/metrics", api::prometheus);
        app.get("/openapi.json", api::openApi);

        app.exception(HttpError.class, (e, ctx) -> error(ctx, e.status(), e.getMessage()));
        app.exception(ModelNotLoadedException.class, (e, ctx) -> error(ctx, 422, e.getMessage()));
        app.exception(InvalidInputException.class, (e, ctx) -> error(ctx, e.isLimitExceeded() ? 413 : 400, e.getMessage()));
        app.exception(AnalysisQueueFullException.class, (e, ctx) -> {
            ctx.header("Retry-After", Integer.toString(e.retryAfterSeconds()));
            error(ctx, 503, e.getMessage());
        });
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
            error(ctx, 500, "internal error; the service log has the details");
        });
        app.error(404, ctx -> {
            if (ctx.result() == null || ctx.result().isEmpty() || ctx.result().equals("Endpoint " + ctx.method() + " " + ctx.path() + " not found")) {
                error(ctx, 404, "no such page: " + ctx.path());
            }
        });
        app.error(405, ctx -> error(ctx, 405, ctx.method() + " is not allowed on " + ctx.path()));
    }

    /** Security headers on every answer; Swagger UI alone may use inline styles. */
    private void beforeRequest(Context ctx) {
        ctx.attribute(STARTED_AT, System.nanoTime());
        boolean swagger = ctx.path().equals("/swagger") || ctx.path().startsWith("/webjars/");
        ctx.header("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'"
                + (swagger ? " 'unsafe-inline'" : "") + "; img-src 'self' data:; object-src 'none'; base-uri 'none';"
                + " frame-ancestors 'none'; form-action 'self'");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cross-Origin-Opener-Policy", "same-origin");
        ctx.header("Cross-Origin-Resource-Policy", "same-origin");
        if (ctx.path().startsWith("/api/") || ctx.path().equals("/predict")) {
            ctx.header("Cache-Control", "no-store");
        }
    }

    private void afterRequest(Context ctx) {
        Long started = ctx.attribute(STARTED_AT);
        if (started == null) {
            return;
        }
        String route = ctx.endpointHandlerPath();
        if (route.isEmpty() || route.equals("*")) {
            route = ctx.path().startsWith("/static/") || ctx.path().startsWith("/webjars/") ? "static" : "unmatched";
        }
        Timer.builder("http.server.requests").tag("method", ctx.method().name()).tag("route", route)
                .tag("status", Integer.toString(ctx.statusCode())).register(meters)
                .record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** JSON {@code {"error": ...}} for API clients, the same message on a page for browsers. */
    static void error(Context ctx, int status, String message) {
        ctx.status(status);
        if (wantsJson(ctx)) {
            ctx.json(Map.of("error", message));
        } else {
            ctx.render("error.html", Map.of("status", status, "reason", HttpStatus.forStatus(status).getMessage(), "message", message));
        }
    }

    static boolean wantsJson(Context ctx) {
        String path = ctx.path();
        if (path.startsWith("/api/") || path.equals("/predict") || path.startsWith("/health") || path.equals("/openapi.json")
                || path.endsWith(".json")) {
            return true;
        }
        String accept = ctx.header("Accept");
        return accept != null && accept.contains("application/json") && !accept.contains("text/html");
    }

    private static TemplateEngine templateEngine() {
        ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver();
        resolver.setPrefix("templates/");
        resolver.setTemplateMode(TemplateMode.HTML);
        resolver.setCharacterEncoding("UTF-8");
        resolver.setCacheable(true);
        TemplateEngine engine = new TemplateEngine();
        engine.setTemplateResolver(resolver);
        return engine;
    }

    /** Opens the data directory, loads the models and starts listening. */
    public static WebApp start(ServiceConfig config) throws IOException {
        AnalysisStore store = AnalysisStore.open(config.dataDir());
        DetectorRegistry registry = null;
        AnalysisService analyses = null;
        try {
            registry = DetectorRegistry.load(config.modelsDir(), config.bundledModels());
            PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            analyses = new AnalysisService(registry, store, config.analysis(), config.dataDir().resolve(AnalysisService.SPOOL_DIR), meters);
            WebApp web = new WebApp(config, store, registry, analyses, meters);
            web.app.start(config.host(), config.port());
            return web;
        } catch (IOException | RuntimeException e) {
            if (analyses != null) {
                analyses.close();
            }
            if (registry != null) {
                registry.close();
            }
            store.close();
            throw e;
        }
    }

    public int port() {
        return app.port();
    }

    public ServiceConfig config() {
        return config;
    }

    public DetectorRegistry registry() {
        return registry;
    }

    public AnalysisService analyses() {
        return analyses;
    }

    /** Stops listening, ends running analyses (marked failed) and closes the database. */
    @Override
    public void close() {
        app.stop();
        analyses.close();
        registry.close();
        store.close();
    }
}
