package io.eddy.shards;

import io.eddy.shards.TransactionEvent.Committing;
import io.eddy.shards.TransactionEvent.Finished;
import io.eddy.shards.TransactionEvent.Started;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.util.ArrayList;
import java.util.List;

/** Binary journal format of the {@link TransactionCoordinator}'s {@link TransactionEvent}s. */
public final class TransactionEventSerializer extends BinaryEventSerializer {

    private static final String STARTED = "Started.v1";
    private static final String COMMITTING_V1 = "Committing.v1";
    private static final String COMMITTING = "Committing.v2";
    private static final String FINISHED = "Finished.v1";

    @Override
    public int identifier() {
        return 7_303;
    }

    @Override
    public String manifest(Object o) {
        if (o instanceof Started) return STARTED;
        if (o instanceof Committing) return COMMITTING;
        if (o instanceof Finished) return FINISHED;
        throw new IllegalArgumentException("not a transaction event: " + o.getClass());
    }

    @Override
    protected void write(Object o, DataOutputStream out) throws IOException {
        if (o instanceof Started started) {
            out.writeUTF(started.transactionId());
            out.writeUTF(started.requestHash());
            out.writeInt(started.participants().size());
            for (String participant : started.participants()) out.writeUTF(participant);
        } else if (o instanceof Committing committing) {
            out.writeUTF(committing.transactionId());
            out.writeLong(committing.committedAtMicros());
        } else if (o instanceof Finished finished) {
            out.writeUTF(finished.transactionId());
            out.writeBoolean(finished.committed());
            out.writeLong(finished.finishedAtMillis());
        } else {
            throw new IllegalArgumentException("not a transaction event: " + o.getClass());
        }
    }

    @Override
    protected Object read(String manifest, DataInputStream in) throws IOException {
        switch (manifest) {
            case STARTED -> {
                String transactionId = in.readUTF();
                String requestHash = in.readUTF();
                int count = in.readInt();
                List<String> participants = new ArrayList<>(count);
                for (int i = 0; i < count; i++) participants.add(in.readUTF());
                return new Started(transactionId, requestHash, participants);
            }
            case COMMITTING_V1 -> {
                return new Committing(in.readUTF(), 0);
            }
            case COMMITTING -> {
                return new Committing(in.readUTF(), in.readLong());
            }
            case FINISHED -> {
                return new Finished(in.readUTF(), in.readBoolean(), in.readLong());
            }
            default -> throw new NotSerializableException("unknown transaction event: " + manifest);
        }
    }
}
