package io.anomalyze.detect.flow;

import io.anomalyze.detect.Severity;
import io.anomalyze.read.flow.FlowLabels;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * From a flow's predicted class and its probability to a severity.
 *
 * <p>BENIGN is Normal. Each attack class has a base severity: Critical when it means a host
 * is compromised or data leaks (Bot, Heartbleed, Infiltration, SQL injection), High for
 * attacks that take a service down or break in (DDoS, the DoS family, FTP/SSH password
 * guessing, web brute force, XSS), Medium for reconnaissance (PortScan). The base applies
 * when the model gives the class at least {@code sure}; from {@code unsure} up to
 * {@code sure} it drops one level, below {@code unsure} two, and an attack is never below Low.
 * Classes a bring-your-own model adds get High.
 *
 * @param base   attack class to its severity when the model is sure
 * @param sure   probability from which the base severity applies
 * @param unsure probability below which the severity drops two levels
 */
public record FlowSeverityMapping(Map<String, Severity> base, double sure, double unsure) {

    public static FlowSeverityMapping defaults() {
        Map<String, Severity> m = new LinkedHashMap<>();
        for (String c : FlowLabels.CLASSES) {
            m.put(c, Severity.HIGH);
        }
        m.put(FlowLabels.BENIGN, Severity.NORMAL);
        m.put("Bot", Severity.CRITICAL);
        m.put("Heartbleed", Severity.CRITICAL);
        m.put("Infiltration", Severity.CRITICAL);
        m.put("Web Attack \u2013 Sql Injection", Severity.CRITICAL);
        m.put("PortScan", Severity.MEDIUM);
        return new FlowSeverityMapping(Map.copyOf(m), 0.9, 0.6);
    }

    private static final Severity[] LEVELS = Severity.values();

    public Severity of(String predictedClass, double probability) {
        return of(baseOf(predictedClass), probability);
    }

    /** The severity of {@code predictedClass} when the model is sure of it. */
    public Severity baseOf(String predictedClass) {
        if (FlowLabels.isBenign(predictedClass)) {
            return Severity.NORMAL;
        }
        String canonical = FlowLabels.canonical(predictedClass);
        return base.getOrDefault(canonical == null ? predictedClass : canonical, Severity.HIGH);
    }

    /** The severity of a class whose {@link #baseOf base severity} is {@code base}, given with {@code probability}. */
    public Severity of(Severity base, double probability) {
        if (base == Severity.NORMAL) {
            return Severity.NORMAL;
        }
        int level = base.ordinal();
        if (probability < unsure) {
            level -= 2;
        } else if (probability < sure) {
            level -= 1;
        }
        return LEVELS[Math.max(Severity.LOW.ordinal(), level)];
    }
}
