package io.anomalyze.store;

import io.anomalyze.detect.Severity;
import io.anomalyze.store.RecordQuery.Sort;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The orders a records page can be listed in, built once when an analysis finishes instead of
 * index entry by index entry while its verdicts are written. An order is the list of sequence
 * numbers (file positions) of an analysis's verdicts in the order a page shows them; for each
 * filter (none, severity, class, class and severity) it is grouped by the filtered value, so
 * the verdicts a filtered page shows are one contiguous range whose start follows from the
 * stored counts. Orders are stored in rows of {@link #BLOCK} numbers, so a page of any
 * analysis, however large, reads one or two of them.
 */
final class VerdictOrders {

    /** Sequence numbers per stored order row. */
    static final int BLOCK = 4096;

    private static final int SEVERITIES = Severity.values().length;

    /** What a page filters on. */
    enum Filter {
        NONE, SEVERITY, CLASS, CLASS_SEVERITY;

        static Filter of(boolean severity, boolean className) {
            return className ? (severity ? CLASS_SEVERITY : CLASS) : (severity ? SEVERITY : NONE);
        }

        boolean bySeverity() {
            return this == SEVERITY || this == CLASS_SEVERITY;
        }

        /** Group of a verdict under this filter; groups are stored in increasing order. */
        int group(int severity, int classIndex) {
            return switch (this) {
                case NONE -> 0;
                case SEVERITY -> severity;
                case CLASS -> classIndex;
                case CLASS_SEVERITY -> classIndex * SEVERITIES + severity;
            };
        }

        int groups(int classes) {
            return switch (this) {
                case NONE -> 1;
                case SEVERITY -> SEVERITIES;
                case CLASS -> classes;
                case CLASS_SEVERITY -> classes * SEVERITIES;
            };
        }
    }

    private VerdictOrders() {
    }

    /**
     * The sort whose stored order serves {@code sort} under {@code filter}: within one severity,
     * "anomalies first" is the score order. Null for the unfiltered file order, which is the
     * sequence itself and is not stored.
     */
    static Sort stored(Filter filter, Sort sort) {
        if (filter == Filter.NONE && sort == Sort.FILE_ORDER) {
            return null;
        }
        return filter.bySeverity() && sort == Sort.ANOMALIES_FIRST ? Sort.SCORE_DESC : sort;
    }

    /** The block kind an order is stored under (kind 0 holds the verdicts themselves). */
    static int kind(Filter filter, Sort sort) {
        return 1 + filter.ordinal() * Sort.values().length + sort.ordinal();
    }

    /** The sort keys of every verdict of an analysis, by sequence number. */
    static final class Keys {
        final List<String> classes = new ArrayList<>();
        private final java.util.Map<String, Integer> classIndex = new java.util.HashMap<>();
        byte[] severity = new byte[1024];
        double[] score = new double[1024];
        int[] classOf = new int[1024];
        int size;

        void add(int sev, double sc, String predictedClass) {
            if (size == severity.length) {
                int n = size * 2;
                severity = java.util.Arrays.copyOf(severity, n);
                score = java.util.Arrays.copyOf(score, n);
                classOf = java.util.Arrays.copyOf(classOf, n);
            }
            Integer c = classIndex.get(predictedClass);
            if (c == null) {
                c = classes.size();
                classes.add(predictedClass);
                classIndex.put(predictedClass, c);
            }
            severity[size] = (byte) sev;
            score[size] = sc;
            classOf[size] = c;
            size++;
        }

        /** Verdicts per class and severity, {@code [class * SEVERITIES + severity]}. */
        long[] counts() {
            long[] counts = new long[classes.size() * SEVERITIES];
            for (int i = 0; i < size; i++) {
                counts[classOf[i] * SEVERITIES + severity[i]]++;
            }
            return counts;
        }
    }

    /** Receives each built order. */
    @FunctionalInterface
    interface Sink {
        void accept(int kind, int[] order);
    }

    /** Builds every stored order of {@code keys}, handing each over as soon as it is built. */
    static void build(Keys keys, Sink sink) {
        int n = keys.size;
        int[] file = new int[n];
        for (int i = 0; i < n; i++) {
            file[i] = i;
        }
        int[] scoreDesc = sortByScoreDescending(file, keys.score);
        int[] scoreAsc = ascendingFrom(scoreDesc, keys.score);
        int[] anomaliesFirst = group(scoreDesc, keys, (sev, cls) -> SEVERITIES - 1 - sev, SEVERITIES);
        for (Filter filter : Filter.values()) {
            for (Sort sort : Sort.values()) {
                if (stored(filter, sort) != sort) {
                    continue;
                }
                int[] base = switch (sort) {
                    case ANOMALIES_FIRST -> anomaliesFirst;
                    case SCORE_DESC -> scoreDesc;
                    case SCORE_ASC -> scoreAsc;
                    case FILE_ORDER -> file;
                };
                int[] order = filter == Filter.NONE ? base
                        : group(base, keys, filter::group, filter.groups(keys.classes.size()));
                sink.accept(kind(filter, sort), order);
            }
        }
    }

    @FunctionalInterface
    private interface GroupOf {
        int group(int severity, int classIndex);
    }

    /** A stable counting sort of {@code order} by group. */
    private static int[] group(int[] order, Keys keys, GroupOf groupOf, int groups) {
        int[] start = new int[groups + 1];
        int n = order.length;
        int[] g = new int[n];
        for (int i = 0; i < n; i++) {
            int seq = order[i];
            g[i] = groupOf.group(keys.severity[seq], keys.classOf[seq]);
            start[g[i] + 1]++;
        }
        for (int i = 0; i < groups; i++) {
            start[i + 1] += start[i];
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[start[g[i]]++] = order[i];
        }
        return out;
    }

    /** Highest score first, ties in file order: a stable bottom-up merge sort. */
    private static int[] sortByScoreDescending(int[] in, double[] score) {
        int n = in.length;
        int[] a = in.clone();
        int[] b = new int[n];
        for (int width = 1; width < n; width *= 2) {
            for (int lo = 0; lo < n; lo += 2 * width) {
                int mid = Math.min(lo + width, n);
                int hi = Math.min(lo + 2 * width, n);
                int i = lo;
                int j = mid;
                int k = lo;
                while (i < mid && j < hi) {
                    b[k++] = score[a[j]] > score[a[i]] ? a[j++] : a[i++];
                }
                while (i < mid) {
                    b[k++] = a[i++];
                }
                while (j < hi) {
                    b[k++] = a[j++];
                }
            }
            int[] t = a;
            a = b;
            b = t;
        }
        return a;
    }

    /** Lowest score first, ties in file order: the descending order reversed, runs of equal scores kept in file order. */
    private static int[] ascendingFrom(int[] descending, double[] score) {
        int n = descending.length;
        int[] out = new int[n];
        int k = 0;
        int end = n;
        while (end > 0) {
            int start = end - 1;
            while (start > 0 && score[descending[start - 1]] == score[descending[end - 1]]) {
                start--;
            }
            System.arraycopy(descending, start, out, k, end - start);
            k += end - start;
            end = start;
        }
        return out;
    }

    /** Start of group {@code group} within an order grouped by {@code filter}, from the stored counts. */
    static long groupStart(Filter filter, int group, long[] counts, int classes) {
        long start = 0;
        for (int cls = 0; cls < classes; cls++) {
            for (int sev = 0; sev < SEVERITIES; sev++) {
                if (filter.group(sev, cls) < group) {
                    start += counts[cls * SEVERITIES + sev];
                }
            }
        }
        return start;
    }

    static long groupSize(Filter filter, int group, long[] counts, int classes) {
        long size = 0;
        for (int cls = 0; cls < classes; cls++) {
            for (int sev = 0; sev < SEVERITIES; sev++) {
                if (filter.group(sev, cls) == group) {
                    size += counts[cls * SEVERITIES + sev];
                }
            }
        }
        return size;
    }

    /** Rows of {@link #BLOCK} sequence numbers, big-endian ints. */
    static byte[] encodeRow(int[] order, int from, int to) {
        ByteBuffer b = ByteBuffer.allocate(4 * (to - from));
        for (int i = from; i < to; i++) {
            b.putInt(order[i]);
        }
        return b.array();
    }

    /** Sequence number at {@code index} of an order row. */
    static int at(byte[] row, int index) {
        return ByteBuffer.wrap(row).getInt(4 * index);
    }

    /** The per-analysis directory: class names in index order and verdicts per class and severity. */
    static byte[] encodeDirectory(List<String> classes, long[] counts) {
        int size = 8 + 8 * counts.length;
        List<byte[]> names = new ArrayList<>();
        for (String c : classes) {
            byte[] b = c.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            names.add(b);
            size += 4 + b.length;
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putInt(classes.size());
        for (byte[] name : names) {
            b.putInt(name.length).put(name);
        }
        b.putInt(counts.length);
        for (long c : counts) {
            b.putLong(c);
        }
        return b.array();
    }

    record Directory(List<String> classes, long[] counts) {
    }

    static Directory decodeDirectory(byte[] data) {
        ByteBuffer b = ByteBuffer.wrap(data);
        int n = b.getInt();
        List<String> classes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] name = new byte[b.getInt()];
            b.get(name);
            classes.add(new String(name, java.nio.charset.StandardCharsets.UTF_8));
        }
        long[] counts = new long[b.getInt()];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = b.getLong();
        }
        return new Directory(classes, counts);
    }
}
