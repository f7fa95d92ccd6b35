package io.anomalyze.read.connection;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The four attack families of the KDD taxonomy (DoS, Probe, R2L, U2R), covering every attack
 * name of KDD Cup 99 and NSL-KDD, including those that occur only in the test files.
 */
public final class AttackFamilies {

    public static final List<String> FAMILIES = List.of("DoS", "Probe", "R2L", "U2R");
    public static final String UNKNOWN = "unknown";

    private static final Map<String, String> FAMILY = new HashMap<>();

    static {
        put("DoS", "back", "land", "neptune", "pod", "smurf", "teardrop", "apache2", "mailbomb", "processtable", "udpstorm");
        put("Probe", "ipsweep", "nmap", "portsweep", "satan", "mscan", "saint");
        put("R2L", "ftp_write", "guess_passwd", "imap", "multihop", "phf", "spy", "warezclient", "warezmaster", "named",
                "sendmail", "snmpgetattack", "snmpguess", "xlock", "xsnoop", "worm");
        put("U2R", "buffer_overflow", "loadmodule", "perl", "rootkit", "httptunnel", "ps", "sqlattack", "xterm");
    }

    private AttackFamilies() {
    }

    private static void put(String family, String... names) {
        for (String n : names) {
            FAMILY.put(n, family);
        }
    }

    /** The family of an attack label, or {@link #UNKNOWN} for a name outside the taxonomy. */
    public static String familyOf(String label) {
        return label == null ? UNKNOWN : FAMILY.getOrDefault(label.toLowerCase(Locale.ROOT), UNKNOWN);
    }
}
