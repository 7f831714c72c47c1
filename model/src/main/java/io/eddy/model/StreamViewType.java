package io.eddy.model;

/** What a stream record carries besides the keys: DynamoDB's StreamViewType. */
public enum StreamViewType {
    KEYS_ONLY, NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES;

    public boolean includesNewImage() {
        return this == NEW_IMAGE || this == NEW_AND_OLD_IMAGES;
    }

    public boolean includesOldImage() {
        return this == OLD_IMAGE || this == NEW_AND_OLD_IMAGES;
    }
}
