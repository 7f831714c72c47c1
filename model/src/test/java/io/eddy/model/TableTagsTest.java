package io.eddy.model;

import static io.eddy.model.TestSupport.assertValidation;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eddy.model.TableOptions.Tag;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TableTagsTest {

    @ParameterizedTest
    @ValueSource(strings = {"env", "sp ace", "a+b-c=d.e_f:g/h@i", "ключ", "café", "表", "myaws:x", "7"})
    void acceptsLettersDigitsSpacesAndTheAllowedPunctuation(String text) {
        TableTags.checkTags(List.of(new Tag(text, text)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bad#char", "100%", "a,b", "<a>", "a|b", "~a", "\uD83D\uDD11", "it's"})
    void refusesOtherCharacters(String text) {
        assertValidation("The Tag Key provided is invalid, Key: " + text, () -> TableTags.checkTags(List.of(new Tag(text, "v"))));
        assertValidation("The Tag Value provided is invalid, Value: " + text, () -> TableTags.checkTags(List.of(new Tag("k", text))));
    }

    @Test
    void lengthsAreCountedInCharacters() {
        TableTags.checkTags(List.of(new Tag("k".repeat(128), "v".repeat(256)), new Tag("é".repeat(128), "")));
        assertValidation("The Tag Key provided is invalid, Key: " + "k".repeat(129),
                () -> TableTags.checkTags(List.of(new Tag("k".repeat(129), "v"))));
        assertValidation("The Tag Value provided is invalid, Value: " + "v".repeat(257),
                () -> TableTags.checkTags(List.of(new Tag("k", "v".repeat(257)))));
        assertValidation("The Tag Key provided is invalid, Key: ", () -> TableTags.checkTags(List.of(new Tag("", "v"))));
        assertValidation("The Tag Key provided is invalid, Key: null", () -> TableTags.checkTags(List.of(new Tag(null, "v"))));
        assertValidation("The Tag Value provided is invalid, Value: null", () -> TableTags.checkTags(List.of(new Tag("k", null))));
    }

    @Test
    void awsPrefixIsReservedInAnyCase() {
        assertValidation("Tag Key cannot be prefixed with aws:, Key: aws:foo", () -> TableTags.checkTags(List.of(new Tag("aws:foo", "x"))));
        assertValidation("Tag Key cannot be prefixed with aws:, Key: AWS:foo", () -> TableTags.checkKeys(List.of("AWS:foo")));
    }

    @Test
    void duplicateKeysAreRefused() {
        assertValidation("Duplicate Tag Keys provided as input: Duplicate Tag Key found dup",
                () -> TableTags.checkTags(List.of(new Tag("dup", "1"), new Tag("other", "2"), new Tag("dup", "3"))));
    }

    @Test
    void atMostFiftyTagsCountedAfterTheMerge() {
        List<Tag> fifty = new ArrayList<>();
        for (int i = 0; i < 50; i++) fifty.add(new Tag("k" + i, "v" + i));
        TableTags.checkTags(fifty);
        List<Tag> current = TableTags.merged(List.of(), fifty);
        assertEquals(50, TableTags.merged(current, List.of(new Tag("k0", "new"))).size());
        assertEquals("new", TableTags.merged(current, List.of(new Tag("k0", "new"))).get(0).value());
        String limit = "Number of Tags exceed the current limit for the provided ResourceArn";
        assertValidation(limit, () -> TableTags.merged(current, List.of(new Tag("k50", "v"))));
        List<Tag> fiftyOne = new ArrayList<>(fifty);
        fiftyOne.add(new Tag("k50", "v"));
        assertValidation(limit, () -> TableTags.checkTags(fiftyOne));
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 51; i++) keys.add("k" + i);
        assertValidation(limit, () -> TableTags.checkKeys(keys));
    }

    @Test
    void withoutRemovesOnlyTheNamedKeys() {
        List<Tag> tags = List.of(new Tag("a", "1"), new Tag("b", "2"), new Tag("c", "3"));
        assertEquals(List.of(new Tag("a", "1"), new Tag("c", "3")), TableTags.without(tags, List.of("b", "absent")));
    }
}
