package dev.gpuproxy.server.common.persistence;

import java.sql.Types;
import org.hibernate.community.dialect.SQLiteDialect;

/**
 * SQLite with schema validation that understands its storage classes. SQLite stores every integer the same way, and
 * an auto-increment key must be declared exactly {@code INTEGER PRIMARY KEY}; the stock dialect's validator would
 * still demand {@code BIGINT} for a {@code Long} id.
 */
public class SqliteDialect extends SQLiteDialect {

    @Override
    public boolean equivalentTypes(int typeCode1, int typeCode2) {
        return super.equivalentTypes(typeCode1, typeCode2)
                || (isInteger(typeCode1) && isInteger(typeCode2));
    }

    private static boolean isInteger(int typeCode) {
        return switch (typeCode) {
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT, Types.BOOLEAN, Types.BIT -> true;
            default -> false;
        };
    }
}
