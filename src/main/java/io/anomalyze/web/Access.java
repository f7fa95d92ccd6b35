package io.anomalyze.web;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Who may change data. Without an API token everyone may. With one ({@code ANOMALYZE_API_TOKEN}),
 * the API's write and delete endpoints need {@code Authorization: Bearer <token>} (or, from this
 * service's own pages, a session and its CSRF token) and the browser's upload, sample and delete
 * actions need a session opened with the token on {@code /login}. Tokens are compared through
 * their SHA-256 digests with {@link MessageDigest#isEqual}, so the time taken says nothing about
 * how much of a guess was right, and wrong ones are slowed down by a {@link TokenThrottle}.
 *
 * <p>Every state-changing form carries a CSRF token: an HMAC of the session id (or of nothing,
 * without a token) under a key drawn when the service starts. Another site cannot read it from
 * this service's pages, so it cannot forge the form.
 */
final class Access {

    /** The form field and the header ({@link #CSRF_HEADER}, for scripts of this service's pages) carrying the CSRF token. */
    static final String CSRF_FIELD = "csrf";
    static final String CSRF_HEADER = "X-CSRF-Token";

    static final String COOKIE = "anomalyze_session";
    static final Duration SESSION_LIFETIME = Duration.ofHours(12);
    private static final int MAX_SESSIONS = 10_000;

    private final byte[] tokenDigest;
    private final SecureRandom random = new SecureRandom();
    /** SHA-256 of each session id (hex) to its expiry in epoch milliseconds. */
    private final Map<String, Long> sessions = new ConcurrentHashMap<>();
    private final byte[] csrfKey = new byte[32];
    private final TokenThrottle throttle;

    Access(String token, TokenThrottle throttle) {
        this.tokenDigest = token == null || token.isEmpty() ? null : sha256(token);
        this.throttle = throttle;
        random.nextBytes(csrfKey);
    }

    /** True when a token is configured, so write actions need it. */
    boolean enabled() {
        return tokenDigest != null;
    }

    boolean tokenMatches(String candidate) {
        if (tokenDigest == null) {
            return true;
        }
        return MessageDigest.isEqual(tokenDigest, sha256(candidate == null ? "" : candidate));
    }

    /**
     * Checks a token a client sent, counting wrong ones against it: 429 while the client must wait
     * after too many, whatever it sends.
     */
    boolean checkSentToken(Context ctx, String candidate) {
        throttle.check(ctx);
        boolean right = tokenMatches(candidate);
        if (right) {
            throttle.succeeded(ctx);
        } else {
            throttle.failed(ctx);
        }
        return right;
    }

    /** An API handler that needs the bearer token, or a session with its CSRF token from this service's own pages. */
    Handler api(Handler handler) {
        return ctx -> {
            if (enabled() && !(ctx.header("Authorization") == null && signedIn(ctx) && csrfValid(ctx, ctx.header(CSRF_HEADER)))) {
                if (ctx.header("Authorization") == null) {
                    ctx.header("WWW-Authenticate", "Bearer realm=\"anomalyze\"");
                    throw new HttpError(401, "this action needs the API token: send Authorization: Bearer <token>");
                }
                if (!checkSentToken(ctx, bearer(ctx))) {
                    ctx.header("WWW-Authenticate", "Bearer realm=\"anomalyze\"");
                    throw new HttpError(401, "the API token is wrong");
                }
            }
            handler.handle(ctx);
        };
    }

    /** A browser action that needs a session (or, for scripts, the bearer token). */
    Handler browser(Handler handler) {
        return ctx -> {
            if (enabled() && !signedIn(ctx) && !(ctx.header("Authorization") != null && checkSentToken(ctx, bearer(ctx)))) {
                throw new HttpError(401, "this action needs a session: log in with the API token at /login");
            }
            handler.handle(ctx);
        };
    }

    /** The CSRF token of this request's session (or of no session), for the forms of the page it gets. */
    String csrfToken(Context ctx) {
        String id = enabled() && signedIn(ctx) ? ctx.cookie(COOKIE) : "";
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(csrfKey, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(id.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this Java runtime", e);
        }
    }

    /** True when {@code sent} is this request's CSRF token. */
    boolean csrfValid(Context ctx, String sent) {
        if (sent == null || sent.isEmpty() || sent.length() > 100) {
            return false;
        }
        return MessageDigest.isEqual(csrfToken(ctx).getBytes(StandardCharsets.US_ASCII), sent.strip().getBytes(StandardCharsets.UTF_8));
    }

    static HttpError csrfRefused() {
        return new HttpError(403, "this form is out of date or did not come from this service (its CSRF token is missing or wrong);"
                + " reload the page and try again");
    }

    /** True when the request carries a live session cookie (always true without a token). */
    boolean signedIn(Context ctx) {
        if (!enabled()) {
            return true;
        }
        String id = ctx.cookie(COOKIE);
        if (id == null || id.isEmpty() || id.length() > 100) {
            return false;
        }
        Long expires = sessions.get(digestHex(id));
        if (expires == null) {
            return false;
        }
        if (expires < System.currentTimeMillis()) {
            sessions.remove(digestHex(id));
            return false;
        }
        return true;
    }

    /** Opens a session and sets its cookie: HttpOnly, SameSite=Strict, for the whole site, Secure over HTTPS. */
    void openSession(Context ctx) {
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        long now = System.currentTimeMillis();
        if (sessions.size() >= MAX_SESSIONS) {
            sessions.values().removeIf(expiry -> expiry < now);
            Iterator<String> oldest = sessions.keySet().iterator();
            while (sessions.size() >= MAX_SESSIONS && oldest.hasNext()) {
                oldest.next();
                oldest.remove();
            }
        }
        sessions.put(digestHex(id), now + SESSION_LIFETIME.toMillis());
        ctx.header("Set-Cookie", COOKIE + "=" + id + "; Path=/; Max-Age=" + SESSION_LIFETIME.toSeconds()
                + "; HttpOnly; SameSite=Strict" + (overHttps(ctx) ? "; Secure" : ""));
    }

    /** Served over TLS, or behind a proxy that says its client used HTTPS. */
    static boolean overHttps(Context ctx) {
        String forwarded = ctx.header("X-Forwarded-Proto");
        String standard = ctx.header("Forwarded");
        return "https".equalsIgnoreCase(ctx.scheme()) || ctx.req().isSecure()
                || forwarded != null && forwarded.strip().toLowerCase(java.util.Locale.ROOT).startsWith("https")
                || standard != null && standard.toLowerCase(java.util.Locale.ROOT).replace(" ", "").contains("proto=https");
    }

    void closeSession(Context ctx) {
        String id = ctx.cookie(COOKIE);
        if (id != null && id.length() <= 100) {
            sessions.remove(digestHex(id));
        }
        ctx.header("Set-Cookie", COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (overHttps(ctx) ? "; Secure" : ""));
    }

    private static String bearer(Context ctx) {
        String h = ctx.header("Authorization");
        if (h == null || h.length() < 7 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return h.substring(7).strip();
    }

    private static String digestHex(String s) {
        return HexFormat.of().formatHex(sha256(s));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}
