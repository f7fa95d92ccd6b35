package io.anomalyze.capture.flow;

import io.anomalyze.InvalidInputException;
import io.anomalyze.read.flow.FlowFeatures;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Measures agreement with CICFlowMeter's own output for the same capture. Flows correspond when
 * they have the same 5-tuple (either direction) and start within 1 ms; for references whose
 * timestamps have whole-second precision (the original CICFlowMeter, which also writes local
 * time), within the same second after removing the reference's constant clock offset. A
 * feature value agrees when it is within 1e-6 relative or 1e-3 absolute of the reference.
 */
public final class FlowParity implements FlowSink {

    private static final double RELATIVE = 1e-6;
    private static final double ABSOLUTE = 1e-3;
    private static final long MILLISECOND = 1_000L;
    private static final long SECOND = 1_000_000L;

    /** One flow's identity and features, copied out of the builder. */
    record Row(String key, long start, double[] features) {
    }

    private final List<Row> ours = new ArrayList<>();
    private final double[] scratch = new double[FlowFeatures.COUNT];

    @Override
    public void accept(Flow flow) {
        flow.features(scratch, 0);
        ours.add(new Row(key(AddressText.of(flow.srcHigh(), flow.srcLow()), flow.srcPort(),
                AddressText.of(flow.dstHigh(), flow.dstLow()), flow.dstPort(), flow.protocol()),
                flow.startMicros(), scratch.clone()));
    }

    /** The unordered 5-tuple as text. */
    static String key(String a, int aPort, String b, int bPort, int protocol) {
        String x = a + ':' + aPort;
        String y = b + ':' + bPort;
        return (x.compareTo(y) <= 0 ? x + '|' + y : y + '|' + x) + '|' + protocol;
    }

    public int flows() {
        return ours.size();
    }

    /** The result of one comparison. */
    public record Report(String reference, int referenceFlows, int ourFlows, int found, long valuesCompared,
                         long valuesEqual, long[] equalByFeature, long clockOffsetMicros, boolean secondPrecision) {

        public double foundShare() {
            return referenceFlows == 0 ? 1 : (double) found / referenceFlows;
        }

        public double equalShare() {
            return valuesCompared == 0 ? 1 : (double) valuesEqual / valuesCompared;
        }

        public void print(PrintStream out) {
            out.printf(Locale.ROOT, "reference %s: %d flows, ours %d; found %d (%.2f %%); feature values equal %d of %d (%.2f %%)%s%n",
                    reference, referenceFlows, ourFlows, found, 100 * foundShare(), valuesEqual, valuesCompared,
                    100 * equalShare(), secondPrecision ? " [matched to the second; reference clock offset "
                            + clockOffsetMicros / SECOND + " s]" : "");
            if (found == 0) {
                return;
            }
            for (int i = 0; i < FlowFeatures.COUNT; i++) {
                if (equalByFeature[i] < found) {
                    out.printf(Locale.ROOT, "  %-28s %6d of %d equal (%.1f %%)%n", FlowFeatures.name(i), equalByFeature[i],
                            found, 100.0 * equalByFeature[i] / found);
                }
            }
        }
    }

    /** Compares the flows collected so far with a CICFlowMeter CSV. */
    public Report compare(Path referenceCsv) throws IOException {
        List<Row> reference = new ArrayList<>();
        boolean secondPrecision = read(referenceCsv, reference);
        Map<String, List<Row>> byKey = new HashMap<>();
        for (Row r : ours) {
            byKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r);
        }
        long offset = secondPrecision ? clockOffset(reference, byKey) : 0;
        long tolerance = secondPrecision ? SECOND : MILLISECOND;
        int found = 0;
        long compared = 0;
        long equal = 0;
        long[] byFeature = new long[FlowFeatures.COUNT];
        for (Row ref : reference) {
            List<Row> candidates = byKey.get(ref.key());
            if (candidates == null) {
                continue;
            }
            long refStart = ref.start() - offset;
            Row match = null;
            for (Row c : candidates) {
                long start = secondPrecision ? Math.floorDiv(c.start(), SECOND) * SECOND : c.start();
                if (Math.abs(start - refStart) < tolerance + (secondPrecision ? 0 : 1)
                        && (match == null || Math.abs(c.start() - refStart) < Math.abs(match.start() - refStart))) {
                    match = c;
                }
            }
            if (match == null) {
                continue;
            }
            candidates.remove(match);
            found++;
            for (int i = 0; i < FlowFeatures.COUNT; i++) {
                double a = match.features()[i];
                double b = ref.features()[i];
                compared++;
                if (agrees(a, b)) {
                    equal++;
                    byFeature[i]++;
                }
            }
        }
        return new Report(referenceCsv.getFileName().toString(), reference.size(), ours.size(), found, compared, equal,
                byFeature, offset, secondPrecision);
    }

    static boolean agrees(double ours, double reference) {
        if (Double.isNaN(reference) || Double.isInfinite(reference)) {
            return Double.compare(ours, reference) == 0;
        }
        double d = Math.abs(ours - reference);
        return d <= ABSOLUTE || d <= RELATIVE * Math.max(Math.abs(ours), Math.abs(reference));
    }

    /**
     * The reference's clock minus ours, in whole quarter hours (the original tool writes local
     * time): the most common difference, rounded to quarter hours, between flows of the same
     * 5-tuple.
     */
    private static long clockOffset(List<Row> reference, Map<String, List<Row>> byKey) {
        Map<Long, Integer> votes = new HashMap<>();
        for (Row ref : reference) {
            List<Row> candidates = byKey.get(ref.key());
            if (candidates != null) {
                long quarter = 15 * 60 * SECOND;
                for (Row c : candidates) {
                    long diff = Math.round((double) (ref.start() - c.start()) / quarter) * quarter;
                    votes.merge(diff, 1, Integer::sum);
                }
            }
        }
        return votes.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(0L);
    }

    private static final DateTimeFormatter ISO_LIKE = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd").optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd().appendPattern("HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.MICRO_OF_SECOND, 0, 9, true).optionalEnd()
            .optionalStart().appendLiteral('Z').optionalEnd().toFormatter(Locale.ROOT);
    private static final DateTimeFormatter ORIGINAL = DateTimeFormatter.ofPattern("dd/MM/yyyy hh:mm:ss a", Locale.ENGLISH);
    private static final DateTimeFormatter ORIGINAL_24H = DateTimeFormatter.ofPattern("dd/MM/yyyy H:mm[:ss]", Locale.ENGLISH);

    /** Reads a reference CSV; returns whether its timestamps have whole-second precision only. */
    private static boolean read(Path csv, List<Row> into) throws IOException {
        boolean secondPrecision = false;
        try (BufferedReader r = Files.newBufferedReader(csv, StandardCharsets.ISO_8859_1)) {
            String header = r.readLine();
            if (header == null) {
                throw new InvalidInputException(csv + ": the reference file is empty");
            }
            String[] names = header.split(",", -1);
            int[] feature = new int[names.length];
            int src = -1, srcPort = -1, dst = -1, dstPort = -1, protocol = -1, timestamp = -1;
            boolean[] seen = new boolean[FlowFeatures.COUNT];
            for (int c = 0; c < names.length; c++) {
                String n = names[c].strip();
                switch (n.toLowerCase(Locale.ROOT)) {
                    case "src ip", "source ip" -> src = c;
                    case "src port", "source port" -> srcPort = c;
                    case "dst ip", "destination ip" -> dst = c;
                    case "protocol" -> protocol = c;
                    case "timestamp" -> timestamp = c;
                    default -> { }
                }
                int i = FlowFeatures.indexOf(n);
                if (i == FlowFeatures.FWD_HEADER_LENGTH && seen[i]) {
                    i = FlowFeatures.FWD_HEADER_LENGTH_COPY;
                }
                if (i == 0 && (n.equalsIgnoreCase("Dst Port") || n.equalsIgnoreCase("Destination Port"))) {
                    dstPort = c;
                }
                feature[c] = i >= 0 && !seen[i] ? i : -1;
                if (i >= 0) {
                    seen[i] = true;
                }
            }
            if (src < 0 || srcPort < 0 || dst < 0 || dstPort < 0 || protocol < 0 || timestamp < 0) {
                throw new InvalidInputException(csv + ": the reference has no Src IP, Src Port, Dst IP, Dst Port, Protocol"
                        + " and Timestamp columns");
            }
            boolean copyHeaderLength = !seen[FlowFeatures.FWD_HEADER_LENGTH_COPY];
            String line;
            long lineNumber = 1;
            while ((line = r.readLine()) != null) {
                lineNumber++;
                String[] cells = line.split(",", -1);
                if (cells.length < names.length || cells[0].equals(names[0])) {
                    continue;
                }
                double[] f = new double[FlowFeatures.COUNT];
                for (int c = 0; c < names.length; c++) {
                    if (feature[c] >= 0) {
                        f[feature[c]] = number(cells[c], csv, lineNumber, names[c]);
                    }
                }
                if (copyHeaderLength) {
                    f[FlowFeatures.FWD_HEADER_LENGTH_COPY] = f[FlowFeatures.FWD_HEADER_LENGTH];
                }
                String ts = cells[timestamp].strip();
                long start;
                if (ts.indexOf('/') >= 0) {
                    secondPrecision = true;
                    LocalDateTime t = ts.endsWith("M") ? LocalDateTime.parse(ts, ORIGINAL) : LocalDateTime.parse(ts, ORIGINAL_24H);
                    start = t.toEpochSecond(ZoneOffset.UTC) * SECOND;
                } else {
                    LocalDateTime t = LocalDateTime.parse(ts, ISO_LIKE);
                    start = t.toEpochSecond(ZoneOffset.UTC) * SECOND + t.getNano() / 1000;
                }
                into.add(new Row(key(cells[src].strip(), (int) number(cells[srcPort], csv, lineNumber, "Src Port"),
                        cells[dst].strip(), (int) number(cells[dstPort], csv, lineNumber, "Dst Port"),
                        (int) number(cells[protocol], csv, lineNumber, "Protocol")), start, f));
            }
        }
        return secondPrecision;
    }

    private static double number(String cell, Path csv, long line, String column) {
        String s = cell.strip();
        try {
            return switch (s) {
                case "Infinity" -> Double.POSITIVE_INFINITY;
                case "-Infinity" -> Double.NEGATIVE_INFINITY;
                case "NaN" -> Double.NaN;
                case "" -> 0;
                default -> Double.parseDouble(s);
            };
        } catch (NumberFormatException e) {
            throw new InvalidInputException(csv + ": line " + line + ", column " + column.strip() + ": \"" + s
                    + "\" is not a number");
        }
    }

}
