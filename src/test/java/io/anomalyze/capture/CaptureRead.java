package io.anomalyze.capture;

import io.anomalyze.InvalidInputException;
import io.anomalyze.read.InputLimits;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Reads a whole capture made by a test, keeping a copy of every packet and the final counts. */
record CaptureRead(List<Packet> packets, CaptureStats stats) {

    static CaptureRead of(byte[] capture) throws IOException {
        return of(capture, CaptureOptions.DEFAULTS);
    }

    static CaptureRead of(byte[] capture, CaptureOptions options) throws IOException {
        return of(capture, options, InputLimits.DEFAULTS);
    }

    static CaptureRead of(byte[] capture, CaptureOptions options, InputLimits limits) throws IOException {
        List<Packet> packets = new ArrayList<>();
        try (PacketSource source = Captures.open(new ByteArrayInputStream(capture), "test.pcap", limits, options)) {
            Packet p = new Packet();
            while (source.next(p)) {
                Packet copy = new Packet();
                copy.copyFrom(p);
                packets.add(copy);
            }
            return new CaptureRead(packets, source.stats());
        }
    }

    /** The message of the error reading {@code capture} ends with, or fails when it reads. */
    static String error(byte[] capture) throws IOException {
        return error(capture, CaptureOptions.DEFAULTS);
    }

    static String error(byte[] capture, CaptureOptions options) throws IOException {
        try {
            of(capture, options);
        } catch (InvalidInputException e) {
            return e.getMessage();
        }
        throw new AssertionError("the capture was read without an error");
    }

    Packet only() {
        if (packets.size() != 1) {
            throw new AssertionError("expected one packet, got " + packets.size());
        }
        return packets.get(0);
    }
}
