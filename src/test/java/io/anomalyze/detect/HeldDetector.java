package io.anomalyze.detect;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A real detector whose scans wait until the test releases them: it holds an analysis running
 * for exactly as long as a test needs, then scores it as the detector it wraps does.
 */
public final class HeldDetector implements Detector {

    private final Detector real;
    private final CountDownLatch released = new CountDownLatch(1);

    public HeldDetector(Detector real) {
        this.real = real;
    }

    /** Lets every scan, waiting or to come, go on. */
    public void release() {
        released.countDown();
    }

    @Override
    public ModelDomain domain() {
        return real.domain();
    }

    @Override
    public ObjectNode provenance() {
        return real.provenance();
    }

    @Override
    public List<String> knownLimits() {
        return real.knownLimits();
    }

    @Override
    public ScanResult scan(InputStream in, String source, ScanOptions options, VerdictSink sink) throws IOException {
        try {
            if (!released.await(2, TimeUnit.MINUTES)) {
                throw new IllegalStateException("the test never released the held scan of " + source);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("the held scan of " + source + " was interrupted");
        }
        return real.scan(in, source, options, sink);
    }

    @Override
    public void close() {
        real.close();
    }
}
