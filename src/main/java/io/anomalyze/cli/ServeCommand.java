package io.anomalyze.cli;

import io.anomalyze.analysis.AnalysisSettings;
import io.anomalyze.read.InputLimits;
import io.anomalyze.web.ServiceConfig;
import io.anomalyze.web.WebApp;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** {@code serve}: the web service and JSON API. Every flag has an environment variable. */
final class ServeCommand {

    static final String USAGE = """
            Usage: serve [--host H] [--port P] [--data-dir DIR] [--max-upload-mb N]
                         [--models-dir DIR] [--samples-dir DIR] [--threads N] [--queue N]
              --host           interface to listen on (ANOMALYZE_HOST, default 127.0.0.1)
              --port           port (ANOMALYZE_PORT, default 7070)
              --data-dir       database and in-flight uploads (ANOMALYZE_DATA_DIR, default ./data)
              --max-upload-mb  largest accepted upload (ANOMALYZE_MAX_UPLOAD_MB, default 1024)
              --models-dir     models loaded over the bundled ones (ANOMALYZE_MODELS_DIR, default ./models)
              --samples-dir    files offered for one-click analysis (ANOMALYZE_SAMPLES_DIR, default ./uploads)
              --threads        analyses run at once (ANOMALYZE_THREADS, default half the cores)
              --queue          analyses waiting before uploads get 503 (ANOMALYZE_QUEUE, default 16)
            """;

    private ServeCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws IOException {
        return run(args, System.getenv(), out, err);
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) throws IOException {
        Arguments a = new Arguments(args, 0,
                Set.of("host", "port", "data-dir", "max-upload-mb", "models-dir", "samples-dir", "threads", "queue"), Set.of());
        if (a.help()) {
            out.print(USAGE);
            return Main.OK;
        }
        if (!a.positional().isEmpty()) {
            throw new UsageException("serve takes no positional arguments");
        }
        ServiceConfig config = config(a, env);
        long started = System.nanoTime();
        WebApp app = WebApp.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "shutdown"));
        out.printf("Anomalyze listening on http://%s:%d (models: %s; data: %s) in %.1f s%n", config.host(), app.port(),
                app.registry().kinds().isEmpty() ? "none" : String.join(", ", app.registry().kinds()),
                config.dataDir().toAbsolutePath(), (System.nanoTime() - started) / 1e9);
        return Main.OK;
    }

    static ServiceConfig config(Arguments a, Map<String, String> env) {
        String host = option(a, env, "host", ServiceConfig.DEFAULT_HOST);
        int port = (int) number(a, env, "port", ServiceConfig.DEFAULT_PORT, 0, 65535);
        Path dataDir = Path.of(option(a, env, "data-dir", "data"));
        long maxMb = number(a, env, "max-upload-mb", ServiceConfig.DEFAULT_MAX_UPLOAD_MB, 1, 1L << 20);
        Path models = Path.of(option(a, env, "models-dir", "models"));
        Path samples = Path.of(option(a, env, "samples-dir", "uploads"));
        AnalysisSettings d = AnalysisSettings.defaults();
        int threads = (int) number(a, env, "threads", d.threads(), 1, 256);
        int queue = (int) number(a, env, "queue", d.queueCapacity(), 0, 100_000);
        return new ServiceConfig(host, port, dataDir, models, samples, maxMb << 20,
                new AnalysisSettings(threads, queue, InputLimits.DEFAULTS));
    }

    private static String envName(String option) {
        return "ANOMALYZE_" + option.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
    }

    private static String option(Arguments a, Map<String, String> env, String name, String fallback) {
        String v = a.value(name, null);
        if (v == null) {
            v = env.get(envName(name));
        }
        return v == null || v.isBlank() ? fallback : v.strip();
    }

    private static long number(Arguments a, Map<String, String> env, String name, long fallback, long min, long max) {
        String text = option(a, env, name, null);
        if (text == null) {
            return fallback;
        }
        long v;
        try {
            v = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " (" + envName(name) + ") must be a whole number, not \"" + text + "\"");
        }
        if (v < min || v > max) {
            throw new UsageException("--" + name + " (" + envName(name) + ") must be between " + min + " and " + max);
        }
        return v;
    }
}
