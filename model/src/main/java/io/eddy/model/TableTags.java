package io.eddy.model;

import io.eddy.model.TableOptions.Tag;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * DynamoDB's rules for table tags (TagResource, UntagResource, CreateTable's Tags), with its
 * ValidationException messages: keys of 1 to 128 and values of 0 to 256 characters, drawn from
 * letters, digits and white space of any script and {@code _ . : / = + - @}; no key starting with
 * {@code aws:} in any case; at most 50 tags on a table, counted after the change.
 */
public final class TableTags {

    public static final int MAX_TAGS = 50;
    static final int MAX_KEY_LENGTH = 128;
    static final int MAX_VALUE_LENGTH = 256;

    private static final Pattern ALLOWED = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");

    private TableTags() {}

    /** The tags of a TagResource or CreateTable request, each valid and no key twice. */
    public static void checkTags(List<Tag> tags) {
        Set<String> keys = new HashSet<>();
        for (Tag tag : tags) {
            checkKey(tag.key());
            checkValue(tag.value());
            if (!keys.add(tag.key())) {
                throw DynamoException.validation("Duplicate Tag Keys provided as input: Duplicate Tag Key found " + tag.key());
            }
        }
        checkCount(keys.size());
    }

    /** A key to add or remove; UntagResource checks its keys with the same rules. */
    public static void checkKey(String key) {
        if (key == null || key.isEmpty() || characters(key) > MAX_KEY_LENGTH || !ALLOWED.matcher(key).matches()) {
            throw DynamoException.validation("The Tag Key provided is invalid, Key: " + key);
        }
        if (key.regionMatches(true, 0, "aws:", 0, 4)) {
            throw DynamoException.validation("Tag Key cannot be prefixed with aws:, Key: " + key);
        }
    }

    /** The keys of an UntagResource request. */
    public static void checkKeys(List<String> keys) {
        for (String key : keys) checkKey(key);
        checkCount(keys.size());
    }

    /** {@code current} with {@code added} set: existing keys take the new value in place, new keys follow. */
    public static List<Tag> merged(List<Tag> current, List<Tag> added) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (Tag tag : current) tags.put(tag.key(), tag.value());
        for (Tag tag : added) tags.put(tag.key(), tag.value());
        checkCount(tags.size());
        List<Tag> result = new ArrayList<>(tags.size());
        tags.forEach((key, value) -> result.add(new Tag(key, value)));
        return result;
    }

    /** {@code current} without the tags of these keys; keys that are not set are ignored. */
    public static List<Tag> without(List<Tag> current, Collection<String> keys) {
        Set<String> removed = new HashSet<>(keys);
        return current.stream().filter(tag -> !removed.contains(tag.key())).toList();
    }

    private static void checkValue(String value) {
        if (value == null || characters(value) > MAX_VALUE_LENGTH || !ALLOWED.matcher(value).matches()) {
            throw DynamoException.validation("The Tag Value provided is invalid, Value: " + value);
        }
    }

    private static void checkCount(int count) {
        if (count > MAX_TAGS) {
            throw DynamoException.validation("Number of Tags exceed the current limit for the provided ResourceArn");
        }
    }

    private static int characters(String text) {
        return text.codePointCount(0, text.length());
    }
}
