package io.anomalyze.cli;

import io.anomalyze.analysis.AnalysisSettings;
import io.anomalyze.analysis.IncidentBuilder;
import io.anomalyze.read.InputLimits;
import io.anomalyze.store.DataDirectoryException;
import io.anomalyze.web.ServiceConfig;
import io.anomalyze.web.WebLimits;
import io.anomalyze.web.WebApp;
import io.javalin.util.JavalinBindException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code serve}: the web service and JSON API. Every flag has an environment variable. */
final class ServeCommand {

    static final String USAGE = """
            Usage: serve [--host H] [--port P] [--data-dir DIR] [--max-upload-mb N]
                         [--models-dir DIR] [--no-bundled-models] [--samples-dir DIR] [--threads N] [--queue N]
                         [--max-decompressed-mb N] [--max-compression-ratio N] [--max-line-kb N] [--max-records N]
                         [--incident-gap-minutes N] [--max-open-incidents N] [--max-exports N]
                         [--allowed-hosts H,H] [--max-json-mb N] [--max-form-kb N] [--body-timeout S] [--min-body-rate B]
                         [--idle-timeout S] [--max-client-requests N] [--max-client-transfers N] [--max-token-failures N]
                         [--max-predict-records N] [--max-json-fields N]
              --host           interface to listen on (ANOMALYZE_HOST, default 127.0.0.1)
              --port           port (ANOMALYZE_PORT, default 7070)
              --data-dir       database and in-flight uploads (ANOMALYZE_DATA_DIR, default ./data)
              --max-upload-mb  largest accepted upload (ANOMALYZE_MAX_UPLOAD_MB, default 1024)
              --models-dir     models loaded over the bundled ones (ANOMALYZE_MODELS_DIR, default ./models)
              --no-bundled-models  serve only the models of --models-dir (ANOMALYZE_BUNDLED_MODELS=false)
              --samples-dir    files offered for one-click analysis (ANOMALYZE_SAMPLES_DIR, default ./uploads)
              --threads        analyses run at once (ANOMALYZE_THREADS, default half the cores)
              --queue          analyses waiting before uploads get 503 (ANOMALYZE_QUEUE, default 16)
              --max-decompressed-mb    most a gzip upload may expand to (ANOMALYZE_MAX_DECOMPRESSED_MB, default 16384)
              --max-compression-ratio  most a gzip upload may expand, as a ratio (ANOMALYZE_MAX_COMPRESSION_RATIO, default 200)
              --max-line-kb    longest accepted line (ANOMALYZE_MAX_LINE_KB, default 1024)
              --max-records    most records in one analysis (ANOMALYZE_MAX_RECORDS, default 50000000)
              --incident-gap-minutes  a gap longer than this splits an incident (ANOMALYZE_INCIDENT_GAP_MINUTES, default 5)
              --max-open-incidents    most incidents an analysis keeps open; past it the least recent closes
                                      (ANOMALYZE_MAX_OPEN_INCIDENTS, default 100000)
              --max-exports    CSV, JSON and NDJSON exports streamed at once before 503 (ANOMALYZE_MAX_EXPORTS, default 4)
              --allowed-hosts  host names the service answers to, comma-separated, * for any (ANOMALYZE_ALLOWED_HOSTS,
                               default the --host address, localhost and 127.0.0.1)
              --max-json-mb    largest JSON body of /api/v1/predict (ANOMALYZE_MAX_JSON_MB, default 16)
              --max-predict-records  records in one /api/v1/predict request, and values in one JSON array
                                     (ANOMALYZE_MAX_PREDICT_RECORDS, default 10000)
              --max-json-fields      fields in one JSON object (ANOMALYZE_MAX_JSON_FIELDS, default 1000)
              --max-form-kb    largest form body (ANOMALYZE_MAX_FORM_KB, default 64)
              --body-timeout   seconds a client has to send a JSON body (ANOMALYZE_BODY_TIMEOUT, default 60)
              --min-body-rate  slowest accepted body, bytes per second (ANOMALYZE_MIN_BODY_RATE, default 1024)
              --idle-timeout   seconds a connection may stay silent (ANOMALYZE_IDLE_TIMEOUT, default 30)
              --max-client-requests   requests in progress per client address (ANOMALYZE_MAX_CLIENT_REQUESTS, default 128)
              --max-client-transfers  uploads and exports in progress per client address (ANOMALYZE_MAX_CLIENT_TRANSFERS, default 16)
              --max-token-failures    wrong tokens per client address before it must wait (ANOMALYZE_MAX_TOKEN_FAILURES, default 5)
            docs/OPERATIONS.md describes each limit and what a client sees past it.
            With ANOMALYZE_API_TOKEN set, uploads and deletions need that token: API clients send
            Authorization: Bearer <token>, browsers log in with it at /login.
            """;

    private ServeCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws IOException {
        return run(args, System.getenv(), out, err);
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) throws IOException {
        Arguments a = new Arguments(args, 0,
                Set.of("host", "port", "data-dir", "max-upload-mb", "models-dir", "samples-dir", "threads", "queue",
                        "max-decompressed-mb", "max-compression-ratio", "max-line-kb", "max-records",
                        "incident-gap-minutes", "max-open-incidents", "allowed-hosts", "max-json-mb",
                        "max-form-kb", "body-timeout", "min-body-rate", "idle-timeout", "max-client-requests", "max-client-transfers",
                        "max-token-failures", "max-exports", "max-predict-records", "max-json-fields"),
                Set.of("no-bundled-models"));
        if (a.help()) {
            out.print(USAGE);
            return Main.OK;
        }
        if (!a.positional().isEmpty()) {
            throw new UsageException("serve takes no positional arguments");
        }
        ServiceConfig config = config(a, env);
        long started = System.nanoTime();
        String unavailable = cannotListen(config.host(), config.port());
        if (unavailable != null) {
            err.println("anomalyze: " + unavailable);
            return Main.FAILED;
        }
        WebApp app;
        try {
            app = WebApp.start(config);
        } catch (JavalinBindException e) {
            // Taken between the check above and the start.
            err.println("anomalyze: " + portInUse(config.host(), config.port()));
            return Main.FAILED;
        } catch (DataDirectoryException e) {
            err.println("anomalyze: " + e.getMessage());
            return Main.FAILED;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "shutdown"));
        out.printf("Anomalyze listening on http://%s:%d (models: %s; data: %s) in %.1f s%n", config.host(), app.port(),
                app.registry().kinds().isEmpty() ? "none" : String.join(", ", app.registry().kinds()),
                config.dataDir().toAbsolutePath(), (System.nanoTime() - started) / 1e9);
        return Main.OK;
    }

    /** Why the service cannot listen on {@code host:port}, or null when it can. */
    static String cannotListen(String host, int port) {
        if (port == 0) {
            return null;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(host, port));
            return null;
        } catch (BindException e) {
            String reason = e.getMessage() == null ? "" : e.getMessage().toLowerCase(java.util.Locale.ROOT);
            if (reason.contains("permission")) {
                return "cannot listen on " + host + ":" + port + ": permission denied (ports below 1024 need privileges);"
                        + " choose another with --port (ANOMALYZE_PORT)";
            }
            if (reason.contains("assign")) {
                return "cannot listen on " + host + ":" + port + ": " + host + " is not an address of this machine;"
                        + " choose another with --host (ANOMALYZE_HOST)";
            }
            return portInUse(host, port);
        } catch (IOException | IllegalArgumentException | SecurityException e) {
            return "cannot listen on " + host + ":" + port + ": " + e.getMessage();
        }
    }

    private static String portInUse(String host, int port) {
        return "cannot listen on " + host + ":" + port + ": the port is already in use; stop what uses it or choose another"
                + " with --port (ANOMALYZE_PORT)";
    }

    static ServiceConfig config(Arguments a, Map<String, String> env) {
        String host = a.option(env, "host", ServiceConfig.DEFAULT_HOST);
        int port = (int) a.number(env, "port", ServiceConfig.DEFAULT_PORT, 0, 65535);
        Path dataDir = Path.of(a.option(env, "data-dir", "data"));
        long maxMb = a.number(env, "max-upload-mb", ServiceConfig.DEFAULT_MAX_UPLOAD_MB, 1, 1L << 20);
        Path models = Path.of(a.option(env, "models-dir", "models"));
        Path samples = Path.of(a.option(env, "samples-dir", "uploads"));
        AnalysisSettings d = AnalysisSettings.defaults();
        int threads = (int) a.number(env, "threads", d.threads(), 1, 256);
        int queue = (int) a.number(env, "queue", d.queueCapacity(), 0, 100_000);
        int exports = (int) a.number(env, "max-exports", d.maxExports(), 1, 1000);
        String bundledEnv = env.get("ANOMALYZE_BUNDLED_MODELS");
        if (bundledEnv != null && !bundledEnv.isBlank() && !bundledEnv.strip().equalsIgnoreCase("true")
                && !bundledEnv.strip().equalsIgnoreCase("false")) {
            throw new UsageException("ANOMALYZE_BUNDLED_MODELS must be true or false, not \"" + bundledEnv + "\"");
        }
        boolean bundled = !a.flag("no-bundled-models") && !"false".equalsIgnoreCase(bundledEnv == null ? "" : bundledEnv.strip());
        InputLimits dl = InputLimits.DEFAULTS;
        long decompressedMb = a.number(env, "max-decompressed-mb", dl.maxDecompressedBytes() >> 20, 1, 1L << 30);
        long ratio = a.number(env, "max-compression-ratio", (long) dl.maxCompressionRatio(), 2, 1_000_000);
        long lineKb = a.number(env, "max-line-kb", dl.maxLineBytes() >> 10, 1, 512 * 1024);
        long records = a.number(env, "max-records", dl.maxRecords(), 1, Long.MAX_VALUE);
        InputLimits limits = new InputLimits((int) (lineKb << 10), dl.maxBadRowFraction(), records, decompressedMb << 20, ratio);
        long gapMinutes = a.number(env, "incident-gap-minutes", IncidentBuilder.DEFAULT_GAP_MICROS / 60_000_000L, 1, 7 * 24 * 60);
        int maxOpenIncidents = (int) a.number(env, "max-open-incidents", IncidentBuilder.DEFAULT_MAX_OPEN, 1, 10_000_000);
        String token = env.get("ANOMALYZE_API_TOKEN");
        if (token != null && !token.isEmpty() && token.strip().length() < 16) {
            throw new UsageException("ANOMALYZE_API_TOKEN must be at least 16 characters long");
        }
        return new ServiceConfig(host, port, dataDir, models, samples, maxMb << 20,
                new AnalysisSettings(threads, queue, limits, gapMinutes * 60_000_000L, maxOpenIncidents, exports), bundled, token == null || token.isBlank() ? null : token.strip(),
                webLimits(a, env));
    }

    static WebLimits webLimits(Arguments a, Map<String, String> env) {
        WebLimits d = WebLimits.DEFAULTS;
        String hostsText = a.option(env, "allowed-hosts", "");
        List<String> hosts = new ArrayList<>();
        for (String h : hostsText.split(",")) {
            if (!h.isBlank()) {
                if (!h.strip().matches("\\*|[A-Za-z0-9.\\-]+|\\[?[0-9A-Fa-f:.]+]?")) {
                    throw new UsageException("--allowed-hosts (ANOMALYZE_ALLOWED_HOSTS): \"" + h.strip() + "\" is not a host name");
                }
                hosts.add(h.strip());
            }
        }
        return new WebLimits(
                a.number(env, "max-json-mb", d.maxJsonBytes() >> 20, 1, 1024) << 20,
                (int) a.number(env, "max-form-kb", d.maxFormBytes() >> 10, 1, 16 * 1024) << 10,
                (int) a.number(env, "body-timeout", d.bodyTimeoutSeconds(), 1, 3600),
                (int) a.number(env, "min-body-rate", d.minBodyRate(), 0, 1 << 30),
                (int) a.number(env, "idle-timeout", d.idleTimeoutSeconds(), 1, 3600),
                (int) a.number(env, "max-client-requests", d.maxClientRequests(), 1, 100_000),
                (int) a.number(env, "max-client-transfers", d.maxClientTransfers(), 1, 10_000),
                (int) a.number(env, "max-token-failures", d.tokenFailures(), 1, 1_000_000),
                hosts,
                (int) a.number(env, "max-predict-records", d.maxPredictRecords(), 1, 1_000_000),
                (int) a.number(env, "max-json-fields", d.maxJsonFields(), 1, 100_000));
    }
}
