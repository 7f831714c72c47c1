package io.eddy.gateway;

import io.eddy.gateway.TransactWriteAction.Kind;
import io.eddy.model.AttributeValue;
import io.eddy.model.CancellationReason;
import io.eddy.model.DynamoException;
import io.eddy.model.TableMetadata;
import io.eddy.shards.TransactionOutcome;
import io.eddy.shards.TransactionWrite;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * TransactWriteItems: up to 100 ConditionCheck, Put, Delete and Update actions over any tables,
 * applied all or none by the shards' two-phase commit.
 *
 * <p>Checks run in DynamoDB's order: member constraints of the whole request, one action per
 * element, each action as its single-item operation checks it, the tables, the keys (a key that
 * does not fit its table's schema cancels the transaction with a ValidationError reason for that
 * action; an empty key value, or an empty value a Put or an Update gives an index key, fails the
 * request), one action per item, 4 MB in all. Nothing is
 * written unless every action's condition holds against the items as they are when the
 * transaction prepares; otherwise TransactionCanceledException gives a reason per action.
 */
final class TransactWriteItemsOperation implements Operation {

    private final NodeContext node;

    TransactWriteItemsOperation(NodeContext node) {
        this.node = node;
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        String token = request.string("ClientRequestToken");
        String returnConsumedCapacity = request.string("ReturnConsumedCapacity");
        List<RequestBody> items = request.structList("TransactItems", "TransactWriteItem");
        if (items != null) {
            for (RequestBody item : items) forEachAction(item, TransactWriteAction::checkShapes);
        }

        Constraints c = new Constraints();
        // The token before the enums (the conformance suite's capture, 2026-10).
        c.stringLengthAtLeast("clientRequestToken", token, 1);
        c.stringLengthAtMost("clientRequestToken", token, 36);
        c.oneOf("returnConsumedCapacity", returnConsumedCapacity, CapacityReport.VALUES);
        c.oneOf("returnItemCollectionMetrics", request.string("ReturnItemCollectionMetrics"), List.of("SIZE", "NONE"));
        TransactionRequests.checkItemCount(c, request.node("TransactItems"));
        if (items != null) {
            for (int i = 0; i < items.size(); i++) {
                String path = "transactItems." + (i + 1) + ".member.";
                forEachAction(items.get(i), (kind, action) -> TransactWriteAction.checkConstraints(c, path + kind.path, kind, action));
            }
        }
        c.throwIfAny();

        List<TransactWriteAction> actions = new ArrayList<>(items.size());
        for (RequestBody item : items) actions.add(parse(item));
        List<TableMetadata> tables = actions.stream().map(action -> node.tableForData(action.tableName())).toList();
        CancellationReason[] reasons = new CancellationReason[actions.size()];
        List<Map<String, AttributeValue>> keys = new ArrayList<>(actions.size());
        // DynamoDB stops at the first action with a ValidationError: those after it get None (ScyllaDB's tests, run against it).
        for (int i = 0; i < actions.size(); i++) {
            TransactWriteAction action = actions.get(i);
            TableMetadata table = tables.get(i);
            keys.add(TransactionRequests.key(() -> action.key(table), reasons, i));
            if (reasons[i] != null) TransactionRequests.cancelIfAnyReason(reasons);
            action.checkIndexKeyValues(table);
        }
        TransactionRequests.checkNoDuplicates(tables, keys);
        TransactionRequests.checkAggregateSize(actions.stream().mapToLong(TransactWriteAction::size).sum());
        for (int i = 0; i < actions.size(); i++) {
            try {
                actions.get(i).checkAgainst(tables.get(i));
            } catch (DynamoException e) {
                reasons[i] = CancellationReason.validationError(e.getMessage());
                break;
            }
        }
        TransactionRequests.cancelIfAnyReason(reasons);
        TransactionRequests.admit(node, tables, keys, i -> ThroughputLimits.Use.WRITE);

        List<TransactionWrite> writes = new ArrayList<>(actions.size());
        for (int i = 0; i < actions.size(); i++) {
            writes.add(new TransactionWrite(tables.get(i), keys.get(i), actions.get(i).itemUpdate(keys.get(i), tables.get(i))));
        }
        CapacityReport capacity = CapacityReport.of(returnConsumedCapacity);
        String returnItemCollectionMetrics = request.string("ReturnItemCollectionMetrics");
        String requestHash = TransactionRequests.requestHash(request, "TransactItems", "ReturnConsumedCapacity",
                "ReturnItemCollectionMetrics");
        return node.shards().transactWrite(Optional.ofNullable(token), requestHash, writes)
                .thenApply(outcome -> render(outcome, actions, tables, keys, capacity, returnItemCollectionMetrics));
    }

    private interface ActionVisitor {
        void visit(Kind kind, RequestBody action);
    }

    private static void forEachAction(RequestBody item, ActionVisitor visitor) {
        for (Kind kind : Kind.values()) {
            RequestBody action = item.struct(kind.name());
            if (action != null) visitor.visit(kind, action);
        }
    }

    /** @throws DynamoException unless the element holds exactly one action */
    private static TransactWriteAction parse(RequestBody item) {
        List<Kind> present = new ArrayList<>(1);
        forEachAction(item, (kind, action) -> present.add(kind));
        if (present.isEmpty()) {
            // eu-west-2's words (the conformance suite's capture, 2026-10; us-east-1 words it otherwise).
            throw DynamoException.validation("1 validation error detected: Value '' at 'transactItems' failed to satisfy constraint: "
                    + "TransactWriteRequest should contain Delete or Put or Update or ConditionCheck");
        }
        if (present.size() != 1) {
            throw DynamoException.validation("TransactItems can only contain one of Check, Put, Update or Delete");
        }
        return TransactWriteAction.parse(present.get(0), item.struct(present.get(0).name()));
    }

    /**
     * {@code {}} with ConsumedCapacity when asked for: twice the units of the same writes outside a
     * transaction (a ConditionCheck's as a write of its item). A request replayed under its
     * ClientRequestToken is charged as transactional reads of its items. With
     * ReturnItemCollectionMetrics SIZE, the collection of each item a Put, Update or Delete wrote
     * in a table with local indexes.
     */
    private byte[] render(TransactionOutcome outcome, List<TransactWriteAction> actions, List<TableMetadata> tables,
                          List<Map<String, AttributeValue>> keys, CapacityReport capacity, String returnItemCollectionMetrics) {
        Map<String, ConsumedCapacity> units;
        CapacityReport.Split split = CapacityReport.Split.WRITE;
        if (outcome instanceof TransactionOutcome.Committed committed) {
            units = TransactionRequests.chargeWrites(node, committed.writes(), tables, i -> actions.get(i).kind() == Kind.ConditionCheck,
                    capacity != CapacityReport.NONE);
        } else if (outcome instanceof TransactionOutcome.Replayed) {
            split = CapacityReport.Split.READ;
            units = TransactionRequests.chargeReplay(node, tables, i -> actions.get(i).size());
        } else if (outcome instanceof TransactionOutcome.Cancelled cancelled) {
            throw DynamoException.transactionCanceled(cancelled.reasons());
        } else {
            throw ((TransactionOutcome.Failed) outcome).error();
        }
        Map<TableMetadata, List<Map<String, AttributeValue>>> collections = new LinkedHashMap<>();
        for (int i = 0; i < actions.size(); i++) {
            if (actions.get(i).kind() != Kind.ConditionCheck && ItemCollectionMetrics.reported(returnItemCollectionMetrics, tables.get(i))) {
                collections.computeIfAbsent(tables.get(i), table -> new ArrayList<>()).add(keys.get(i));
            }
        }
        Map<String, ConsumedCapacity> charged = units;
        CapacityReport.Split reported = split;
        return Json.object(g -> {
            capacity.writeListField(g, charged.values(), reported);
            ItemCollectionMetrics.writeByTable(g, node, collections);
        });
    }
}
