package io.eddy.model;

/** The ten DynamoDB attribute value types, named as on the wire. */
public enum AttributeType {
    S, N, B, SS, NS, BS, M, L, BOOL, NULL;

    /** True for the three types a key attribute may have. */
    public boolean isScalarKeyType() {
        return this == S || this == N || this == B;
    }
}
