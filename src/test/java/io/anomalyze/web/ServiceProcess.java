package io.anomalyze.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The service started as an operator starts it, {@code serve} in a JVM of its own, on a data
 * directory and without models, its output in a log file: for tests of what a process's heap,
 * death or restart does to the data.
 */
final class ServiceProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");

    private final Process process;
    private final Path log;
    private final String base;

    private ServiceProcess(Process process, Path log, String base) {
        this.process = process;
        this.log = log;
        this.base = base;
    }

    /** Starts the service with the heap limit {@code heap} (such as {@code -Xmx128m}) and waits until it listens. */
    static ServiceProcess start(Path data, Path log, String heap) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, heap, "-cp", System.getProperty("java.class.path"),
                "io.anomalyze.cli.Main", "serve", "--port", "0", "--data-dir", data.toString(),
                "--models-dir", data.resolve("no-models").toString(), "--threads", "1");
        pb.environment().remove("ANOMALYZE_API_TOKEN");
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        Process p = pb.start();
        try {
            return new ServiceProcess(p, log, waitForAddress(log, p));
        } catch (Exception | AssertionError e) {
            p.destroyForcibly();
            throw e;
        }
    }

    /** Waits for the process to say where it listens. */
    private static String waitForAddress(Path log, Process p) throws Exception {
        long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < giveUp) {
            if (Files.exists(log)) {
                Matcher m = LISTENING.matcher(Files.readString(log, StandardCharsets.ISO_8859_1));
                if (m.find()) {
                    return "http://127.0.0.1:" + m.group(1);
                }
            }
            if (!p.isAlive()) {
                throw new AssertionError("the service exited: " + Files.readString(log, StandardCharsets.ISO_8859_1));
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the service did not start: " + Files.readString(log, StandardCharsets.ISO_8859_1));
    }

    /** The service's address, such as {@code http://127.0.0.1:41234}. */
    String base() {
        return base;
    }

    /** Everything the service wrote so far. */
    String log() throws IOException {
        return Files.readString(log, StandardCharsets.ISO_8859_1);
    }

    /** Kills the process with SIGKILL, as a crash or the kernel's OOM killer would, and returns its exit status. */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(60, TimeUnit.SECONDS);
        return process.exitValue();
    }

    /** Stops the service as an operator would (SIGTERM) and waits for it to exit. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor(60, TimeUnit.SECONDS);
    }
}
