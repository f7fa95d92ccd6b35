package io.anomalyze.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A bare HTTP/1.1 connection to the service for what a well-behaved client never does: stall, trickle, hang up. */
final class RawClient implements AutoCloseable {

    final Socket socket;
    final OutputStream out;
    final InputStream in;

    RawClient(int port, int readTimeoutMillis) throws IOException {
        this(port, readTimeoutMillis, null);
    }

    /** A connection from {@code localAddress} (another loopback address is another client), or any when null. */
    RawClient(int port, int readTimeoutMillis, String localAddress) throws IOException {
        socket = new Socket();
        socket.setReceiveBufferSize(4096);
        if (localAddress != null) {
            socket.bind(new InetSocketAddress(localAddress, 0));
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(readTimeoutMillis);
        out = socket.getOutputStream();
        in = socket.getInputStream();
    }

    RawClient send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawClient send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** The status line and headers of the answer, or null when the connection ends or times out first. */
    String head() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        try {
            int b;
            while ((b = in.read()) >= 0) {
                head.write(b);
                if (head.size() >= 4 && head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                    return head.toString(StandardCharsets.ISO_8859_1);
                }
            }
        } catch (SocketTimeoutException | java.net.SocketException e) {
            return null;
        }
        return null;
    }

    /** The status code of the answer, or -1 when none comes before the read timeout or the end of the connection. */
    int status() throws IOException {
        String head = head();
        return head == null ? -1 : Integer.parseInt(head.substring(9, 12));
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
