package io.anomalyze.detect.kmeans;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anomalyze.read.InputLimits;
import io.anomalyze.read.connection.ConnectionBatch;
import io.anomalyze.read.connection.ConnectionLayout;
import io.anomalyze.read.connection.ConnectionRecordReader;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The two-step nearest-centroid search gives exactly what a scan over every centroid gives. */
class KMeansEnsembleTest {

    /** Every centroid of every member in model order, with the same arithmetic as the ensemble. */
    private static void fullScan(List<KMeansMember> members, int dimension, double w, EncodedRows x, int rows,
                                 double[] scores, int[] nearest) {
        int p = ConnectionLayout.NUMERIC_COUNT;
        for (int r = 0; r < rows; r++) {
            int offset = r * p;
            double xNorm = EncodedRows.HOT * w * w;
            for (int j = 0; j < p; j++) {
                xNorm += x.numeric[offset + j] * x.numeric[offset + j];
            }
            int h0 = x.hot[r * 3];
            int h1 = x.hot[r * 3 + 1];
            int h2 = x.hot[r * 3 + 2];
            double sum = 0;
            for (int m = 0; m < members.size(); m++) {
                double[][] centroids = members.get(m).centroids();
                double best = Double.MAX_VALUE;
                int bestIndex = -1;
                for (int c = 0; c < centroids.length; c++) {
                    double[] cc = centroids[c];
                    double norm = 0;
                    for (double v : cc) {
                        norm += v * v;
                    }
                    double d0 = 0;
                    double d1 = 0;
                    for (int j = 0; j < p; j += 2) {
                        d0 += x.numeric[offset + j] * cc[j];
                        d1 += x.numeric[offset + j + 1] * cc[j + 1];
                    }
                    double d = norm - 2 * (d0 + d1 + w * (cc[h0] + cc[h1] + cc[h2]));
                    if (d < best) {
                        best = d;
                        bestIndex = c;
                    }
                }
                sum += Math.sqrt(Math.max(0, best + xNorm)) * (1.0 / members.get(m).scale());
                if (m == 0) {
                    nearest[r] = bestIndex;
                }
            }
            scores[r] = sum / members.size();
        }
    }

    private static void assertSameAsFullScan(KMeansModel model, ConnectionRecordReader reader, Random noise) throws Exception {
        ConnectionEncoding.Compiled encoding = model.encoding().compile();
        KMeansEnsemble ensemble = new KMeansEnsemble(model.members(), encoding.dimension(), encoding.hotValue(),
                encoding.encodedZeros());
        ConnectionBatch batch = new ConnectionBatch(4096);
        EncodedRows x = new EncodedRows(4096);
        double[] scores = new double[4096];
        int[] nearest = new int[4096];
        double[] expectedScores = new double[4096];
        int[] expectedNearest = new int[4096];
        long checked = 0;
        KMeansEnsemble.Baselines baselines = null;
        while (reader.read(batch)) {
            for (int r = 0; r < batch.size(); r++) {
                encoding.encode(batch, r, x, r);
                if (noise != null) {
                    for (int j = 0; j < ConnectionLayout.NUMERIC_COUNT; j++) {
                        x.numeric[r * ConnectionLayout.NUMERIC_COUNT + j] += noise.nextGaussian() * 0.5;
                    }
                }
            }
            fullScan(model.members(), encoding.dimension(), encoding.hotValue(), x, batch.size(), expectedScores, expectedNearest);
            if (baselines == null) {
                // Fitted to the first batch, as a scan does, then used for every batch.
                baselines = ensemble.baselinesFrom(x, Math.min(batch.size(), 1024));
                assertTrue(baselines.pairs() > 0);
            }
            for (KMeansEnsemble.Baselines chosen : java.util.Arrays.asList(null, baselines)) {
                ensemble.score(x, 0, batch.size(), scores, nearest, ensemble.newScratch(), chosen);
                for (int r = 0; r < batch.size(); r++) {
                    assertEquals(expectedNearest[r], nearest[r], "nearest centroid of line " + batch.line[r]);
                    assertEquals(Double.doubleToLongBits(expectedScores[r]), Double.doubleToLongBits(scores[r]),
                            "score of line " + batch.line[r]);
                }
            }
            checked += batch.size();
        }
        assertEquals(true, checked > 0);
    }

    /**
     * Members whose sizes are not multiples of the block width, exact duplicate centroids in
     * different blocks (ties must go to the lowest index), rows sitting on a centroid and rows
     * mostly on the baseline, with and without one.
     */
    @Test
    void syntheticMembersWithTiesAndPartialBlocksMatchAFullScan() {
        Random random = new Random(5);
        int p = ConnectionLayout.NUMERIC_COUNT;
        int dimension = p + 12;
        double w = 2.5;
        List<KMeansMember> members = new java.util.ArrayList<>();
        for (int k : new int[] {200, 37, 129}) {
            double[][] centroids = new double[k][dimension];
            for (double[] c : centroids) {
                for (int j = 0; j < dimension; j++) {
                    c[j] = j < 5 ? 0.75 : random.nextGaussian() * (j % 3 + 1);
                }
            }
            // Duplicates far apart: the first copy must win every tie.
            centroids[k - 1] = centroids[3].clone();
            centroids[k / 2] = centroids[3].clone();
            // Near-duplicates closer than single precision can tell apart: only the error bound
            // keeps the truly nearest among the candidates.
            for (int c = 5; c < 25; c += 2) {
                centroids[c + 1] = centroids[c].clone();
                centroids[c + 1][c % 5] += 1e-7 * (random.nextBoolean() ? 1 : -1);
            }
            members.add(new KMeansMember(k, 1, centroids, 0.5 + random.nextDouble()));
        }
        int rows = 3000;
        double[] baseline = new double[p];
        for (int j = 0; j < p; j++) {
            baseline[j] = random.nextGaussian();
        }
        EncodedRows x = new EncodedRows(rows);
        for (int r = 0; r < rows; r++) {
            double[] source = members.get(r % 3).centroids()[random.nextInt(members.get(r % 3).k())];
            boolean onCentroid = r % 4 == 0;
            double[] near = members.get(r % 3).centroids()[5 + random.nextInt(20)];
            boolean nearPair = r % 4 == 1;
            for (int j = 0; j < p; j++) {
                // Every third row sits on the baseline in most dimensions, as real records do.
                boolean onBaseline = r % 3 == 0 && random.nextInt(4) != 0;
                x.numeric[r * p + j] = onCentroid ? source[j] : nearPair ? near[j] + random.nextGaussian() * 1e-3
                        : onBaseline ? baseline[j] : random.nextGaussian() * 4;
            }
            for (int h = 0; h < EncodedRows.HOT; h++) {
                x.hot[r * EncodedRows.HOT + h] = p + h * 4 + random.nextInt(4);
            }
        }
        double[] scores = new double[rows];
        int[] nearest = new int[rows];
        double[] expectedScores = new double[rows];
        int[] expectedNearest = new int[rows];
        fullScan(members, dimension, w, x, rows, expectedScores, expectedNearest);
        for (KMeansEnsemble ensemble : List.of(new KMeansEnsemble(members, dimension, w, new double[p]),
                new KMeansEnsemble(members, dimension, w, baseline))) {
            // Per-pair baselines from the rows themselves: every one of the 16 pairs of this
            // data gets one, however odd its most common values.
            KMeansEnsemble.Baselines fitted = ensemble.baselinesFrom(x, 1024);
            assertEquals(16, fitted.pairs());
            for (KMeansEnsemble.Baselines chosen : java.util.Arrays.asList(null, fitted)) {
                ensemble.score(x, 0, rows, scores, nearest, ensemble.newScratch(), chosen);
                for (int r = 0; r < rows; r++) {
                    assertEquals(expectedNearest[r], nearest[r], "nearest centroid of row " + r);
                    assertEquals(Double.doubleToLongBits(expectedScores[r]), Double.doubleToLongBits(scores[r]), "score of row " + r);
                }
            }
        }
    }

    @Test
    void streamingReaderReadsTheBundledModelAsTheObjectMapperDoes() throws Exception {
        byte[] bytes = Files.readAllBytes(Path.of("models", "nsl-kdd-kmeans.json"));
        KMeansModel fast = KMeansModel.read(new java.io.ByteArrayInputStream(bytes), "nsl-kdd-kmeans.json");
        KMeansModel plain = io.anomalyze.Json.MAPPER.readValue(bytes, KMeansModel.class);
        KMeansModel viaLoader = ((KMeansDetector) io.anomalyze.detect.ModelLoader.load(Path.of("models", "nsl-kdd-kmeans.json"))).model();
        assertEquals(plain.members().size(), fast.members().size());
        for (int m = 0; m < plain.members().size(); m++) {
            assertEquals(true, java.util.Arrays.deepEquals(plain.members().get(m).centroids(), fast.members().get(m).centroids()));
            assertEquals(true, java.util.Arrays.deepEquals(plain.members().get(m).centroids(), viaLoader.members().get(m).centroids()));
            assertEquals(Double.doubleToLongBits(plain.members().get(m).scale()), Double.doubleToLongBits(fast.members().get(m).scale()));
            assertEquals(Double.doubleToLongBits(plain.members().get(m).scale()), Double.doubleToLongBits(viaLoader.members().get(m).scale()));
        }
        for (KMeansModel other : List.of(fast, viaLoader)) {
            ConnectionEncoding a = plain.encoding();
            ConnectionEncoding b = other.encoding();
            assertEquals(true, java.util.Arrays.equals(a.mean(), b.mean()));
            assertEquals(true, java.util.Arrays.equals(a.std(), b.std()));
            assertEquals(Double.doubleToLongBits(a.clip()), Double.doubleToLongBits(b.clip()));
            assertEquals(Double.doubleToLongBits(a.categoricalWeight()), Double.doubleToLongBits(b.categoricalWeight()));
            assertEquals(Double.doubleToLongBits(plain.threshold()), Double.doubleToLongBits(other.threshold()));
        }
        for (KMeansModel other : List.of(fast, viaLoader)) {
            assertEquals(plain.format(), other.format());
            assertEquals(plain.kind(), other.kind());
            assertEquals(plain.features(), other.features());
            assertEquals(plain.aggregation(), other.aggregation());
            assertEquals(plain.severityBands(), other.severityBands());
            assertEquals(plain.training(), other.training());
            assertEquals(plain.validation(), other.validation());
            assertEquals(plain.encoding().protocols(), other.encoding().protocols());
            assertEquals(plain.encoding().services(), other.encoding().services());
            assertEquals(plain.encoding().flags(), other.encoding().flags());
            assertEquals(true, java.util.Arrays.equals(plain.encoding().logScaled(), other.encoding().logScaled()));
            for (int m = 0; m < plain.members().size(); m++) {
                assertEquals(plain.members().get(m).k(), other.members().get(m).k());
                assertEquals(plain.members().get(m).seed(), other.members().get(m).seed());
            }
        }
    }

    @Test
    void bundledModelOnKddTestMatchesAFullScanBitForBit() throws Exception {
        KMeansModel model;
        try (InputStream in = Files.newInputStream(Path.of("models", "nsl-kdd-kmeans.json"))) {
            model = KMeansModel.read(in, "nsl-kdd-kmeans.json");
        }
        try (ConnectionRecordReader reader = new ConnectionRecordReader(
                Files.newInputStream(Path.of("uploads", "KDDTest+.txt")), "KDDTest+.txt", InputLimits.DEFAULTS)) {
            assertSameAsFullScan(model, reader, null);
        }
        try (ConnectionRecordReader reader = new ConnectionRecordReader(
                Files.newInputStream(Path.of("uploads", "KDDTest+.txt")), "KDDTest+.txt", InputLimits.DEFAULTS)) {
            assertSameAsFullScan(model, reader, new Random(11));
        }
    }
}
