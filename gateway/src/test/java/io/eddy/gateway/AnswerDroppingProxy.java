package io.eddy.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands between a node and another region's node: passes every request on and its answer back,
 * except that the first request whose X-Amz-Target is {@code dropTarget} is made there and its
 * answer lost (the caller gets a 502, as from a gateway whose connection broke).
 */
final class AnswerDroppingProxy implements AutoCloseable {

    private static final Set<String> NOT_PASSED = Set.of("host", "content-length", "connection", "expect", "upgrade");

    private final HttpServer server;
    private final HttpClient client = HttpClient.newHttpClient();
    private final URI target;
    private final String dropTarget;
    private final AtomicInteger dropped = new AtomicInteger();

    AnswerDroppingProxy(URI target, String dropTarget) throws IOException {
        this.target = target;
        this.dropTarget = dropTarget;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::pass);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    int dropped() {
        return dropped.get();
    }

    private void pass(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI()))
                    .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(in.readAllBytes()));
            for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
                if (NOT_PASSED.contains(header.getKey().toLowerCase())) continue;
                for (String value : header.getValue()) request.header(header.getKey(), value);
            }
            HttpResponse<byte[]> answer = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (dropTarget.equals(exchange.getRequestHeaders().getFirst("X-Amz-Target")) && dropped.compareAndSet(0, 1)) {
                exchange.sendResponseHeaders(502, -1);
                return;
            }
            answer.headers().firstValue("Content-Type").ifPresent(type -> exchange.getResponseHeaders().add("Content-Type", type));
            exchange.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer.body());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
