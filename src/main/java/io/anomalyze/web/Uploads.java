package io.anomalyze.web;

import io.anomalyze.analysis.AnalysisService;
import io.anomalyze.store.AnalysisSummary;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/** The one way an upload becomes an analysis, shared by the API, the form and the sample buttons. */
final class Uploads {

    private Uploads() {
    }

    /** Takes a slot (or 503), streams the multipart file to disk, starts the analysis and waits up to {@code wait}. */
    static AnalysisSummary receiveAndStart(AnalysisService analyses, Context ctx, long maxBytes, Duration wait)
            throws IOException, InterruptedException {
        AnalysisService.Reservation r = analyses.reserve();
        try (r) {
            MultipartUpload upload = MultipartUpload.receive(ctx, r.file(), maxBytes);
            r.start(upload.clientFileName(), upload.fields().get("detector"));
        }
        return r.awaitResult(wait);
    }

    /** Starts an analysis of a sample file already on the server. */
    static AnalysisSummary startSample(AnalysisService analyses, Path sample, Duration wait) throws IOException, InterruptedException {
        AnalysisService.Reservation r = analyses.reserve();
        try (r) {
            Files.copy(sample, r.file(), StandardCopyOption.REPLACE_EXISTING);
            r.start(sample.getFileName().toString(), "auto");
        }
        return r.awaitResult(wait);
    }
}
