package io.eddy.gateway;

import java.nio.charset.StandardCharsets;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.BidiShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * Beneath the TLS stage of an HTTPS port: a connection whose first byte starts an HTTP request
 * (an upper-case letter, a method's) rather than a TLS record gets a plain
 * {@code 400 Bad Request} saying "The plain HTTP request was sent to HTTPS port", as DynamoDB
 * answers (ScyllaDB's tests, run against it), and is closed; the TLS engine would only fail on it,
 * and the client would see the connection dropped without a word. Anything else passes through.
 *
 * <p>Its outbound side takes the TLS stage's records to the socket; its inbound side, the socket's
 * bytes to the TLS stage.
 */
final class PlainHttpRefusal extends GraphStage<BidiShape<ByteString, ByteString, ByteString, ByteString>> {

    static final ByteString ANSWER = answer();

    private final Inlet<ByteString> fromTls = Inlet.create("PlainHttpRefusal.fromTls");
    private final Outlet<ByteString> toSocket = Outlet.create("PlainHttpRefusal.toSocket");
    private final Inlet<ByteString> fromSocket = Inlet.create("PlainHttpRefusal.fromSocket");
    private final Outlet<ByteString> toTls = Outlet.create("PlainHttpRefusal.toTls");
    private final BidiShape<ByteString, ByteString, ByteString, ByteString> shape = BidiShape.of(fromTls, toSocket, fromSocket, toTls);

    private static ByteString answer() {
        String body = "<html><body><h1>400 Bad Request</h1><p>The plain HTTP request was sent to HTTPS port</p></body></html>\n";
        return ByteString.fromString("HTTP/1.1 400 Bad Request\r\nContent-Type: text/html\r\nContent-Length: "
                + body.getBytes(StandardCharsets.US_ASCII).length + "\r\nConnection: close\r\n\r\n" + body, StandardCharsets.US_ASCII);
    }

    @Override
    public BidiShape<ByteString, ByteString, ByteString, ByteString> shape() {
        return shape;
    }

    @Override
    public GraphStageLogic createLogic(Attributes inheritedAttributes) {
        return new GraphStageLogic(shape) {
            private boolean firstSeen;

            {
                setHandler(fromTls, new AbstractInHandler() {
                    @Override
                    public void onPush() {
                        push(toSocket, grab(fromTls));
                    }

                    @Override
                    public void onUpstreamFinish() {
                        complete(toSocket);
                    }
                });
                setHandler(toSocket, new AbstractOutHandler() {
                    @Override
                    public void onPull() {
                        if (!hasBeenPulled(fromTls) && !isClosed(fromTls)) pull(fromTls);
                    }

                    @Override
                    public void onDownstreamFinish(Throwable cause) {
                        cancel(fromTls, cause);
                    }
                });
                setHandler(fromSocket, new AbstractInHandler() {
                    @Override
                    public void onPush() {
                        ByteString bytes = grab(fromSocket);
                        if (!firstSeen && !bytes.isEmpty()) {
                            firstSeen = true;
                            byte first = bytes.apply(0);
                            if (first >= 'A' && first <= 'Z') {
                                // What the TLS stage would send is not wanted now: only the answer, then the end.
                                cancel(fromTls);
                                cancel(fromSocket);
                                complete(toTls);
                                emit(toSocket, ANSWER, () -> complete(toSocket));
                                return;
                            }
                        }
                        push(toTls, bytes);
                    }

                    @Override
                    public void onUpstreamFinish() {
                        complete(toTls);
                    }
                });
                setHandler(toTls, new AbstractOutHandler() {
                    @Override
                    public void onPull() {
                        pull(fromSocket);
                    }

                    @Override
                    public void onDownstreamFinish(Throwable cause) {
                        cancel(fromSocket, cause);
                    }
                });
            }
        };
    }
}
