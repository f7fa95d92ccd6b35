package io.anomalyze.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anomalyze.Decimals;
import io.anomalyze.Json;
import io.anomalyze.bench.BenchmarkRun;
import io.anomalyze.bench.StageResult;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import io.anomalyze.bench.SyntheticCapture;
import java.util.List;
import java.util.Set;

/** {@code bench}: records per second of every stage, median and spread over several runs. */
final class BenchCommand {

    static final String USAGE = """
            Usage: bench [--records N] [--runs N] [--samples DIR] [--json]
                   bench --capture SOURCE.pcap [--packets N] [--snaplen N] [--runs N] [--keep FILE]
              Generates N records of each layout by cycling the samples in DIR (default
              uploads/: KDDTest+.txt and MachineLearningCVE-sample.csv; default
              1,000,000 connection records and as many flow records), warms up (once per
              stage, ten uploads for HTTP), then times each stage --runs times (default 5):
              connection parsing, K-means scoring (65,536 encoded records, on one thread
              and on every core), the K-means pipeline, flow parsing (without and with
              Flow ID, addresses, ports, protocol and timestamp columns), ONNX inference, the
              MLP pipeline, and the upload round trip of uploads/KDDTest+.txt over HTTP on
              loopback.
              With --capture: a capture of N packets (default 1,000,000) made by repeating
              SOURCE (a classic Ethernet pcap) with shifted times and addresses, records cut
              to --snaplen bytes (default 128), written to a temporary file (or --keep FILE,
              which is kept), then the capture stages alone in packets per second: reading
              packets, building flows, and capture -> verdicts.
            """;

    private BenchCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws IOException {
        Arguments a = new Arguments(args, 0, Set.of("records", "runs", "samples", "capture", "packets", "snaplen", "keep"),
                Set.of("json"));
        if (a.help()) {
            out.print(USAGE);
            return Main.OK;
        }
        long records = a.longValue("records", 1_000_000);
        int runs = (int) a.longValue("runs", 5);
        if (records < 1 || runs < 1) {
            throw new UsageException("--records and --runs must be at least 1");
        }
        Path samples = Path.of(a.value("samples", "uploads"));
        List<StageResult> results;
        String capture = a.value("capture", null);
        if (capture != null) {
            long packets = a.longValue("packets", 1_000_000);
            long snaplen = a.longValue("snaplen", 128);
            if (packets < 1 || snaplen < 64 || snaplen > 262_144) {
                throw new UsageException("--packets must be at least 1 and --snaplen between 64 and 262144");
            }
            String keep = a.value("keep", null);
            Path file = keep != null ? Path.of(keep) : Files.createTempFile("anomalyze-bench", ".pcap");
            try {
                long written = SyntheticCapture.repeat(Path.of(capture), packets, (int) snaplen, file);
                err.printf("%,d packets written to %s (%,d bytes)%n", written, file, Files.size(file));
                results = new BenchmarkRun(samples, records, runs, err::println).runCapture(file);
            } finally {
                if (keep == null) {
                    Files.deleteIfExists(file);
                }
            }
        } else {
            results = new BenchmarkRun(samples, records, runs, err::println).run();
        }
        if (a.flag("json")) {
            ObjectNode o = Json.object();
            o.put("cores", Runtime.getRuntime().availableProcessors());
            o.put("java", System.getProperty("java.version"));
            ArrayNode stages = o.putArray("stages");
            for (StageResult r : results) {
                ObjectNode s = stages.addObject();
                s.put("stage", r.stage());
                s.put("records", r.records());
                s.put("medianSeconds", Decimals.round(r.medianSeconds(), 6));
                s.put("medianRecordsPerSecond", Math.round(r.medianRecordsPerSecond()));
                s.put("minRecordsPerSecond", Math.round(r.minRecordsPerSecond()));
                s.put("maxRecordsPerSecond", Math.round(r.maxRecordsPerSecond()));
            }
            out.println(Json.MAPPER.writeValueAsString(o));
        } else {
            out.printf("%-32s %12s %14s %14s %12s%n", "stage", "records", "median rec/s", "min..max rec/s", "median s");
            for (StageResult r : results) {
                out.printf("%-32s %,12d %,14.0f %,6.0f..%,-7.0f %12.4f%n", r.stage(), r.records(), r.medianRecordsPerSecond(),
                        r.minRecordsPerSecond(), r.maxRecordsPerSecond(), r.medianSeconds());
            }
            out.printf("(%d cores, Java %s)%n", Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        }
        return Main.OK;
    }
}
