package io.anomalyze.web;

import io.anomalyze.analysis.AnalysisService;
import io.anomalyze.store.AnalysisSummary;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.function.Predicate;

/** The one way an upload becomes an analysis, shared by the API, the form and the sample buttons. */
final class Uploads {

    private Uploads() {
    }

    /**
     * Refuses at once (503) when no slot is free, streams the multipart file to disk, then takes a
     * slot, starts the analysis and waits up to {@code wait}. The slot is taken only once the body
     * is in, so clients that send slowly hold none.
     *
     * @param csrf the check of the form's CSRF field, or null when the request needs none
     */
    static AnalysisSummary receiveAndStart(AnalysisService analyses, Context ctx, long maxBytes, Duration wait,
                                           Predicate<String> csrf) throws IOException, InterruptedException {
        analyses.requireFreeSlot();
        Path file = analyses.newUploadFile();
        AnalysisService.Reservation r;
        MultipartUpload upload;
        try {
            upload = MultipartUpload.receive(ctx, file, maxBytes, csrf);
            r = analyses.reserve(file);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        try (r) {
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
