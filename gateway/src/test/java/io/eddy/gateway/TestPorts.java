package io.eddy.gateway;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for servers a test starts on a port it must know in advance (a peer region's, a tool's).
 * They lie below Linux's ephemeral range (32768 and up): a port the kernel hands out could be taken
 * by an outgoing connection before the server binds it, or be connected to itself by a peer that
 * dials it before the server listens (TCP's simultaneous open). Each is handed out once a run.
 */
final class TestPorts {

    private static final int FIRST = 20_000;
    private static final int COUNT = 12_000;
    private static final Set<Integer> given = ConcurrentHashMap.newKeySet();

    private TestPorts() {}

    /** A port nothing listens on now, not handed out before. */
    static int free() throws IOException {
        for (int attempt = 0; attempt < 1_000; attempt++) {
            int port = FIRST + ThreadLocalRandom.current().nextInt(COUNT);
            if (given.contains(port)) continue;
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress("127.0.0.1", port));
            } catch (IOException taken) {
                continue;
            }
            if (given.add(port)) return port;
        }
        throw new IOException("no free port between " + FIRST + " and " + (FIRST + COUNT));
    }
}
