package io.anomalyze.web;

import io.anomalyze.InvalidInputException;
import io.anomalyze.analysis.AnalysisDeletedException;
import io.anomalyze.analysis.AnalysisQueueFullException;
import io.anomalyze.analysis.AnalysisRunningException;
import io.anomalyze.analysis.AnalysisService;
import io.anomalyze.analysis.PredictionService;
import io.anomalyze.analysis.StorageFullException;
import io.anomalyze.detect.DetectorRegistry;
import io.anomalyze.detect.ModelNotLoadedException;
import io.anomalyze.store.AnalysisStore;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.http.staticfiles.Location;
import io.javalin.rendering.template.JavalinThymeleaf;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.FilterHolder;
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
    private final Origins origins;
    private final ClientLimits clients;
    /** The methods of each route pattern, for the {@code Allow} header of 405 answers. */
    private final Map<String, Set<String>> methods = new LinkedHashMap<>();

    private WebApp(ServiceConfig config, AnalysisStore store, DetectorRegistry registry, AnalysisService analyses,
                   PrometheusMeterRegistry meters) {
        this.config = config;
        this.store = store;
        this.registry = registry;
        this.analyses = analyses;
        this.meters = meters;
        WebLimits limits = config.web();
        this.access = new Access(config.apiToken(), new TokenThrottle(limits.tokenFailures()));
        this.origins = new Origins(config.host(), limits.allowedHosts());
        this.clients = new ClientLimits(limits);
        ExportSlots exports = new ExportSlots(analyses.settings().maxExports());
        ApiHandlers api = new ApiHandlers(analyses, new PredictionService(registry, limits.maxPredictRecords()), config, meters, exports);
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
            // Only forms are read whole by Javalin; uploads and JSON bodies are streamed with their own limits.
            c.http.maxRequestSize = limits.maxFormBytes();
            c.http.prefer405over404 = true;
            // A client that hangs up is counted as such (nginx's 499), not as a server error.
            c.jetty.clientAbortStatus = 499;
            c.jetty.modifyServletContextHandler(h -> h.addFilter(new FilterHolder(new BodyPace(limits, UPLOAD_PATHS)), "/*",
                    EnumSet.of(DispatcherType.REQUEST)));
        });
        routes(app, api, pages, new FindingsApi(analyses, exports));
    }

    /**
     * Every route of the service, in one place, with what guards it: {@code transfer} (a client's
     * share of uploads and exports), {@code form} (same origin and the form's CSRF token),
     * {@code upload} (same origin; the CSRF field is checked as the body streams in),
     * {@code apiWrite} (same origin and CSRF header when a browser sends it), and {@code access}
     * (the API token or a session, when one is configured). Each GET route answers HEAD the same
     * way, without the body.
     */
    private void routes(Javalin app, ApiHandlers api, PageHandlers pages, FindingsApi findings) {
        app.before(this::beforeRequest);
        app.after(this::afterRequest);

        get("/", pages::home);
        get("/login", pages::loginForm);
        post("/login", form(pages::login));
        post("/logout", form(pages::logout));
        post("/analyses", clients.transfer(upload(access.browser(pages::upload))));
        post("/samples", form(access.browser(pages::analyseSample)));
        get("/analyses", pages::history);
        get("/analyses/{id}", pages::analysis);
        get("/analyses/{id}/metrics", pages::metrics);
        get("/analyses/{id}/incidents", pages::incidents);
        get("/analyses/{id}/hosts", pages::hosts);
        post("/analyses/{id}/delete", form(access.browser(pages::delete)));
        get("/analyses/{id}/export.csv", clients.transfer(api::exportCsv));
        get("/analyses/{id}/export.json", clients.transfer(api::exportJson));
        get("/analyses/{id}/export.ndjson", clients.transfer(findings::exportNdjson));
        get("/models", pages::models);
        get("/swagger", pages::swagger);

        post("/api/v1/analyses", clients.transfer(apiWrite(access.api(api::createAnalysis))));
        get("/api/v1/analyses", api::listAnalyses);
        get("/api/v1/analyses/{id}", api::getAnalysis);
        get("/api/v1/analyses/{id}/records", api::records);
        get("/api/v1/analyses/{id}/incidents", findings::incidents);
        get("/api/v1/analyses/{id}/timeline", findings::timeline);
        get("/api/v1/analyses/{id}/hosts", api::hosts);
        delete("/api/v1/analyses/{id}", apiWrite(access.api(api::deleteAnalysis)));
        get("/api/v1/models", api::models);
        post("/api/v1/predict", api::predict);
        post("/predict", api::predict);
        get("/health", api::health);
        get("/health/ready", api::ready);
        get("/metrics", api::prometheus);
        get("/openapi.json", api::openApi);

        app.exception(HttpError.class, (e, ctx) -> {
            if (e.status() == 408) {
                // The rest of the body is not read: the connection cannot carry another request.
                ctx.header("Connection", "close");
            }
            error(ctx, e.status(), e.getMessage());
        });
        app.exception(ModelNotLoadedException.class, (e, ctx) -> error(ctx, 422, e.getMessage()));
        app.exception(InvalidInputException.class, (e, ctx) -> error(ctx, e.isLimitExceeded() ? 413 : 400, e.getMessage()));
        app.exception(AnalysisDeletedException.class, (e, ctx) -> error(ctx, 410, e.getMessage()));
        app.exception(AnalysisRunningException.class, (e, ctx) -> error(ctx, 409, e.getMessage()));
        app.exception(BadMessageException.class, (e, ctx) -> error(ctx, e.getCode(), "the request is not valid HTTP (" + e.getReason() + ")"));
        app.exception(HttpResponseException.class, (e, ctx) -> {
            if (e.getStatus() == 404 || e.getStatus() == 405) {
                ctx.status(e.getStatus());
            } else if (e.getStatus() == 413) {
                error(ctx, 413, "the form is larger than the limit of " + (config.web().maxFormBytes() >> 10)
                        + " KB (--max-form-kb / ANOMALYZE_MAX_FORM_KB)");
            } else {
                error(ctx, e.getStatus(), e.getMessage());
            }
        });
        app.exception(AnalysisQueueFullException.class, (e, ctx) -> {
            ctx.header("Retry-After", Integer.toString(e.retryAfterSeconds()));
            error(ctx, 503, e.getMessage());
        });
        app.exception(StorageFullException.class, (e, ctx) -> error(ctx, 507, e.getMessage()));
        app.exception(AnalysisStore.StoreException.class, (e, ctx) -> {
            // The store has reopened the database if the error closed it; /health says if that failed.
            LOG.error("{} {} failed in the database", ctx.method(), ctx.path(), e);
            ctx.header("Retry-After", "10");
            error(ctx, 503, "the database failed to answer; retry in 10 s");
        });
        app.exception(Exception.class, (e, ctx) -> {
            if (clientGone(e)) {
                // Nobody is left to answer: a client that hangs up mid-transfer is not a fault of the service.
                LOG.debug("{} {}: the client went away ({})", ctx.method(), ctx.path(), e.toString());
                ctx.status(499);
                return;
            }
            LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
            error(ctx, 500, "internal error; the service log has the details");
        });
        app.error(404, ctx -> {
            if (ctx.result() == null || ctx.result().isEmpty() || ctx.result().equals("Endpoint " + ctx.method() + " " + ctx.path() + " not found")) {
                error(ctx, 404, "no such page: " + ctx.path());
            }
        });
        app.error(405, ctx -> {
            Set<String> allowed = allowedMethods(ctx.path());
            if (!allowed.isEmpty()) {
                ctx.header("Allow", String.join(", ", allowed));
            }
            error(ctx, 405, ctx.method() + " is not allowed on " + ctx.path()
                    + (allowed.isEmpty() ? "" : "; it answers " + String.join(", ", allowed)));
        });
    }

    private void get(String path, Handler handler) {
        app.get(path, handler);
        app.head(path, handler);
        allow(path, "GET", "HEAD");
    }

    private void post(String path, Handler handler) {
        app.post(path, handler);
        allow(path, "POST");
    }

    private void delete(String path, Handler handler) {
        app.delete(path, handler);
        allow(path, "DELETE");
    }

    private void allow(String path, String... verbs) {
        methods.computeIfAbsent(path, p -> new LinkedHashSet<>()).addAll(List.of(verbs));
    }

    private Set<String> allowedMethods(String path) {
        Set<String> out = new LinkedHashSet<>();
        methods.forEach((pattern, verbs) -> {
            if (path.matches(pattern.replace(".", "\\.").replaceAll("\\{[^}]+}", "[^/]+"))) {
                out.addAll(verbs);
            }
        });
        return out;
    }

    /** A url-encoded form of this service's pages: same origin, and its CSRF field (or header) right. */
    private Handler form(Handler handler) {
        return ctx -> {
            origins.checkSameOrigin(ctx);
            String sent = ctx.header(Access.CSRF_HEADER);
            if (!access.csrfValid(ctx, sent == null ? ctx.formParam(Access.CSRF_FIELD) : sent)) {
                throw Access.csrfRefused();
            }
            handler.handle(ctx);
        };
    }

    /** The upload form: same origin now; its CSRF field is checked before its file is read. */
    private Handler upload(Handler handler) {
        return ctx -> {
            origins.checkSameOrigin(ctx);
            handler.handle(ctx);
        };
    }

    /**
     * An API write. Scripts (no {@code Origin}, {@code Sec-Fetch-Site} or cookie) and bearer-token
     * clients pass; a browser must send it from this service's pages, with the CSRF header.
     */
    private Handler apiWrite(Handler handler) {
        return ctx -> {
            if (ctx.header("Authorization") == null && Origins.fromBrowser(ctx)) {
                origins.checkSameOrigin(ctx);
                if (!access.csrfValid(ctx, ctx.header(Access.CSRF_HEADER))) {
                    throw Access.csrfRefused();
                }
            }
            handler.handle(ctx);
        };
    }

    /** The client closed the connection: an early end of its body, or a write that found no one to read it. */
    static boolean clientGone(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof EofException || t instanceof java.nio.channels.ClosedChannelException) {
                return true;
            }
            String m = t.getMessage();
            if (t instanceof IOException && m != null && (m.contains("Broken pipe") || m.contains("Connection reset"))) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /**
     * Security headers on every answer (Swagger UI alone may use inline styles), no caching of
     * anything but static files, then the checks every request passes: a host name this service
     * answers to, its client's share of requests, and a small body unless it is an upload or JSON.
     */
    private static final String CONTENT_POLICY = contentPolicy("");
    /** Swagger UI's page sets styles inline. */
    private static final String SWAGGER_CONTENT_POLICY = contentPolicy(" 'unsafe-inline'");

    private static String contentPolicy(String extraStyle) {
        return "default-src 'self'; script-src 'self'; style-src 'self'" + extraStyle
                + "; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";
    }

    private void beforeRequest(Context ctx) {
        ctx.attribute(STARTED_AT, System.nanoTime());
        boolean swagger = ctx.path().equals("/swagger") || ctx.path().startsWith("/webjars/");
        ctx.header("Content-Security-Policy", swagger ? SWAGGER_CONTENT_POLICY : CONTENT_POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        // same-origin, not no-referrer: under no-referrer browsers send "Origin: null" on this service's own forms.
        ctx.header("Referrer-Policy", "same-origin");
        ctx.header("Cross-Origin-Opener-Policy", "same-origin");
        ctx.header("Cross-Origin-Resource-Policy", "same-origin");
        if (!ctx.path().startsWith("/static/") && !ctx.path().startsWith("/webjars/")) {
            ctx.header("Cache-Control", "no-store");
        }
        if (!ctx.path().equals("/health") && !ctx.path().startsWith("/health/")) {
            origins.checkHost(ctx);
        }
        clients.enter(ctx);
        checkSmallBody(ctx);
    }

    private static final Set<String> UPLOAD_PATHS = Set.of("/analyses", "/api/v1/analyses");
    private static final Set<String> LARGE_BODY_PATHS = Set.of("/analyses", "/api/v1/analyses", "/api/v1/predict", "/predict");

    /** Bodies other than uploads and JSON are forms: refused before they are read when over the form limit. */
    private void checkSmallBody(Context ctx) {
        if (LARGE_BODY_PATHS.contains(ctx.path())) {
            return;
        }
        long length = ctx.req().getContentLengthLong();
        int max = config.web().maxFormBytes();
        if (length > max) {
            throw InvalidInputException.limit("the form is larger than the limit of " + (max >> 10)
                    + " KB (--max-form-kb / ANOMALYZE_MAX_FORM_KB)");
        }
        if (length < 0 && ctx.header("Transfer-Encoding") != null) {
            throw new HttpError(411, "a form needs a Content-Length header");
        }
    }

    /** A request timer's tags: routes are the route table's, so there are few of these. */
    private record TimerKey(String method, String route, int status) {
    }

    // Finding a timer through its builder makes its id and tags anew on every request.
    private final java.util.concurrent.ConcurrentHashMap<TimerKey, Timer> requestTimers = new java.util.concurrent.ConcurrentHashMap<>();

    private void afterRequest(Context ctx) {
        clients.leave(ctx);
        Long started = ctx.attribute(STARTED_AT);
        if (started == null) {
            return;
        }
        String route = ctx.endpointHandlerPath();
        if (route.isEmpty() || route.equals("*")) {
            route = ctx.path().startsWith("/static/") || ctx.path().startsWith("/webjars/") ? "static" : "unmatched";
        }
        String method = ctx.method().name();
        int status = ctx.statusCode();
        String metricRoute = route;
        requestTimers.computeIfAbsent(new TimerKey(method, metricRoute, status), k -> Timer.builder("http.server.requests")
                        .tag("method", method).tag("route", metricRoute).tag("status", Integer.toString(status)).register(meters))
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
        return start(config, () -> DetectorRegistry.load(config.modelsDir(), config.bundledModels()));
    }

    /** Loads the models an application embedding the service has its own way. */
    @FunctionalInterface
    public interface ModelSource {
        DetectorRegistry load() throws IOException;
    }

    /** Opens the data directory, takes the models {@code models} loads (closed with the app) and starts listening. */
    public static WebApp start(ServiceConfig config, ModelSource models) throws IOException {
        AnalysisStore store = AnalysisStore.open(config.dataDir());
        DetectorRegistry registry = null;
        AnalysisService analyses = null;
        try {
            registry = models.load();
            PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            analyses = new AnalysisService(registry, store, config.analysis(), config.dataDir().resolve(AnalysisService.SPOOL_DIR), meters);
            WebApp web = new WebApp(config, store, registry, analyses, meters);
            web.app.start(config.host(), config.port());
            for (Connector c : web.app.jettyServer().server().getConnectors()) {
                if (c instanceof ServerConnector sc) {
                    sc.setIdleTimeout(config.web().idleTimeoutSeconds() * 1000L);
                }
            }
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
