package io.eddy.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** A real local HTTP endpoint for triggers: records every batch it accepts; refuses the batches {@code refuse} picks with 500. */
final class TriggerReceiver implements AutoCloseable {

    final List<JsonNode> accepted = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger refused = new AtomicInteger();
    private final HttpServer server;

    TriggerReceiver(Predicate<JsonNode> refuse) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
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
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
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
