package io.eddy.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** What DescribeBackup and DeleteBackup share: the BackupArn parameter and the BackupDescription they answer with. */
final class BackupArns {

    private BackupArns() {}

    /** BackupArn: present, 37 to 1024 characters. */
    static String required(RequestBody request) {
        String arn = request.string("BackupArn");
        Constraints c = new Constraints();
        c.notNull("backupArn", arn);
        c.stringLengthAtLeast("backupArn", arn, 37);
        c.stringLengthAtMost("backupArn", arn, 1024);
        c.throwIfAny();
        return arn;
    }

    /** {@code {"BackupDescription": …}}, without what Eddy keeps for a restore. */
    static byte[] renderDescription(ObjectNode stored) {
        ObjectNode description = stored.deepCopy();
        description.remove("EddyTable");
        return Json.object(g -> {
            g.writeFieldName("BackupDescription");
            g.writeTree(description);
        });
    }
}
