package io.eddy.gateway;

import java.util.concurrent.CompletionStage;

/** DescribeGlobalTableSettings (version 2017.11.29): no such global table exists ({@link LegacyGlobalTables}). */
final class DescribeGlobalTableSettingsOperation implements Operation {

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        Constraints c = new Constraints();
        String name = LegacyGlobalTables.requiredName(request, c);
        c.throwIfAny();
        throw LegacyGlobalTables.settingsNotFound(name);
    }
}
