package io.eddy.gateway;

import io.eddy.model.DynamoException;
import io.eddy.model.TableMetadata;
import io.eddy.model.TableMetadata.TableStatus;
import io.eddy.shards.TableCatalog;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * DeleteTable of a global table: as in DynamoDB, only this region's replica goes. The table turns
 * DELETING here first (after the checks: deletion protection, no replica being created or
 * deleted), so it takes no more requests and sends no more changes; then another replica's node is
 * asked to delete this region's replica ({@link HttpReplicaLink#leave}), which it does as for a
 * ReplicaUpdates Delete asked there: it deletes the table here ({@code DeleteTableReplica}) and
 * tells the others. A node that cannot be reached is passed over for the next. If none will, the
 * table is ACTIVE again and the request fails; if every one answers that this region is no longer
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
            ReplicaUpdates.refuseWhileChanging(current);
            return current.withStatus(TableStatus.DELETING);
        }).thenCompose(marked -> marked.status() == TableStatus.DELETING ? ask(marked, true) : deleteHere(marked));
    }

    /** Asks the other replicas' nodes in turn; {@code first}: this request turned the table DELETING. */
    private CompletionStage<TableMetadata> ask(TableMetadata table, boolean first) {
        return ask(table, 0, null).handle((answer, failure) -> {
            if (failure == null && answer.deleting()) {
                // Asked again while another node deletes it: as DynamoDB answers a second DeleteTable.
                if (!first) NodeContext.refuseWhileDeleting(table);
                return CompletableFuture.completedFuture(table);
            }
            if (failure == null && answer.unreached() == null) return deleteHere(table);
            Throwable refusal = failure != null ? Failures.cause(failure) : link.unreachable(answer.unreached());
            CompletionStage<TableMetadata> back = first ? active(table) : CompletableFuture.completedFuture(table);
            return back.thenCompose(restored -> CompletableFuture.<TableMetadata>failedFuture(refusal));
        }).thenCompose(next -> next);
    }

    /**
     * What the other replicas' nodes answer: one deletes this region's replica, or none does: then
     * the first that could not be reached, null if every one has forgotten this region or is
     * itself being deleted (no replica is left that would keep this one).
     */
    private record Answer(boolean deleting, String unreached) {}

    /** Asks from the {@code next}th replica on, {@code unreached} the first not reached so far; a refusal fails it. */
    private CompletionStage<Answer> ask(TableMetadata table, int next, String unreached) {
        if (next == table.options().replicas().size()) return CompletableFuture.completedFuture(new Answer(false, unreached));
        String region = table.options().replicas().get(next).regionName();
        return link.leave(region, table).handle((answer, failure) -> {
            if (failure == null && answer == RemoveReplicaOperation.Answer.DELETING) {
                return CompletableFuture.completedFuture(new Answer(true, null));
            }
            if (failure != null && Failures.cause(failure) instanceof DynamoException refused) {
                return CompletableFuture.<Answer>failedFuture(refused);
            }
            return ask(table, next + 1, unreached != null || failure == null ? unreached : region);
        }).thenCompose(answer -> answer);
    }

    /** The table deleted here, unless it is gone meanwhile (deleted by another region's node, say) or another of its name. */
    private CompletionStage<TableMetadata> deleteHere(TableMetadata table) {
        if (node.shards().tables().find(table.name()).filter(current -> current.id().equals(table.id())).isEmpty()) {
            throw NodeContext.controlNotFound(table.name());
        }
        return deletion.delete(table.name());
    }

    /** The table ACTIVE again here, as it was before this request. */
    private CompletionStage<TableMetadata> active(TableMetadata table) {
        return node.shards().updateTable(table.name(), current -> current.id().equals(table.id()) && current.status() == TableStatus.DELETING
                ? current.withStatus(TableStatus.ACTIVE) : current);
    }
}
