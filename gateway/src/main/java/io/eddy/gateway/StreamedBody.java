package io.eddy.gateway;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.util.ByteString;

/**
 * Reads a request body that did not arrive whole (a large or chunked one). At most
 * {@link GzipCoding#MAX_REQUEST_BYTES} are kept; a longer body is read to its end and dropped,
 * up to {@link #DRAINED_BYTES} in all, before the 413 goes out. A server that closes a connection
 * with the client's data still unread makes the kernel reset it, and the reset can destroy the
 * response before the client has read it (RFC 9112, section 9.6), so the client saw a broken pipe
 * instead of RequestEntityTooLargeException.
 */
final class StreamedBody {

    /** How much of an over-long body is read before giving up on answering it cleanly. */
    static final long DRAINED_BYTES = 4L * GzipCoding.MAX_REQUEST_BYTES;

    private StreamedBody() {}

    /**
     * The body, or empty if it is longer than the limit. Fails if the body ends early or does not
     * arrive within {@code timeout}, waiting for {@code reservation} included: what it may keep is
     * reserved before it is read, and nothing is read while the reservation waits. The caller
     * closes the reservation once it has answered.
     */
    static CompletionStage<Optional<ByteString>> read(HttpEntity entity, boolean expectsContinue, Duration timeout,
                                                      MemoryBudget.Reservation reservation, Materializer materializer) {
        java.util.OptionalLong length = entity.getContentLengthOption();
        long declared = length.orElse(0L);
        // A client that waits for 100 Continue has sent none of its body yet: told at once, it sends none.
        if (declared > DRAINED_BYTES || expectsContinue && declared > GzipCoding.MAX_REQUEST_BYTES) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        // A body declared too long is only drained: nothing of it is kept, so it reserves nothing. Any
        // other reserves, once and before a byte is read, all it may keep: its declared length, or for a
        // chunked one the limit. A body that held memory and waited for more would wait on others that
        // wait for it, which only the timeout would end.
        boolean keep = declared <= GzipCoding.MAX_REQUEST_BYTES;
        long reserved = !keep ? 0 : length.isPresent() ? declared : GzipCoding.MAX_REQUEST_BYTES;
        // Reading stops (cancelling the rest) once past DRAINED_BYTES: the connection is closed
        // after the 413 regardless.
        return entity.withoutSizeLimit().getDataBytes()
                .scan(new Collected(ByteString.emptyByteString(), 0, keep), Collected::add)
                .mapAsync(1, collected -> reservation.growTo(reserved).thenApply(granted -> collected))
                .takeWhile(collected -> collected.length() <= DRAINED_BYTES, true)
                .completionTimeout(timeout)
                .runWith(Sink.last(), materializer)
                .thenApply(collected -> collected.length() > GzipCoding.MAX_REQUEST_BYTES
                        ? Optional.<ByteString>empty() : Optional.of(collected.data()));
    }

    /** The bytes kept so far (none once over the limit, none at all unless {@code keep}) and the body's length so far. */
    private record Collected(ByteString data, long length, boolean keep) {
        Collected add(ByteString chunk) {
            long total = length + chunk.size();
            return new Collected(!keep || total > GzipCoding.MAX_REQUEST_BYTES ? ByteString.emptyByteString() : data.concat(chunk),
                    total, keep);
        }
    }
}
