package io.eddy.gateway;

import io.eddy.model.DynamoException;
import java.util.List;

/**
 * SSESpecification (CreateTable, UpdateTable) and SSESpecificationOverride (the restores), checked
 * as DynamoDB checks them. Eddy keeps no KMS keys: a request for encryption with a KMS key (an AWS
 * managed or a customer managed one) is refused rather than accepted and not done. One that asks
 * for DynamoDB's default ({@code Enabled: false}, the key the service owns) asks for what every
 * table has: a new table takes it, UpdateTable refuses it as DynamoDB does ("Table is already
 * encrypted by default").
 */
record SseSpecificationParameter(String field, Boolean enabled, String sseType, String kmsMasterKeyId) {

    /** The parameter {@code field} of the request; null when absent. */
    static SseSpecificationParameter read(RequestBody request, String field) {
        RequestBody spec = request.struct(field);
        if (spec == null) return null;
        return new SseSpecificationParameter(field, spec.bool("Enabled"), spec.string("SSEType"), spec.string("KMSMasterKeyId"));
    }

    /** The member constraints, reported with the request's others. */
    void check(Constraints c) {
        String path = Constraints.memberPath(field);
        c.oneOf(path + ".sSEType", sseType, List.of("AES256", "KMS"));
    }

    /** @throws DynamoException for DynamoDB's own refusals, then for any request of KMS encryption */
    void refuseKms() {
        if ("AES256".equals(sseType)) throw DynamoException.invalidParameter("SSEType AES256 is not supported");
        if (Boolean.FALSE.equals(enabled) && sseType != null) {
            throw DynamoException.invalidParameter("SSEType can not be specified if Enabled is false");
        }
        if (Boolean.FALSE.equals(enabled) && kmsMasterKeyId != null) {
            throw DynamoException.invalidParameter("KMSMasterKeyId can not be specified if Enabled is false");
        }
        if (kmsMasterKeyId != null && !"KMS".equals(sseType)) {
            throw DynamoException.invalidParameter("SSEType KMS is required if KMSMasterKeyId is specified");
        }
        if (Boolean.TRUE.equals(enabled) || sseType != null || kmsMasterKeyId != null) {
            throw kmsRefused(field + " can only ask for the default encryption (Enabled false)");
        }
    }

    /** Any request for a KMS key: refused rather than accepted and not done. */
    static DynamoException kmsRefused(String what) {
        return DynamoException.validation("Eddy does not encrypt tables with KMS keys: " + what);
    }

    /** UpdateTable's answer to a request for the default encryption, which the table has. */
    static DynamoException alreadyDefault() {
        return DynamoException.invalidParameter("Table is already encrypted by default");
    }
}
