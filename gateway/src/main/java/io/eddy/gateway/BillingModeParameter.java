package io.eddy.gateway;

import io.eddy.model.TableMetadata.BillingMode;
import java.util.List;
import java.util.Optional;

/**
 * The billing mode CreateTable and UpdateTable ask for: BillingMode, or TableThroughputMode, the
 * newer member DynamoDB takes in its place. As measured against DynamoDB (2026): each member is
 * checked against the enum on its own, so a bad value in the one that would not decide is still
 * refused; BillingMode decides when both are sent, with no refusal of the pair; and what follows from
 * the mode is worded as BillingMode whichever member named it.
 */
record BillingModeParameter(String billingMode, String tableThroughputMode) {

    /** DynamoDB lists the modes in this order in its messages. */
    static final List<String> MODES = List.of("PROVISIONED", "PAY_PER_REQUEST");

    static BillingModeParameter read(RequestBody request) {
        return new BillingModeParameter(request.string("BillingMode"), request.string("TableThroughputMode"));
    }

    /**
     * DynamoDB reports the two members' violations in this order; where tableThroughputMode's falls
     * among other members' was not measured, so it follows billingMode's.
     */
    void check(Constraints c) {
        c.oneOf("billingMode", billingMode, MODES);
        c.oneOf("tableThroughputMode", tableThroughputMode, MODES);
    }

    /** The mode asked for (after {@link #check}), empty when neither member is sent. */
    Optional<BillingMode> requested() {
        return Optional.ofNullable(billingMode != null ? billingMode : tableThroughputMode).map(BillingMode::valueOf);
    }
}
