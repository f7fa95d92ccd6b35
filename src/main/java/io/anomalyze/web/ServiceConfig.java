package io.anomalyze.web;

import io.anomalyze.analysis.AnalysisSettings;
import java.nio.file.Path;

/**
 * Everything the service is started with.
 *
 * @param host           interface to listen on (127.0.0.1 unless told otherwise)
 * @param port           port, 0 for any free one
 * @param dataDir        where the database and in-flight uploads live
 * @param modelsDir      extra models, loaded over the bundled ones (may be absent)
 * @param samplesDir     sample files offered for one-click analysis (may be absent)
 * @param maxUploadBytes largest accepted upload
 * @param analysis       analysis pool and input limits
 * @param bundledModels  whether the models bundled in the jar are loaded (else only {@code modelsDir}'s)
 * @param apiToken       when not null, the token that write and delete actions need
 * @param web            what one HTTP client may send and hold
 */
public record ServiceConfig(String host, int port, Path dataDir, Path modelsDir, Path samplesDir,
                            long maxUploadBytes, AnalysisSettings analysis, boolean bundledModels, String apiToken,
                            WebLimits web) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 7070;
    public static final long DEFAULT_MAX_UPLOAD_MB = 1024;

    /** A configuration that loads the bundled models, then those of {@code modelsDir}. */
    public ServiceConfig(String host, int port, Path dataDir, Path modelsDir, Path samplesDir, long maxUploadBytes,
                         AnalysisSettings analysis) {
        this(host, port, dataDir, modelsDir, samplesDir, maxUploadBytes, analysis, true, null, WebLimits.DEFAULTS);
    }

    /** A configuration without an API token. */
    public ServiceConfig(String host, int port, Path dataDir, Path modelsDir, Path samplesDir, long maxUploadBytes,
                         AnalysisSettings analysis, boolean bundledModels) {
        this(host, port, dataDir, modelsDir, samplesDir, maxUploadBytes, analysis, bundledModels, null, WebLimits.DEFAULTS);
    }

    public long maxUploadMb() {
        return maxUploadBytes >> 20;
    }

    public ServiceConfig withPort(int newPort) {
        return new ServiceConfig(host, newPort, dataDir, modelsDir, samplesDir, maxUploadBytes, analysis, bundledModels, apiToken, web);
    }

    public ServiceConfig withApiToken(String token) {
        return new ServiceConfig(host, port, dataDir, modelsDir, samplesDir, maxUploadBytes, analysis, bundledModels, token, web);
    }

    public ServiceConfig withWebLimits(WebLimits limits) {
        return new ServiceConfig(host, port, dataDir, modelsDir, samplesDir, maxUploadBytes, analysis, bundledModels, apiToken, limits);
    }

    /** Never prints the token. */
    @Override
    public String toString() {
        return "ServiceConfig[host=" + host + ", port=" + port + ", dataDir=" + dataDir + ", modelsDir=" + modelsDir
                + ", samplesDir=" + samplesDir + ", maxUploadBytes=" + maxUploadBytes + ", analysis=" + analysis
                + ", bundledModels=" + bundledModels + ", apiToken=" + (apiToken == null ? "none" : "set") + ", web=" + web + "]";
    }
}
