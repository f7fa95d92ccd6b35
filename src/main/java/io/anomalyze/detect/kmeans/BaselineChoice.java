package io.anomalyze.detect.kmeans;

import io.anomalyze.read.connection.ConnectionLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Picks per-pair baselines from a sample of encoded rows: rows are grouped by their
 * (protocol, flag) one-hot pair, and each frequent pair gets the most common value of each
 * numeric dimension among its rows. Records of one pair share most of their values (a SYN
 * flood's S0 records all carry the same rates and host counts), so few dimensions are left
 * to cost a pass.
 */
final class BaselineChoice {

    /** A pair needs this many sample rows to get its own baseline. */
    static final int MIN_ROWS = 16;
    /** At most this many pairs get one: each adds a starting row of every centroid to the cache. */
    static final int MAX_PAIRS = 16;

    private BaselineChoice() {
    }

    static ApproximateDistances.Baselines choose(EncodedRows x, int rows, ApproximateDistances approximate) {
        int p = ConnectionLayout.NUMERIC_COUNT;
        Map<Long, List<Integer>> byPair = new LinkedHashMap<>();
        for (int r = 0; r < rows; r++) {
            long pair = ((long) x.hot[r * EncodedRows.HOT] << 32) | x.hot[r * EncodedRows.HOT + 2];
            byPair.computeIfAbsent(pair, k -> new ArrayList<>()).add(r);
        }
        List<Map.Entry<Long, List<Integer>>> frequent = byPair.entrySet().stream()
                .filter(e -> e.getValue().size() >= MIN_ROWS)
                .sorted((a, b) -> Integer.compare(b.getValue().size(), a.getValue().size()))
                .limit(MAX_PAIRS)
                .toList();
        int[][] pairs = new int[frequent.size()][];
        double[][] z = new double[frequent.size()][];
        double[] values = new double[rows];
        for (int i = 0; i < pairs.length; i++) {
            long pair = frequent.get(i).getKey();
            pairs[i] = new int[] {(int) (pair >>> 32), (int) pair};
            List<Integer> members = frequent.get(i).getValue();
            z[i] = new double[p];
            for (int j = 0; j < p; j++) {
                for (int m = 0; m < members.size(); m++) {
                    values[m] = x.numeric[members.get(m) * p + j];
                }
                z[i][j] = mostCommon(values, members.size());
            }
        }
        return approximate.baselines(pairs, z);
    }

    /** The most frequent of the first {@code n} values (the smallest among equally frequent ones); sorts them. */
    static double mostCommon(double[] values, int n) {
        Arrays.sort(values, 0, n);
        double best = values[0];
        int bestRun = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j < n && values[j] == values[i]) {
                j++;
            }
            if (j - i > bestRun) {
                bestRun = j - i;
                best = values[i];
            }
            i = j;
        }
        return best;
    }
}
