package io.eddy.gateway;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's TCP layer: one thread that accepts connections and reads every socket, handing
 * what it reads to the connection's HTTP stream ({@link SocketConnectionStage}), which writes its
 * answers to the socket itself.
 *
 * <p>It replaces Pekko IO's TCP under Pekko HTTP because of what Pekko IO costs a request: its
 * selector wakes a connection actor on another dispatcher, which reads the socket and wakes the
 * HTTP stream, whose answer wakes the connection actor again to write it, which then wakes the
 * selector to watch the socket again (an eventfd write and read, and two {@code epoll_ctl}s, every
 * request). Here a socket stays watched for reading as long as its stream keeps up, and a request
 * wakes one thread besides the selector. On a machine whose context switches are dear, the thread
 * wake-ups were ~40% of the CPU of a request that does nothing (docs/benchmarks.md).
 *
 * <p>A socket whose stream falls {@link #PAUSE_AT} bytes behind is no longer read until it
 * catches up. Everything that changes what the selector watches runs on its thread.
 *
 * <p>A connection the server closes while its client may still be sending (an answer given before
 * the body was read, an idle or head timeout) lingers: its output is ended, and what still arrives
 * is read and dropped until the client closes its side, for at most {@link #LINGER_NANOS} and
 * {@link #LINGER_BYTES}. Closing with the client's data unread makes the kernel reset the
 * connection, and the reset can destroy the answer before the client reads it (RFC 9112, 9.6).
 */
final class SocketServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SocketServer.class);
    /** Bytes read and not yet taken by a connection's stream, past which its socket is not read. */
    private static final int PAUSE_AT = 256 * 1024;
    /** How long a closing connection reads what its client still sends. */
    private static final long LINGER_NANOS = 2_000_000_000L;
    /** How much a closing connection reads of what its client still sends. */
    private static final long LINGER_BYTES = 16L * 1024 * 1024;

    /** What a connection's stream does with what the selector thread finds. */
    interface Listener {
        void received(ByteString bytes);

        void endOfInput();

        void writable();

        void failed(IOException e);
    }

    private final Selector selector;
    private final ServerSocketChannel server;
    private final Consumer<Connection> onAccept;
    private final int maxConnections;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);
    /** Connections lingering before they close, in the order of their deadlines (selector thread only). */
    private final java.util.ArrayDeque<Connection> lingering = new java.util.ArrayDeque<>();
    private final Thread thread;
    private volatile boolean accepting = true;
    private volatile boolean running = true;
    private SelectionKey acceptKey;
    /** When accepting failed (out of file descriptors, say): System.nanoTime() to try again at, else 0. */
    private long acceptRetryAt;

    private SocketServer(Selector selector, ServerSocketChannel server, int maxConnections, Consumer<Connection> onAccept) {
        this.selector = selector;
        this.server = server;
        this.maxConnections = maxConnections;
        this.onAccept = onAccept;
        this.thread = new Thread(this::run, "eddy-http-selector");
        this.thread.setDaemon(true);
    }

    /** Binds {@code address} and starts accepting; {@code onAccept} starts each connection's stream. */
    static SocketServer bind(InetSocketAddress address, int backlog, int maxConnections, Consumer<Connection> onAccept)
            throws IOException {
        Selector selector = Selector.open();
        ServerSocketChannel server = ServerSocketChannel.open();
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(address, backlog);
            server.configureBlocking(false);
        } catch (IOException | RuntimeException e) { // RuntimeException: an unresolved host, for one
            server.close();
            selector.close();
            throw e;
        }
        SocketServer s = new SocketServer(selector, server, maxConnections, onAccept);
        s.acceptKey = server.register(selector, SelectionKey.OP_ACCEPT);
        s.thread.start();
        return s;
    }

    InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) server.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops accepting connections; those open go on. */
    void unbind() {
        accepting = false;
        execute(() -> {
            acceptKey.cancel();
            closeQuietly(server);
        });
    }

    /**
     * Ends every connection's input as if its client had closed its side: each stream answers what
     * it has read, then closes its connection.
     */
    void endInputs() {
        execute(() -> {
            for (Connection c : connections) {
                Runnable ender = c.inputEnder;
                if (c.closing) { // its stream is done; at shutdown it does not linger
                    if (c.lingers) c.closeNow();
                    continue;
                }
                if (ender != null) ender.run();
                else c.endInput();
            }
        });
    }

    boolean hasConnections() {
        return !connections.isEmpty();
    }

    /** Unbinds, closes every connection and stops the selector thread. */
    @Override
    public void close() {
        unbind();
        running = false;
        selector.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    private void run() {
        try {
            while (running) {
                selector.select(this::ready, selectTimeoutMillis());
                closeLingeringPastTheirDeadline();
                if (acceptRetryAt != 0 && System.nanoTime() - acceptRetryAt >= 0) {
                    acceptRetryAt = 0;
                    resumeAccepting();
                }
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    try {
                        task.run();
                    } catch (CancelledKeyException e) {
                        // Its connection closed meanwhile.
                    } catch (RuntimeException e) {
                        log.error("HTTP selector: a connection's task failed", e);
                    }
                }
            }
        } catch (IOException | ClosedSelectorException e) {
            if (running) log.error("HTTP selector failed; no more connections are served", e);
        } catch (Throwable e) {
            // Said out loud: the process stays up, but answers no one from here on.
            log.error("HTTP selector failed; no more connections are served", e);
            throw e;
        } finally {
            for (Connection c : connections) c.closeChannel();
            closeQuietly(server);
            closeQuietly(selector);
        }
    }

    /** Until the next accept retry or lingering deadline; 0: no timeout. */
    private long selectTimeoutMillis() {
        long wakeAt = acceptRetryAt;
        Connection first = lingering.peek();
        if (first != null && (wakeAt == 0 || first.lingerUntil - wakeAt < 0)) wakeAt = first.lingerUntil;
        return wakeAt == 0 ? 0 : Math.max(1, (wakeAt - System.nanoTime()) / 1_000_000);
    }

    private void closeLingeringPastTheirDeadline() {
        if (lingering.isEmpty()) return;
        long now = System.nanoTime();
        // closeNow takes each off the queue (found at its head at once).
        while (!lingering.isEmpty() && now - lingering.peek().lingerUntil >= 0) lingering.peek().closeNow();
    }

    private void ready(SelectionKey key) {
        try {
            if (key == acceptKey) {
                accept();
                return;
            }
            Connection c = (Connection) key.attachment();
            if (key.isWritable() && !c.closing) {
                c.wantWrite = false;
                c.updateInterest();
                c.listener.writable();
            }
            if (key.isValid() && key.isReadable()) c.read();
        } catch (CancelledKeyException e) {
            // Closed by its stream meanwhile.
        } catch (RuntimeException | OutOfMemoryError e) {
            // A bug in one connection's handling, or a heap too full for its next read, must not stop
            // the thread that serves them all: that connection goes, and its buffers with it.
            log.error("HTTP selector: closing a connection after an unexpected failure", e);
            if (key.attachment() instanceof Connection c) c.closeNow();
        }
    }

    private void accept() {
        while (accepting && connections.size() < maxConnections) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (IOException e) {
                // Out of file descriptors, say: the connection waits in the backlog meanwhile.
                log.warn("Accepting a connection failed: {}; trying again in a second", e.toString());
                acceptKey.interestOps(0);
                acceptRetryAt = System.nanoTime() + 1_000_000_000L;
                return;
            }
            if (channel == null) return;
            try {
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                Connection c = new Connection(channel);
                c.key = channel.register(selector, 0, c);
                connections.add(c);
                try {
                    onAccept.accept(c);
                } catch (RuntimeException e) {
                    connections.remove(c);
                    throw e;
                }
            } catch (IOException | RuntimeException e) {
                log.warn("Setting up a connection failed: {}", e.toString());
                closeQuietly(channel);
            }
        }
        // At max-connections: the next ones wait in the backlog until one closes.
        if (accepting && acceptKey.isValid()) acceptKey.interestOps(0);
    }

    private void resumeAccepting() {
        if (accepting && acceptRetryAt == 0 && acceptKey.isValid() && connections.size() < maxConnections) {
            acceptKey.interestOps(SelectionKey.OP_ACCEPT);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // Nothing left to do with it.
        }
    }

    /** One accepted socket, as the selector thread and the connection's stream share it. */
    final class Connection {
        private final SocketChannel channel;
        private final InetSocketAddress remoteAddress;
        /** What ends the connection's input at shutdown when ending the socket's would lose answers (TLS); null: the socket's. */
        private volatile Runnable inputEnder;
        private SelectionKey key;
        private volatile Listener listener;
        /** Read and handed to the stream, not yet taken by it. */
        private final AtomicLong untaken = new AtomicLong();
        private final AtomicBoolean paused = new AtomicBoolean();
        private volatile boolean wantWrite;
        private boolean inputEnded;
        /** Set by {@link #close}: what arrives from then on is dropped. */
        private volatile boolean closing;
        /** Lingering: System.nanoTime() to close at, and the bytes it may still read. */
        private boolean lingers;
        private long lingerUntil;
        private long lingerBytesLeft;

        private Connection(SocketChannel channel) throws IOException {
            this.channel = channel;
            this.remoteAddress = (InetSocketAddress) channel.getRemoteAddress();
        }

        /** At shutdown, end the connection's input with {@code ender} instead of ending the socket's. */
        void endInputWith(Runnable ender) {
            this.inputEnder = ender;
        }

        /** Ends the socket's input, from any thread, once no write waits for the socket to take it (a slow reader's answer). */
        void endInputOnceWritten() {
            execute(() -> {
                if (!channel.isOpen() || closing) return; // closed meanwhile: nothing left to end, and no reason to look again
                if (!wantWrite) {
                    endInput();
                } else {
                    java.util.concurrent.CompletableFuture.runAsync(this::endInputOnceWritten,
                            java.util.concurrent.CompletableFuture.delayedExecutor(100, java.util.concurrent.TimeUnit.MILLISECONDS));
                }
            });
        }

        /** The client's address and port, as the socket was accepted. */
        InetSocketAddress remoteAddress() {
            return remoteAddress;
        }

        /** Starts reading the socket into {@code listener}. */
        void start(Listener listener) {
            this.listener = listener;
            execute(this::updateInterest);
        }

        /** The stream took {@code bytes} of what it was handed. */
        void taken(int bytes) {
            if (untaken.addAndGet(-bytes) < PAUSE_AT && paused.get() && paused.compareAndSet(true, false)) {
                execute(this::updateInterest);
            }
        }

        /** Writes what the socket takes now; false when some is left (then {@link #awaitWritable}). */
        boolean write(ByteBuffer[] buffers) throws IOException {
            channel.write(buffers);
            return !buffers[buffers.length - 1].hasRemaining();
        }

        /** Calls the listener's {@code writable} once the socket takes more. */
        void awaitWritable() {
            wantWrite = true;
            execute(this::updateInterest);
        }

        /**
         * Closes the socket once everything written to it is sent (from any thread): at once if the
         * client has ended its side, else after lingering (see the class comment).
         */
        void close() {
            closing = true;
            execute(() -> {
                if (lingers || !channel.isOpen()) return;
                if (inputEnded) { // nothing more to read (at shutdown, endInputs ends a lingering one)
                    closeNow();
                    return;
                }
                try {
                    channel.shutdownOutput();
                } catch (IOException e) {
                    closeNow();
                    return;
                }
                lingers = true;
                lingerUntil = System.nanoTime() + LINGER_NANOS;
                lingerBytesLeft = LINGER_BYTES;
                lingering.add(this);
                updateInterest();
            });
        }

        /** Closes the socket now (selector thread). */
        private void closeNow() {
            if (lingers) lingering.remove(this);
            closeChannel();
            // A channel registered with a selector is closed for good at the selector's next pass.
            if (connections.remove(this)) resumeAccepting();
        }

        private void closeChannel() {
            closeQuietly(channel);
        }

        private void read() {
            if (closing) {
                drop();
                return;
            }
            int n;
            try {
                n = channel.read(readBuffer);
            } catch (IOException e) {
                key.interestOps(0);
                listener.failed(e);
                return;
            }
            if (n < 0) {
                endInput();
                return;
            }
            if (n == 0) return;
            readBuffer.flip();
            ByteString bytes = ByteString.fromByteBuffer(readBuffer);
            readBuffer.clear();
            long behind = untaken.addAndGet(n);
            listener.received(bytes);
            if (behind >= PAUSE_AT) {
                paused.set(true);
                updateInterest();
                // The stream may have caught up before it could see the pause.
                if (untaken.get() < PAUSE_AT && paused.compareAndSet(true, false)) updateInterest();
            }
        }

        /** Reads and drops what a closing connection's client still sends; closes once it has ended its side, or too much came. */
        private void drop() {
            try {
                int n = channel.read(readBuffer);
                readBuffer.clear();
                lingerBytesLeft -= Math.max(n, 0);
                if (lingers && lingerBytesLeft <= 0) {
                    closeNow();
                } else if (n < 0) {
                    inputEnded = true;
                    if (lingers) closeNow();
                    else updateInterest();
                }
            } catch (IOException e) {
                closeNow();
            }
        }

        private void endInput() {
            if (listener == null) {
                closeNow();
            } else if (!inputEnded) {
                inputEnded = true;
                updateInterest();
                listener.endOfInput();
            }
        }

        private void updateInterest() {
            if (!key.isValid()) return;
            int ops = lingers ? SelectionKey.OP_READ
                    : (inputEnded || paused.get() || listener == null ? 0 : SelectionKey.OP_READ) | (wantWrite ? SelectionKey.OP_WRITE : 0);
            if (key.interestOps() != ops) key.interestOps(ops);
        }
    }
}
