package dev.gpuproxy.server.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;
import java.util.UUID;

/** Boots the app on a fresh PostgreSQL database, with Redis under a key prefix of its own. */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    private PostgresTestDatabase database;

    @Override
    public Map<String, String> start() {
        database = PostgresTestDatabase.create("it");
        return Map.of(
                "db.type", "postgres",
                "db.host", TestServices.postgresHost(),
                "db.port", String.valueOf(TestServices.postgresPort()),
                "db.user", TestServices.postgresUser(),
                "db.password", TestServices.postgresPassword(),
                "db.name", database.name(),
                "db.min-conns", "1",
                "redis.host", TestServices.redisHost(),
                "redis.port", String.valueOf(TestServices.redisPort()),
                "redis.key-prefix", "gpxtest:" + UUID.randomUUID() + ":");
    }

    @Override
    public void stop() {
        if (database != null) {
            database.close();
        }
    }
}
