package io.eddy.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;

/** A real local HTTP (or HTTPS) endpoint for triggers: records every batch it accepts; refuses the batches {@code refuse} picks with 500. */
final class TriggerReceiver implements AutoCloseable {

    final List<JsonNode> accepted = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger refused = new AtomicInteger();
    private final HttpServer server;

    TriggerReceiver(Predicate<JsonNode> refuse) throws IOException {
        this(refuse, null);
    }

    /** Over HTTPS with {@code tls} (a server context), or plain HTTP without. */
    TriggerReceiver(Predicate<JsonNode> refuse, SSLContext tls) throws IOException {
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", 0);
        if (tls == null) {
            server = HttpServer.create(address, 0);
        } else {
            HttpsServer https = HttpsServer.create(address, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = https;
        }
        server.createContext("/", exchange -> {
            JsonNode event = Json.MAPPER.readTree(exchange.getRequestBody().readAllBytes());
            requests.incrementAndGet();
            boolean refuseIt = refuse.test(event);
            if (refuseIt) {
                refused.incrementAndGet();
            } else {
                for (JsonNode record : event.path("Records")) accepted.add(record);
            }
            exchange.sendResponseHeaders(refuseIt ? 500 : 200, -1);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return (server instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    List<JsonNode> records() {
        synchronized (accepted) {
            return List.copyOf(accepted);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
