package io.eddy.model.expression;

/**
 * The kinds of semantic problem an expression can have. When an expression has several, DynamoDB
 * reports one by kind priority (each parser defines its order), and within a kind the first in the
 * text.
 */
enum Problem {
    REDUNDANT_PARENTHESES,
    UNKNOWN_FUNCTION,
    MISUSED_FUNCTION,
    RESERVED_WORD,
    /** An UpdateExpression clause (SET, REMOVE, ADD, DELETE) used twice. */
    DUPLICATE_SECTION,
    UNDEFINED_PLACEHOLDER,
    /** An undefined {@code :value}, which UpdateExpression ranks after undefined names. */
    UNDEFINED_VALUE,
    PATH_TOO_DEEP,
    OPERAND_COUNT,
    NOT_DISTINCT,
    OPERAND_TYPE,
    PATH_OVERLAP,
    PATH_CONFLICT,
    /** An ADD or DELETE operand of a type the action does not take. */
    ACTION_OPERAND_TYPE
}
