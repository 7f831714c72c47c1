package io.eddy.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;

import static io.eddy.model.TestSupport.assertValidation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DynamoNumbersTest {

    private static final String NOT_A_NUMBER = "The parameter cannot be converted to a numeric value";
    private static final String TOO_MANY_DIGITS = "Attempting to store more than 38 significant digits in a Number";
    private static final String OVERFLOW =
            "Number overflow. Attempting to store a number with magnitude larger than supported range";
    private static final String UNDERFLOW =
            "Number underflow. Attempting to store a number with magnitude smaller than supported range";

    @ParameterizedTest
    @CsvSource({
            "1, 1",
            "1e2, 100",
            "1E+2, 100",
            "-0.5, -0.5",
            ".5, 0.5",
            "5., 5",
            "+1, 1",
            "-0, 0",
            "0.000, 0",
            "0e125, 0",
            "0.00e127, 0",
            "0e-130, 0",
            "100e-2, 1",
            "0.000100, 0.0001",
            "12.340e-1, 1.234",
            "-0015.789e6, -15789000",
            "0000012345678901234567890123456789012345678, 12345678901234567890123456789012345678",
            "-00001.23456789012345678901234567890123456780000, -1.2345678901234567890123456789012345678",
    })
    void acceptsDynamoDbNumberForms(String text, String canonical) {
        assertEquals(canonical, DynamoNumbers.canonical(DynamoNumbers.parse(text)));
    }

    @Test
    void acceptsTheSmallestMagnitude() {
        assertEquals("0." + "0".repeat(129) + "1", DynamoNumbers.canonical(DynamoNumbers.parse("0001.000e-130")));
        assertEquals("-0." + "0".repeat(129) + "1", DynamoNumbers.canonical(DynamoNumbers.parse("-0001.000e-130")));
    }

    @Test
    void acceptsTheLargestMagnitude() {
        assertEquals("9".repeat(38) + "0".repeat(88),
                DynamoNumbers.canonical(DynamoNumbers.parse("0009.99999999999999999999999999999999999990000e125")));
        String nines = "9.9999999999999999999999999999999999999e125";
        BigDecimal parsed = DynamoNumbers.parse("-" + nines);
        assertEquals(38, parsed.precision());
        assertEquals(125, DynamoNumbers.exponentOf(parsed));
    }

    @Test
    void parsedNumbersAreNormalised() {
        assertEquals(DynamoNumbers.parse("1"), DynamoNumbers.parse("1.000"));
        assertEquals(DynamoNumbers.parse("100"), DynamoNumbers.parse("1e2"));
    }

    @Test
    void refusesEmptyText() {
        assertValidation(NOT_A_NUMBER, () -> DynamoNumbers.parse(""));
        // The newer request layer gives the empty text after the colon, as it does any other.
        assertEquals(NOT_A_NUMBER + ": ", assertThrows(DynamoException.class, () -> DynamoNumbers.parse("")).currentWording());
    }

    @ParameterizedTest
    @ValueSource(strings = {"b", "1e", "e5", ".", "1.2.3", " 1", "1 ", "NaN", "Infinity", "0x10", "--1", "1e+", "1,5"})
    void refusesTextThatIsNotANumber(String text) {
        assertValidation(NOT_A_NUMBER + ": " + text, () -> DynamoNumbers.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"123456789012345678901234567890123456789", "-1.23456789012345678901234567890123456789"})
    void refusesMoreThan38SignificantDigits(String text) {
        assertValidation(TOO_MANY_DIGITS, () -> DynamoNumbers.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e126", "-1e126", "10e125",
            // Zero is range-checked by the exponent it is written with (dynamodb-conformance, measured against DynamoDB).
            "0e126", "0.0e127"})
    void refusesOverflow(String text) {
        assertValidation(OVERFLOW, () -> DynamoNumbers.parse(text));
        assertEquals(OVERFLOW, assertThrows(DynamoException.class, () -> DynamoNumbers.parse(text)).currentWording());
    }

    /**
     * An exponent or scale past the int range: DynamoDB's older request layer cannot convert the
     * text at all, the newer one reads a 64-bit exponent and calls it out of range (captured 2026-10).
     */
    @ParameterizedTest
    @CsvSource({"1e99999999999,true", "1e2147483648,true", "1e9223372036854775807,true", "0e999999999999,true",
            "-1e99999999999,true", "1e-99999999999,false", "1e-2147483648,false", "1.5e-2147483647,false",
            "1e-9223372036854775808,false"})
    void refusesAnExponentPastTheIntRangeInEachLayersWords(String text, boolean over) {
        DynamoException refusal = assertThrows(DynamoException.class, () -> DynamoNumbers.parse(text));
        assertEquals(NOT_A_NUMBER + ": " + text, refusal.getMessage());
        assertEquals(over ? OVERFLOW : UNDERFLOW, refusal.currentWording());
    }

    /**
     * A written exponent that fits an int, putting the number past 10^(2^31 - 1): DynamoDB's older
     * request layer wraps it to an underflow (BatchWriteItem, captured 2026-10), the newer one
     * calls it an overflow. BigDecimal reads the last two but cannot strip their zeros (its scale
     * would pass the int range): they were a 500 once.
     */
    @ParameterizedTest
    @ValueSource(strings = {"1e2147483647", "12e2147483646", "100e2147483647", "-1000e2147483647"})
    void refusesAWrappingExponentInEachLayersWords(String text) {
        DynamoException refusal = assertThrows(DynamoException.class, () -> DynamoNumbers.parse(text));
        assertEquals(UNDERFLOW, refusal.getMessage());
        assertEquals(OVERFLOW, refusal.currentWording());
    }

    @Test
    void refusesAnExponentJustShortOfWrappingAsAnOverflowInBothLayers() {
        DynamoException refusal = assertThrows(DynamoException.class, () -> DynamoNumbers.parse("0.1e2147483647"));
        assertEquals(OVERFLOW, refusal.getMessage());
        assertEquals(OVERFLOW, refusal.currentWording());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e-131", "-1e-131", "0.1e-130", "0e-131", "0.0e-130", "1e-2147483647"})
    void refusesUnderflow(String text) {
        assertValidation(UNDERFLOW, () -> DynamoNumbers.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e9223372036854775808", "-0e-9223372036854775809"})
    void refusesAnExponentBeyondA64BitInteger(String text) {
        assertValidation(NOT_A_NUMBER + ": " + text, () -> DynamoNumbers.parse(text));
    }

    @Test
    void aNumberOfMillionsOfDigitsIsRefusedWithoutBeingBuilt() {
        // BigDecimal took 14 s (JDK 17) to build and strip "1" and a million zeros: one request could hold several.
        String huge = "1" + "0".repeat(1_000_000);
        assertValidation(OVERFLOW, () -> DynamoNumbers.parse(huge));
        assertValidation(TOO_MANY_DIGITS, () -> DynamoNumbers.parse("0." + "7".repeat(1_000_000)));
        assertEquals("1", DynamoNumbers.canonical(DynamoNumbers.parse("1." + "0".repeat(1_000_000))));
        assertEquals("1", DynamoNumbers.canonical(DynamoNumbers.parse("0".repeat(1_000_000) + "1")));
    }

    @Test
    void rangeIsCheckedBeforeDigits() {
        // 39 digits and too large: DynamoDB reports the range first.
        assertValidation(OVERFLOW, () -> DynamoNumbers.parse("1.23456789012345678901234567890123456789e130"));
    }

    @Test
    void exponentOfIsTheScientificExponent() {
        assertEquals(2, DynamoNumbers.exponentOf(new BigDecimal("123")));
        assertEquals(-3, DynamoNumbers.exponentOf(new BigDecimal("0.00123")));
        assertEquals(0, DynamoNumbers.exponentOf(BigDecimal.ZERO));
    }

    @ParameterizedTest
    @CsvSource({
            "1, 2, 3", "0.1, 0.2, 0.3", "-5, 5, 0", "1E+125, -1E+125, 0",
            "10000000000000000000000000000000000000, 1, 10000000000000000000000000000000000001",
            "9.9999999999999999999999999999999999999E+125, 0, 9.9999999999999999999999999999999999999E+125",
    })
    void addsExactly(String a, String b, String sum) {
        assertEquals(new BigDecimal(sum).compareTo(DynamoNumbers.add(new BigDecimal(a), new BigDecimal(b))), 0);
        assertEquals(new BigDecimal(a).compareTo(DynamoNumbers.subtract(new BigDecimal(sum), new BigDecimal(b))), 0);
    }

    @Test
    void arithmeticOutsideTheRangeIsRefused() {
        assertValidation(OVERFLOW, () -> DynamoNumbers.add(new BigDecimal("9E+125"), new BigDecimal("9E+125")));
        assertValidation(OVERFLOW, () -> DynamoNumbers.subtract(new BigDecimal("9E+125"), new BigDecimal("-9E+125")));
        assertValidation(UNDERFLOW, () -> DynamoNumbers.subtract(new BigDecimal("1.5E-130"), new BigDecimal("1E-130")));
    }

    @Test
    void arithmeticNeedingMoreThan38DigitsIsCalledAnOverflow() {
        // DynamoDB's own wording for 1E+50 + 1, which fits the range but not 38 digits.
        assertValidation(OVERFLOW, () -> DynamoNumbers.add(new BigDecimal("1E+50"), BigDecimal.ONE));
        assertValidation(OVERFLOW, () -> DynamoNumbers.add(new BigDecimal("1"), new BigDecimal("1E-38")));
        assertEquals(0, new BigDecimal("1.0000000000000000000000000000000000001")
                .compareTo(DynamoNumbers.add(BigDecimal.ONE, new BigDecimal("1E-37"))));
    }

    @Test
    void theSyntaxCheckAgreesWithTheRegexThatDefinesIt() {
        java.util.regex.Pattern syntax = java.util.regex.Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
        String alphabet = "+-019.eE x\u0663";
        java.util.Random random = new java.util.Random(42);
        int wellFormed = 0;
        for (int i = 0; i < 200_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int length = random.nextInt(8); length > 0; length--) text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            boolean expected = syntax.matcher(text).matches();
            assertEquals(expected, DynamoNumbers.wellFormed(text.toString()), () -> "'" + text + "'");
            if (expected) wellFormed++;
        }
        org.junit.jupiter.api.Assertions.assertTrue(wellFormed > 1000, "the strings tried include numbers: " + wellFormed);
    }
}
