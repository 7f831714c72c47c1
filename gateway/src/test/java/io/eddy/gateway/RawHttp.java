package io.eddy.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 written and read byte for byte on a plain socket, for tests that must see exactly what
 * the server sends on a connection (keep-alive, framing, pipelining) with no client library
 * between: one that pools connections can retry, drop or (JDK-8338569 in the JDK 17 HttpClient)
 * itself break a reused connection.
 */
final class RawHttp {

    private RawHttp() {}

    /** One response: its status, its headers (names lower-cased) and its Content-Length body. */
    record Response(int status, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** A POST to {@code path} with {@code headerLines} (each ending in CRLF) and a Content-Length body. */
    static byte[] post(String path, String headerLines, byte[] body) {
        return post(path, "127.0.0.1", headerLines, body);
    }

    /** The same with this Host header (one a signature covers). */
    static byte[] post(String path, String host, String headerLines, byte[] body) {
        byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\n" + headerLines + "Content-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    /**
     * A JDK HttpClient for one exchange, for tests that want its parsing: a client used once never
     * reuses a pooled connection, so JDK-8338569's race (a pooled connection's idle watcher taking
     * the next exchange's answer) cannot arise.
     */
    static java.net.http.HttpClient oneShotClient() {
        return java.net.http.HttpClient.newHttpClient();
    }

    /** Sends one request on a connection of its own and reads the answer (what one call of a client does, without a pool). */
    static Response exchange(int port, byte[] request) throws IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request);
            return read(socket.getInputStream());
        }
    }

    /** Reads one response, which must have a Content-Length (the server sends nothing chunked). */
    static Response read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) throw new IOException("connection closed in the head; read: " + head.toString(StandardCharsets.ISO_8859_1));
            head.write(b);
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        String length = headers.get("content-length");
        if (length == null) throw new IOException("no Content-Length: " + headers);
        byte[] body = in.readNBytes(Integer.parseInt(length));
        if (body.length < Integer.parseInt(length)) throw new IOException("connection closed in the body; read: " + body.length);
        return new Response(status, headers, body);
    }
}
