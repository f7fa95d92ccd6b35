package io.anomalyze.detect.kmeans;

import io.anomalyze.read.connection.ConnectionBatch;
import io.anomalyze.read.connection.ConnectionLayout;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a connection record into the vector K-means sees: the 38 numeric features
 * (heavy-tailed counts log-scaled, then standardised with statistics of normal training
 * traffic and clipped) followed by one-hot blocks for protocol, service and flag, each with a
 * final "other" slot for values never seen in training.
 *
 * @param protocols         protocol vocabulary from the training file
 * @param services          service vocabulary from the training file
 * @param flags             flag vocabulary from the training file
 * @param logScaled         per numeric feature: whether log1p is applied first
 * @param mean              per numeric feature: mean over normal training rows (after log1p)
 * @param std               per numeric feature: standard deviation used (after the floor)
 * @param clip              standardised values are clipped to [-clip, clip]
 * @param categoricalWeight value of a set one-hot slot
 */
public record ConnectionEncoding(List<String> protocols, List<String> services, List<String> flags,
                                 boolean[] logScaled, double[] mean, double[] std, double clip,
                                 double categoricalWeight) {

    /** Numeric features whose counts span orders of magnitude: compared on a log scale. */
    public static final List<String> HEAVY_TAILED = List.of(
            "duration", "src_bytes", "dst_bytes", "wrong_fragment", "urgent", "hot", "num_failed_logins",
            "num_compromised", "num_root", "num_file_creations", "num_shells", "num_access_files",
            "num_outbound_cmds", "count", "srv_count", "dst_host_count", "dst_host_srv_count");

    public int dimension() {
        return ConnectionLayout.NUMERIC_COUNT + protocols.size() + services.size() + flags.size() + 3;
    }

    /** A compiled form with hash lookups, for the scoring loop. */
    public Compiled compile() {
        return new Compiled(this);
    }

    /** Encoding prepared for fast, repeated use; immutable and thread-safe. */
    public static final class Compiled {
        private final ConnectionEncoding spec;
        private final Map<String, Integer> protocolIndex;
        private final Map<String, Integer> serviceIndex;
        private final Map<String, Integer> flagIndex;
        private final int protocolBase;
        private final int serviceBase;
        private final int flagBase;
        private final String[] dimensionFeature;
        private final int[] dimensionColumn;
        private final int dimension;
        /** The numeric features compared on a log scale. */
        private final int[] logColumns;

        Compiled(ConnectionEncoding spec) {
            this.logColumns = java.util.stream.IntStream.range(0, ConnectionLayout.NUMERIC_COUNT)
                    .filter(i -> spec.logScaled[i]).toArray();
            this.spec = spec;
            this.protocolIndex = index(spec.protocols);
            this.serviceIndex = index(spec.services);
            this.flagIndex = index(spec.flags);
            this.protocolBase = ConnectionLayout.NUMERIC_COUNT;
            this.serviceBase = protocolBase + spec.protocols.size() + 1;
            this.flagBase = serviceBase + spec.services.size() + 1;
            this.dimension = spec.dimension();
            this.dimensionFeature = new String[dimension];
            for (int i = 0; i < ConnectionLayout.NUMERIC_COUNT; i++) {
                dimensionFeature[i] = ConnectionLayout.numericName(i);
            }
            for (int i = protocolBase; i < serviceBase; i++) {
                dimensionFeature[i] = "protocol_type";
            }
            for (int i = serviceBase; i < flagBase; i++) {
                dimensionFeature[i] = "service";
            }
            for (int i = flagBase; i < dimension; i++) {
                dimensionFeature[i] = "flag";
            }
            this.dimensionColumn = new int[dimension];
            for (int i = 0; i < dimension; i++) {
                dimensionColumn[i] = ConnectionLayout.FEATURES.indexOf(dimensionFeature[i]);
            }
        }

        private static Map<String, Integer> index(List<String> vocabulary) {
            Map<String, Integer> map = new HashMap<>();
            for (int i = 0; i < vocabulary.size(); i++) {
                map.put(vocabulary.get(i), i);
            }
            return map;
        }

        public int dimension() {
            return dimension;
        }

        /** The feature a vector dimension belongs to (one-hot slots name their column). */
        public String featureOf(int dimension) {
            return dimensionFeature[dimension];
        }

        /** The layout column (0..40) a vector dimension belongs to. */
        public int columnOf(int dimension) {
            return dimensionColumn[dimension];
        }

        /**
         * Encodes row {@code row} of {@code batch} into row {@code r} of {@code out}.
         *
         * @return a bit set of symbolic columns whose value was unseen in training
         *         (1 protocol, 2 service, 4 flag)
         */
        public int encode(ConnectionBatch batch, int row, EncodedRows out, int r) {
            encodeNumeric(batch.numeric, row * ConnectionLayout.NUMERIC_COUNT, out.numeric, r * ConnectionLayout.NUMERIC_COUNT);
            int h = r * EncodedRows.HOT;
            int unseen = 0;
            unseen |= slot(protocolIndex, batch.protocol[row], out.hot, h, protocolBase, spec.protocols.size()) ? 0 : 1;
            unseen |= slot(serviceIndex, batch.service[row], out.hot, h + 1, serviceBase, spec.services.size()) ? 0 : 2;
            unseen |= slot(flagIndex, batch.flag[row], out.hot, h + 2, flagBase, spec.flags.size()) ? 0 : 4;
            return unseen;
        }

        /** The 38 numeric features from {@code in} at {@code from}, encoded into {@code x} at {@code o}. */
        private void encodeNumeric(double[] in, int from, double[] x, int o) {
            double[] mean = spec.mean;
            double[] std = spec.std;
            double clip = spec.clip;
            int p = ConnectionLayout.NUMERIC_COUNT;
            System.arraycopy(in, from, x, o, p);
            for (int i : logColumns) {
                x[o + i] = logOnePlus(x[o + i]);
            }
            // A loop with no branch, which the JIT vectorises; min/max clip exactly as comparisons would.
            for (int i = 0; i < p; i++) {
                x[o + i] = Math.max(-clip, Math.min(clip, (x[o + i] - mean[i]) / std[i]));
            }
        }

        /** The encoded numeric values of a record whose counts and rates are all 0, the most common value of each. */
        public double[] encodedZeros() {
            double[] zeros = new double[ConnectionLayout.NUMERIC_COUNT];
            encodeNumeric(new double[ConnectionLayout.NUMERIC_COUNT], 0, zeros, 0);
            return zeros;
        }

        /** log1p of the small whole counts most records carry, computed once. */
        private static final double[] LOG1P_OF_COUNT = java.util.stream.IntStream.range(0, 4096)
                .mapToDouble(Math::log1p).toArray();

        /** Exactly {@link Math#log1p}, from the table when v is a small whole count. */
        static double logOnePlus(double v) {
            if (v >= 0 && v < LOG1P_OF_COUNT.length) {
                int count = (int) v;
                if (count == v) {
                    return LOG1P_OF_COUNT[count];
                }
            }
            return Math.log1p(v);
        }

        private static boolean slot(Map<String, Integer> index, String value, int[] hot, int at, int base, int otherSlot) {
            Integer i = index.get(value);
            hot[at] = base + (i == null ? otherSlot : i);
            return i != null;
        }

        /** The value of a set one-hot slot. */
        public double hotValue() {
            return spec.categoricalWeight;
        }
    }
}
