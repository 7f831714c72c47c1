package io.eddy.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eddy.model.DynamoException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * ListImports: the imports, newest first, into one table or all, PageSize (1 to 25, 10 by
 * default) at a time. The NextToken is the last listed import's ARN in hex, padded with zeros to
 * the form DynamoDB's tokens have (groups of 16 hex digits, at least 112).
 */
final class ListImportsOperation implements Operation {

    private final TableImports imports;

    ListImportsOperation(TableImports imports) {
        this.imports = imports;
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        String tableArn = request.string("TableArn");
        Long pageSize = request.longValue("PageSize");
        String nextToken = request.string("NextToken");
        Constraints c = new Constraints();
        c.stringLengthAtLeast("tableArn", tableArn, 1);
        c.stringLengthAtMost("tableArn", tableArn, 1024);
        c.atLeast("pageSize", pageSize, 1);
        c.atMost("pageSize", pageSize, 25);
        c.stringLengthAtLeast("nextToken", nextToken, 112);
        c.stringLengthAtMost("nextToken", nextToken, 1024);
        c.pattern("nextToken", nextToken, "([0-9a-f]{16})+");
        c.throwIfAny();
        List<ObjectNode> all = imports.list(tableArn);
        int from = 0;
        if (nextToken != null) {
            String after = arn(nextToken);
            from = -1;
            for (int i = 0; i < all.size(); i++) {
                if (all.get(i).path("ImportArn").asText().equals(after)) from = i + 1;
            }
            if (from < 0) throw DynamoException.validation("Invalid Request: Provided nextToken is invalid: " + nextToken);
        }
        int size = pageSize == null ? 10 : pageSize.intValue();
        List<ObjectNode> page = all.subList(Math.min(from, all.size()), Math.min(from + size, all.size()));
        boolean more = from + size < all.size();
        return CompletableFuture.completedFuture(Json.object(g -> {
            g.writeArrayFieldStart("ImportSummaryList");
            for (ObjectNode record : page) {
                g.writeStartObject();
                for (String field : List.of("ImportArn", "ImportStatus", "TableArn", "S3BucketSource", "InputFormat", "StartTime", "EndTime")) {
                    if (record.has(field)) {
                        g.writeFieldName(field);
                        g.writeTree(record.get(field));
                    }
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            if (more) g.writeStringField("NextToken", token(page.get(page.size() - 1).path("ImportArn").asText()));
        }));
    }

    /** The ARN's length in bytes (4 hex digits), its bytes in hex, then zeros. */
    static String token(String importArn) {
        byte[] bytes = importArn.getBytes(StandardCharsets.UTF_8);
        StringBuilder hex = new StringBuilder(HexFormat.of().toHexDigits((short) bytes.length)).append(HexFormat.of().formatHex(bytes));
        while (hex.length() < 112 || hex.length() % 16 != 0) hex.append('0');
        return hex.toString();
    }

    /** The ARN a token names; a token that is not one names nothing. */
    private static String arn(String token) {
        int length = Integer.parseInt(token.substring(0, 4), 16);
        if (4 + 2 * length > token.length()) return "";
        return new String(HexFormat.of().parseHex(token, 4, 4 + 2 * length), StandardCharsets.UTF_8);
    }
}
