package io.eddy.model;

import java.util.Optional;

/** The ten DynamoDB attribute value types, named as on the wire. */
public enum AttributeType {
    S, N, B, SS, NS, BS, M, L, BOOL, NULL;

    /**
     * DynamoDB's refusal of an attribute_type name that names no type (a ConditionExpression's or a
     * PartiQL condition's), listing the names in the order DynamoDB lists them; empty for a type's name.
     */
    public static Optional<String> typeNameRefusal(String typeName) {
        try {
            valueOf(typeName);
            return Optional.empty();
        } catch (IllegalArgumentException unknown) {
            return Optional.of("Invalid attribute type name found; type: " + typeName + ", valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}");
        }
    }

    /** True for the three types a key attribute may have. */
    public boolean isScalarKeyType() {
        return this == S || this == N || this == B;
    }
}
