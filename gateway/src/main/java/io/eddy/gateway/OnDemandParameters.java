package io.eddy.gateway;

import io.eddy.model.DynamoException;
import io.eddy.model.TableOptions.OnDemandThroughput;

/**
 * The OnDemandThroughput parameter of CreateTable and UpdateTable: the most read and write request
 * units an on-demand table may use per second. UpdateTable changes only the members it names, and
 * -1 there removes a maximum.
 */
final class OnDemandParameters {

    static final long REMOVE = -1;

    private OnDemandParameters() {}

    /** The parameter as sent; null when absent or when it names neither maximum. */
    static OnDemandThroughput read(RequestBody request) {
        RequestBody maxima = request.struct("OnDemandThroughput");
        if (maxima == null) return null;
        OnDemandThroughput requested = new OnDemandThroughput(
                maxima.longValue("MaxReadRequestUnits"), maxima.longValue("MaxWriteRequestUnits"));
        return requested.present() ? requested : null;
    }

    /** Each maximum at least 1 (UpdateTable also takes -1, which removes the maximum). */
    static void checkRange(OnDemandThroughput requested, boolean update) {
        if (requested == null) return;
        checkRange("MaxReadRequestUnits", requested.maxReadRequestUnits(), update);
        checkRange("MaxWriteRequestUnits", requested.maxWriteRequestUnits(), update);
    }

    private static void checkRange(String member, Long units, boolean update) {
        if (units == null || units >= 1 || update && units == REMOVE) return;
        throw DynamoException.invalidParameter("Requested " + member + " for OnDemandThroughput for table is outside of valid range");
    }

    /** Maxima apply to on-demand tables only. */
    static void refuseForProvisioned(OnDemandThroughput requested) {
        if (requested == null) return;
        String member = requested.maxReadRequestUnits() != null ? "MaxReadRequestUnits" : "MaxWriteRequestUnits";
        throw DynamoException.invalidParameter(member + " for OnDemandThroughput cannot be specified when the table BillingMode is PROVISIONED");
    }

    /** {@code current} with the members UpdateTable names replaced, -1 removing one. */
    static OnDemandThroughput merged(OnDemandThroughput current, OnDemandThroughput requested) {
        if (requested == null) return current;
        return new OnDemandThroughput(
                merged(current.maxReadRequestUnits(), requested.maxReadRequestUnits()),
                merged(current.maxWriteRequestUnits(), requested.maxWriteRequestUnits()));
    }

    private static Long merged(Long current, Long requested) {
        if (requested == null) return current;
        return requested == REMOVE ? null : requested;
    }
}
