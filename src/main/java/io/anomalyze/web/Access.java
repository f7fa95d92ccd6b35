package io.anomalyze.web;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who may change data. Without an API token everyone may. With one ({@code ANOMALYZE_API_TOKEN}),
 * the API's write and delete endpoints need {@code Authorization: Bearer <token>} and the
 * browser's upload, sample and delete actions need a session opened with the token on
 * {@code /login}. Tokens are compared through their SHA-256 digests with
 * {@link MessageDigest#isEqual}, so the time taken says nothing about how much of a guess was right.
 */
final class Access {

    static final String COOKIE = "anomalyze_session";
    static final Duration SESSION_LIFETIME = Duration.ofHours(12);
    private static final int MAX_SESSIONS = 10_000;

    private final byte[] tokenDigest;
    private final SecureRandom random = new SecureRandom();
    /** SHA-256 of each session id (hex) to its expiry in epoch milliseconds. */
    private final Map<String, Long> sessions = new ConcurrentHashMap<>();

    Access(String token) {
        this.tokenDigest = token == null || token.isEmpty() ? null : sha256(token);
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

    /** An API handler that first checks the bearer token. */
    Handler api(Handler handler) {
        return ctx -> {
            if (enabled() && !tokenMatches(bearer(ctx))) {
                ctx.header("WWW-Authenticate", "Bearer realm=\"anomalyze\"");
                throw new HttpError(401, ctx.header("Authorization") == null
                        ? "this action needs the API token: send Authorization: Bearer <token>"
                        : "the API token is wrong");
            }
            handler.handle(ctx);
        };
    }

    /** A browser action that needs a session (or, for scripts, the bearer token). */
    Handler browser(Handler handler) {
        return ctx -> {
            if (enabled() && !signedIn(ctx) && !(ctx.header("Authorization") != null && tokenMatches(bearer(ctx)))) {
                throw new HttpError(401, "this action needs a session: log in with the API token at /login");
            }
            handler.handle(ctx);
        };
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

    /** Opens a session and sets its cookie: HttpOnly, SameSite=Strict, for the whole site. */
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
                + "; HttpOnly; SameSite=Strict");
    }

    void closeSession(Context ctx) {
        String id = ctx.cookie(COOKIE);
        if (id != null && id.length() <= 100) {
            sessions.remove(digestHex(id));
        }
        ctx.header("Set-Cookie", COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
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
