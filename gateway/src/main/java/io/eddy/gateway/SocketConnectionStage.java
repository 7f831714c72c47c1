package io.eddy.gateway;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.TimerGraphStageLogic;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's socket as a stream stage: what the selector thread reads comes out of its
 * outlet, and what reaches its inlet (Pekko HTTP's rendered answers) is written to the socket from
 * the stream's own thread. The socket closes when the answers end, when it has been idle for
 * {@code idleTimeout} (neither read nor written through a whole period), or when a request head
 * has been arriving for {@code headTimeout} ({@link RequestHeadClock}).
 */
final class SocketConnectionStage extends GraphStage<FlowShape<ByteString, ByteString>> {

    private static final Object IDLE_CHECK = "idle-check";
    private static final Object HEAD_CHECK = "head-check";
    private static final Logger log = LoggerFactory.getLogger(SocketConnectionStage.class);

    private final Inlet<ByteString> toSocket = Inlet.create("SocketConnection.toSocket");
    private final Outlet<ByteString> fromSocket = Outlet.create("SocketConnection.fromSocket");
    private final FlowShape<ByteString, ByteString> shape = FlowShape.of(toSocket, fromSocket);
    private final SocketServer.Connection connection;
    private final Duration idleTimeout;
    private final Duration headTimeout;
    private final RequestHeadClock headClock;

    /** {@code idleTimeout} null: never closed for idleness. */
    SocketConnectionStage(SocketServer.Connection connection, Duration idleTimeout, Duration headTimeout, RequestHeadClock headClock) {
        this.connection = connection;
        this.idleTimeout = idleTimeout;
        this.headTimeout = headTimeout;
        this.headClock = headClock;
    }

    @Override
    public FlowShape<ByteString, ByteString> shape() {
        return shape;
    }

    @Override
    public GraphStageLogic createLogic(Attributes inheritedAttributes) {
        return new Logic();
    }

    private final class Logic extends TimerGraphStageLogic implements SocketServer.Listener {
        private final ArrayDeque<ByteString> received = new ArrayDeque<>();
        private AsyncCallback<ByteString> onReceived;
        private AsyncCallback<Boolean> onEndOfInput;
        private AsyncCallback<Boolean> onWritable;
        private AsyncCallback<IOException> onFailed;
        private boolean inputEnded;
        private ByteBuffer[] unwritten;
        private boolean active;
        /** System.nanoTime() of the last write to the socket; 0: none yet. */
        private long lastWrite;

        Logic() {
            super(shape);
            setHandler(fromSocket, new AbstractOutHandler() {
                @Override
                public void onPull() {
                    if (!received.isEmpty()) pushReceived(received.poll());
                    else if (inputEnded) complete(fromSocket);
                }

                @Override
                public void onDownstreamFinish(Throwable cause) {
                    // HTTP stops reading before its last answer is written; the socket closes once it is.
                }
            });
            setHandler(toSocket, new AbstractInHandler() {
                @Override
                public void onPush() {
                    active = true;
                    write(buffers(grab(toSocket)));
                }

                @Override
                public void onUpstreamFinish() {
                    if (unwritten == null) completeStage();
                }
            });
        }

        @Override
        public void preStart() {
            onReceived = createAsyncCallback(this::onReceived);
            onEndOfInput = createAsyncCallback(ignored -> onEndOfInput());
            onWritable = createAsyncCallback(ignored -> write(unwritten));
            onFailed = createAsyncCallback(this::failStage);
            if (idleTimeout != null) scheduleWithFixedDelay(IDLE_CHECK, idleTimeout, idleTimeout);
            connection.start(this);
            pull(toSocket);
        }

        @Override
        public void onTimer(Object key) {
            if (key == HEAD_CHECK) {
                long now = System.nanoTime();
                long waited = headClock.waitedNanos(now);
                if (waited < 0) return; // the next bytes start it again
                // While answers are being written (pipelined requests the server has not read yet,
                // a big answer taken slowly), the head waits on the server: it counts from the last write.
                // Not so for an answer the client has taken nothing of for an idle timeout: a client
                // that never reads, and sends a byte now and then, would otherwise hold the connection.
                boolean writing = unwritten != null && (idleTimeout == null || now - lastWrite < idleTimeout.toNanos());
                if (writing) waited = 0;
                else if (lastWrite != 0) waited = Math.min(waited, now - lastWrite);
                long left = headTimeout.toNanos() - waited;
                if (left > 0) {
                    scheduleOnce(HEAD_CHECK, Duration.ofNanos(left));
                } else {
                    log.debug("Closing the connection of {}: its request head took longer than {}", connection.remoteAddress(), headTimeout);
                    completeStage();
                }
                return;
            }
            if (!active) completeStage();
            active = false;
        }

        @Override
        public void postStop() {
            connection.close();
        }

        // Called on the selector thread: hand over to the stream's.
        @Override
        public void received(ByteString bytes) {
            onReceived.invoke(bytes);
        }

        @Override
        public void endOfInput() {
            onEndOfInput.invoke(Boolean.TRUE);
        }

        @Override
        public void writable() {
            onWritable.invoke(Boolean.TRUE);
        }

        @Override
        public void failed(IOException e) {
            onFailed.invoke(e);
        }

        private void onReceived(ByteString bytes) {
            active = true;
            if (headClock.bytesArrived(System.nanoTime()) && !isTimerActive(HEAD_CHECK)) scheduleOnce(HEAD_CHECK, headTimeout);
            if (isClosed(fromSocket)) {
                connection.taken(bytes.size());
            } else if (received.isEmpty() && isAvailable(fromSocket)) {
                pushReceived(bytes);
            } else {
                received.add(bytes);
            }
        }

        private void onEndOfInput() {
            inputEnded = true;
            if (received.isEmpty() && !isClosed(fromSocket)) complete(fromSocket);
        }

        private void pushReceived(ByteString bytes) {
            push(fromSocket, bytes);
            connection.taken(bytes.size());
        }

        private void write(ByteBuffer[] buffers) {
            // Also when the socket took more of an answer: a big one sent slowly is no idle connection.
            active = true;
            lastWrite = System.nanoTime();
            try {
                if (connection.write(buffers)) {
                    unwritten = null;
                    if (isClosed(toSocket)) completeStage();
                    else pull(toSocket);
                } else {
                    unwritten = buffers;
                    connection.awaitWritable();
                }
            } catch (IOException e) {
                failStage(e);
            }
        }

        private static ByteBuffer[] buffers(ByteString bytes) {
            List<ByteBuffer> list = new ArrayList<>(2);
            for (ByteBuffer b : bytes.getByteBuffers()) list.add(b);
            return list.toArray(new ByteBuffer[0]);
        }
    }
}
