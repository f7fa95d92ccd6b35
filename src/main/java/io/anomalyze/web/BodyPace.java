package io.anomalyze.web;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;
import java.util.Set;

/**
 * How fast a request body must arrive, for every reader of it (Javalin's forms, the multipart
 * reader, the JSON reader): a form or JSON body within {@link WebLimits#bodyTimeoutSeconds()},
 * and any body, uploads included, at least {@link WebLimits#minBodyRate()} bytes per second on
 * average once it has had {@link #GRACE_NANOS} to start. A client that trickles its body gets
 * 408 and frees its thread, instead of holding it for as long as it likes.
 */
final class BodyPace implements Filter {

    /** Time before the average rate is judged, so a slow start (or a busy server) is not taken for a slow client. */
    static final long GRACE_NANOS = 5_000_000_000L;

    private final WebLimits limits;
    private final Set<String> uploadPaths;

    BodyPace(WebLimits limits, Set<String> uploadPaths) {
        this.limits = limits;
        this.uploadPaths = uploadPaths;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        if (request instanceof HttpServletRequest http && http.getContentLengthLong() != 0) {
            boolean upload = uploadPaths.contains(http.getRequestURI());
            chain.doFilter(new Paced(http, upload ? 0 : limits.bodyTimeoutSeconds()), response);
        } else {
            chain.doFilter(request, response);
        }
    }

    private final class Paced extends HttpServletRequestWrapper {
        private final int timeoutSeconds;
        private ServletInputStream stream;

        Paced(HttpServletRequest request, int timeoutSeconds) {
            super(request);
            this.timeoutSeconds = timeoutSeconds;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new PacedStream(super.getInputStream(), timeoutSeconds);
            }
            return stream;
        }
    }

    private final class PacedStream extends ServletInputStream {
        private final ServletInputStream in;
        private final int timeoutSeconds;
        private final long started = System.nanoTime();
        private long bytes;

        PacedStream(ServletInputStream in, int timeoutSeconds) {
            this.in = in;
            this.timeoutSeconds = timeoutSeconds;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            check(b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            check(Math.max(n, 0));
            return n;
        }

        private void check(int n) {
            bytes += n;
            long elapsed = System.nanoTime() - started;
            if (timeoutSeconds > 0 && elapsed > timeoutSeconds * 1_000_000_000L) {
                throw new HttpError(408, "the request body took longer than the limit of " + timeoutSeconds
                        + " s to arrive (--body-timeout / ANOMALYZE_BODY_TIMEOUT)");
            }
            if (limits.minBodyRate() > 0 && elapsed > GRACE_NANOS && bytes < limits.minBodyRate() * (elapsed / 1e9)) {
                throw new HttpError(408, "the request body arrived slower than the limit of " + limits.minBodyRate()
                        + " bytes per second (--min-body-rate / ANOMALYZE_MIN_BODY_RATE)");
            }
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
