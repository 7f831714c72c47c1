package io.eddy.gateway;

import io.eddy.model.DynamoException;
import io.eddy.model.ErrorCode;
import io.eddy.model.TableMetadata;
import io.eddy.model.TableMetadata.TableStatus;
import io.eddy.shards.TableCatalog;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * DeleteTable of a global table: as in DynamoDB, only this region's replica goes. The table turns
 * DELETING here first (after the checks: deletion protection, no replica being created or
 * deleted), so it takes no more requests and sends no more changes; then another replica's node is
 * asked to delete this region's replica ({@link HttpReplicaLink#leave}), which it does as for a
 * ReplicaUpdates Delete asked there: it deletes the table here ({@code DeleteTableReplica}) and
 * tells the others. A node that cannot be reached is passed over for the next. If none will, the
 * request fails, and the table is ACTIVE again unless a node may have taken it without answering; if every one answers that this region is no longer
 * its replica (it gave this region up) or that its own table is being deleted too (two regions
 * leaving at once), the table is deleted here. DeleteTable of the table while DELETING asks again,
 * which is the way out for a table the others have forgotten meanwhile, and for one whose request
 * a stop of the node cut short.
 */
final class GlobalTableLeaving {

    private final NodeContext node;
    private final HttpReplicaLink link;
    private final TableDeletion deletion;

    GlobalTableLeaving(NodeContext node, HttpReplicaLink link, TableDeletion deletion) {
        this.node = node;
        this.link = link;
        this.deletion = deletion;
    }

    /** Completes with the table DELETING, being deleted by another replica's node, or deleted here. */
    CompletionStage<TableMetadata> leave(TableMetadata table) {
        if (table.status() == TableStatus.DELETING) return ask(table, false);
        return node.shards().updateTable(table.name(), current -> {
            if (!current.id().equals(table.id())) throw NodeContext.controlNotFound(table.name());
            NodeContext.refuseWhileDeleting(current);
            if (current.options().replicas().isEmpty()) return current; // no longer global: deleted as any table
            if (current.options().deletionProtectionEnabled()) throw TableCatalog.deletionProtected();
            NodeContext.refuseWhileIndexesChange(current);
            ReplicaUpdates.refuseWhileChanging(current);
            return current.withStatus(TableStatus.DELETING);
        }).thenCompose(marked -> marked.status() == TableStatus.DELETING ? ask(marked, true)
                : deleteHere(marked, NodeContext::refuseWhileIndexesChange));
    }

    /** Asks the other replicas' nodes in turn; {@code first}: this request turned the table DELETING. */
    private CompletionStage<TableMetadata> ask(TableMetadata table, boolean first) {
        return ask(table, 0, new Answer(false, null, false, null)).thenCompose(answer -> {
            if (answer.deleting()) {
                // Asked again while another node deletes it: as DynamoDB answers a second DeleteTable.
                if (!first) NodeContext.refuseWhileDeleting(table);
                return CompletableFuture.completedFuture(table);
            }
            if (answer.refusal() == null && answer.unreached() == null) return deleteHere(table, checked -> {});
            Throwable refusal = answer.refusal() != null ? answer.refusal() : link.unreachable(answer.unreached());
            // Back to ACTIVE only when no node may have taken the request: one that timed out may delete the table
            // yet, and writes taken meanwhile would go with it. A DeleteTable asked again finishes it.
            CompletionStage<TableMetadata> back = first && !answer.uncertain() ? active(table) : CompletableFuture.completedFuture(table);
            return back.thenCompose(restored -> CompletableFuture.<TableMetadata>failedFuture(refusal));
        });
    }

    /**
     * What the other replicas' nodes answered: one deletes this region's replica; or one refused
     * ({@code refusal}); or none does: then the first that could not be reached, null if every one
     * has forgotten this region or is itself being deleted (no replica is left that would keep
     * this one). {@code uncertain}: one may have taken the request without answering (a timeout,
     * an internal error).
     */
    private record Answer(boolean deleting, String unreached, boolean uncertain, DynamoException refusal) {}

    /** Asks from the {@code next}th replica on, after what {@code sofar} the earlier ones answered. */
    private CompletionStage<Answer> ask(TableMetadata table, int next, Answer sofar) {
        if (next == table.options().replicas().size()) return CompletableFuture.completedFuture(sofar);
        String region = table.options().replicas().get(next).regionName();
        return link.leave(region, table).handle((answer, failure) -> {
            if (failure == null && answer == RemoveReplicaOperation.Answer.DELETING) {
                return CompletableFuture.completedFuture(new Answer(true, null, sofar.uncertain(), null));
            }
            if (failure == null) return ask(table, next + 1, sofar);
            Throwable cause = Failures.cause(failure);
            boolean uncertain = sofar.uncertain() || cause instanceof java.util.concurrent.TimeoutException
                    || cause instanceof DynamoException e && e.code() == ErrorCode.InternalServerError;
            if (cause instanceof DynamoException refused && refused.code() != ErrorCode.InternalServerError) {
                return CompletableFuture.completedFuture(new Answer(false, null, uncertain, refused));
            }
            return ask(table, next + 1, new Answer(false, sofar.unreached() != null ? sofar.unreached() : region, uncertain, null));
        }).thenCompose(answer -> answer);
    }

    /**
     * The table deleted here, unless it is gone meanwhile (deleted by another region's node, say) or
     * another of its name, or {@code check} refuses (a table no longer global, deleted as any table).
     */
    private CompletionStage<TableMetadata> deleteHere(TableMetadata table, Consumer<TableMetadata> check) {
        if (node.shards().tables().find(table.name()).filter(current -> current.id().equals(table.id())).isEmpty()) {
            throw NodeContext.controlNotFound(table.name());
        }
        return deletion.delete(table.name(), check);
    }

    /** The table ACTIVE again here, as it was before this request. */
    private CompletionStage<TableMetadata> active(TableMetadata table) {
        return node.shards().updateTable(table.name(), current -> current.id().equals(table.id()) && current.status() == TableStatus.DELETING
                ? current.withStatus(TableStatus.ACTIVE) : current);
    }
}
