package io.eddy.gateway;

import io.eddy.model.TableOptions.Tag;
import java.util.ArrayList;
import java.util.List;

/** Reads the Tags parameter of TagResource and CreateTable: a list of {Key, Value} structures. */
final class TagParameters {

    private TagParameters() {}

    /** The tags as sent; null when the parameter is absent. A missing Key or Value reads as null. */
    static List<Tag> read(RequestBody request) {
        List<RequestBody> tags = request.structList("Tags", "Tag");
        if (tags == null) return null;
        List<Tag> result = new ArrayList<>(tags.size());
        for (RequestBody tag : tags) result.add(new Tag(tag.string("Key"), tag.string("Value")));
        return result;
    }
}
