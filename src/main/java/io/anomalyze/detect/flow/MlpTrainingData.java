package io.anomalyze.detect.flow;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anomalyze.InvalidInputException;
import io.anomalyze.Json;
import io.anomalyze.read.FileDigest;
import io.anomalyze.read.InputLimits;
import io.anomalyze.read.TrafficInput;
import io.anomalyze.read.flow.FlowBatch;
import io.anomalyze.read.flow.FlowFeatures;
import io.anomalyze.read.flow.FlowLabels;
import io.anomalyze.read.flow.FlowRecordReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The labelled flows of the training files, in memory (they are small: tens of thousands of
 * flows), with the provenance the sidecar records.
 *
 * @param raw       {@code n * 78} raw feature values, row-major
 * @param y         class index into {@link FlowLabels#CLASSES} per row
 * @param fileOf    index into {@code fileNames} per row
 * @param fileNames the training files' names, in the order given
 * @param n         rows
 * @param files     per file: name, SHA-256, records, skipped rows, non-finite cells, class counts
 */
record MlpTrainingData(float[] raw, int[] y, int[] fileOf, List<String> fileNames, int n, ObjectNode files) {

    /** Reads every file; a row without one of the 15 CICIDS2017 labels refuses the file. */
    static MlpTrainingData load(List<Path> paths, Consumer<String> progress) throws IOException {
        List<FlowBatch> batches = new ArrayList<>();
        List<Integer> batchFile = new ArrayList<>();
        List<String> names = new ArrayList<>();
        ObjectNode info = Json.object();
        ArrayNode list = info.putArray("files");
        int total = 0;
        for (Path file : paths) {
            String name = file.getFileName().toString();
            names.add(name);
            TreeMap<String, Integer> counts = new TreeMap<>();
            try (InputStream in = TrafficInput.open(file, InputLimits.DEFAULTS);
                 FlowRecordReader reader = new FlowRecordReader(in, name, InputLimits.DEFAULTS)) {
                while (true) {
                    FlowBatch b = new FlowBatch(8192);
                    if (!reader.read(b)) {
                        break;
                    }
                    for (int r = 0; r < b.size(); r++) {
                        String label = b.label[r];
                        if (label == null || FlowLabels.canonical(label) == null) {
                            throw new InvalidInputException(name + ": line " + b.line[r] + ": training needs one of the 15 CICIDS2017 labels, found "
                                    + (label == null ? "none" : "\"" + label + "\""));
                        }
                        counts.merge(label, 1, Integer::sum);
                    }
                    batches.add(b);
                    batchFile.add(names.size() - 1);
                    total += b.size();
                }
                ObjectNode f = list.addObject();
                f.put("file", name);
                f.put("sha256", FileDigest.sha256(file));
                f.put("records", reader.records());
                f.put("skipped", reader.badRows().count());
                f.put("nonFiniteCells", reader.nonFiniteCells());
                f.set("classes", Json.MAPPER.valueToTree(counts));
                progress.accept("read " + reader.records() + " flows (" + reader.badRows().count() + " skipped) from " + name);
            }
        }
        float[] raw = new float[total * FlowFeatures.COUNT];
        int[] y = new int[total];
        int[] fileOf = new int[total];
        int at = 0;
        for (int bi = 0; bi < batches.size(); bi++) {
            FlowBatch b = batches.get(bi);
            Arrays.fill(fileOf, at, at + b.size(), batchFile.get(bi));
            System.arraycopy(b.features, 0, raw, at * FlowFeatures.COUNT, b.size() * FlowFeatures.COUNT);
            for (int r = 0; r < b.size(); r++) {
                y[at + r] = FlowLabels.indexOf(b.label[r]);
            }
            at += b.size();
        }
        return new MlpTrainingData(raw, y, fileOf, List.copyOf(names), total, info);
    }

    /**
     * Per class of each training file, a seeded shuffle puts {@code validationFraction} of its
     * rows (at least one, if it has two) aside, so both dialects' rare classes are validated.
     *
     * @return the fitting rows and the validation rows, each in ascending order
     */
    Split stratifiedSplit(double validationFraction, Random random) {
        int k = FlowLabels.COUNT;
        int files = Arrays.stream(fileOf).max().orElse(0) + 1;
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < k * files; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            byClass.get(fileOf[i] * k + y[i]).add(i);
        }
        int[] fit = new int[n];
        int[] val = new int[n];
        int nf = 0;
        int nv = 0;
        for (List<Integer> rows : byClass) {
            int[] idx = rows.stream().mapToInt(Integer::intValue).toArray();
            shuffle(idx, random);
            int v = (int) Math.round(idx.length * validationFraction);
            if (v == 0 && idx.length >= 2) {
                v = 1;
            }
            for (int i = 0; i < idx.length; i++) {
                if (i < v) {
                    val[nv++] = idx[i];
                } else {
                    fit[nf++] = idx[i];
                }
            }
        }
        int[] f = Arrays.copyOf(fit, nf);
        int[] v = Arrays.copyOf(val, nv);
        Arrays.sort(f);
        Arrays.sort(v);
        return new Split(f, v);
    }

    /** Row indices of the part the model is fitted on and of the part that chooses the epoch. */
    record Split(int[] fit, int[] validation) {
    }

    /** Rows of class BENIGN among {@code rows}. */
    int[] benignRows(int[] rows) {
        int benign = FlowLabels.CLASSES.indexOf(FlowLabels.BENIGN);
        return Arrays.stream(rows).filter(i -> y[i] == benign).toArray();
    }

    static void shuffle(int[] a, Random random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** The given rows of a row-major matrix of width {@code d}, in the given order. */
    static float[] gather(float[] x, int[] rows, int d) {
        float[] out = new float[rows.length * d];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(x, rows[i] * d, out, i * d, d);
        }
        return out;
    }
}
