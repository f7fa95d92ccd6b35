package io.anomalyze.web;

import io.javalin.http.Context;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Where a request may come from. The {@code Host} header must name this service (an allow-list),
 * so a page whose DNS name was rebound to this address cannot read it; and a state-changing
 * request sent by a browser must come from one of this service's own pages ({@code Origin} and
 * {@code Sec-Fetch-Site}), which also refuses other ports of the same host, where
 * {@code SameSite} cookies still flow.
 */
final class Origins {

    private final Set<String> allowedHosts;
    private final boolean anyHost;
    /**
     * {@code Host} headers already found allowed, as sent: every request carries one and a client
     * sends the same text each time, so most checks are one set lookup. Bounded, and only allowed
     * names enter it, so no client can grow it.
     */
    private final Set<String> acceptedHeaders = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final int MAX_ACCEPTED_HEADERS = 256;

    Origins(String boundHost, List<String> configured) {
        Set<String> hosts = new LinkedHashSet<>();
        if (configured.isEmpty()) {
            hosts.addAll(List.of("localhost", "127.0.0.1", "[::1]"));
            hosts.add(normalise(boundHost));
            if (isWildcard(boundHost)) {
                hosts.addAll(interfaceAddresses());
            }
        } else {
            configured.forEach(h -> hosts.add(normalise(h)));
        }
        this.anyHost = hosts.contains("*");
        this.allowedHosts = Set.copyOf(hosts);
    }

    Set<String> allowedHosts() {
        return allowedHosts;
    }

    /** 403 when the {@code Host} header names a host this service does not answer to. */
    void checkHost(Context ctx) {
        String host = ctx.header("Host");
        if (anyHost || host == null) {
            return;
        }
        if (acceptedHeaders.contains(host)) {
            return;
        }
        String name = hostName(host);
        if (!allowedHosts.contains(name)) {
            throw new HttpError(403, "this service does not answer to the host name \"" + clip(name)
                    + "\"; add it to --allowed-hosts (ANOMALYZE_ALLOWED_HOSTS) if it is meant to");
        }
        if (acceptedHeaders.size() < MAX_ACCEPTED_HEADERS) {
            acceptedHeaders.add(host);
        }
    }

    /**
     * 403 when a browser says the request comes from another site or another port: the
     * {@code Sec-Fetch-Site} header must be {@code same-origin} (or {@code none}, typed by the
     * user), and {@code Origin}, when sent (and not {@code null}), must name this host and port.
     */
    void checkSameOrigin(Context ctx) {
        String site = ctx.header("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) {
            throw new HttpError(403, "cross-site request refused: the browser says it comes from another site or port"
                    + " (Sec-Fetch-Site: " + clip(site) + ")");
        }
        String origin = ctx.header("Origin");
        // "null" says nothing either way (a browser sends it under some referrer policies): the CSRF token decides.
        if (origin != null && !origin.equals("null") && !sameAuthority(origin, ctx.header("Host"))) {
            throw new HttpError(403, "cross-site request refused: it comes from " + clip(origin) + ", not from this service's pages");
        }
    }

    /** True when the request was sent by a browser (which adds these headers itself) rather than a script. */
    static boolean fromBrowser(Context ctx) {
        return ctx.header("Origin") != null || ctx.header("Sec-Fetch-Site") != null || ctx.header("Cookie") != null;
    }

    private static boolean sameAuthority(String origin, String host) {
        if (host == null) {
            return false;
        }
        URI uri;
        try {
            uri = new URI(origin.strip());
        } catch (URISyntaxException e) {
            return false;
        }
        if (uri.getHost() == null || uri.getScheme() == null) {
            return false;
        }
        int defaultPort = uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
        int originPort = uri.getPort() == -1 ? defaultPort : uri.getPort();
        String h = host.strip().toLowerCase(Locale.ROOT);
        int colon = h.lastIndexOf(':');
        int hostPort = colon > h.lastIndexOf(']') && colon >= 0 ? parsePort(h.substring(colon + 1)) : defaultPort;
        return hostName(h).equals(normalise(uri.getHost())) && hostPort == originPort;
    }

    private static int parsePort(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The host of a {@code Host} header without its port, lower case, IPv6 in brackets. */
    static String hostName(String hostHeader) {
        String h = hostHeader.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(0, end + 1);
        }
        int colon = h.indexOf(':');
        return normalise(colon < 0 ? h : h.substring(0, colon));
    }

    private static String normalise(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        if (h.indexOf(':') >= 0 && !h.startsWith("[")) {
            h = "[" + h + "]";
        }
        return h;
    }

    private static boolean isWildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") || host.isEmpty();
    }

    /** Bound to every interface: each of this machine's addresses (and its host name) names it. */
    private static Set<String> interfaceAddresses() {
        Set<String> out = new LinkedHashSet<>();
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    String text = a.getHostAddress();
                    int zone = text.indexOf('%');
                    out.add(normalise(zone < 0 ? text : text.substring(0, zone)));
                }
            }
            out.add(normalise(InetAddress.getLocalHost().getHostName()));
        } catch (SocketException | java.net.UnknownHostException e) {
            // The loopback names above still work.
        }
        return out;
    }

    private static String clip(String s) {
        String t = s.replaceAll("\\p{Cc}", "?");
        return t.length() > 100 ? t.substring(0, 100) + "..." : t;
    }
}
