package dev.gpuproxy.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DatabaseKindTest {

    @Test
    void dbTypeIsReadCaseAndSpaceInsensitivelyWithPostgresqlAsASynonym() {
        assertThat(DatabaseKind.fromEnv("sqlite")).isEqualTo(DatabaseKind.SQLITE);
        assertThat(DatabaseKind.fromEnv(" Postgres ")).isEqualTo(DatabaseKind.POSTGRES);
        assertThat(DatabaseKind.fromEnv("POSTGRESQL")).isEqualTo(DatabaseKind.POSTGRES);
    }

    @Test
    void unknownDbTypeNamesTheAcceptedValues() {
        assertThatThrownBy(() -> DatabaseKind.fromEnv("mysql"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("DB_TYPE must be one of sqlite, postgres (got 'mysql')");
        assertThatThrownBy(() -> DatabaseKind.fromEnv(null))
                .hasMessage("DB_TYPE must be one of sqlite, postgres (got 'null')");
    }

    @Test
    void jdbcUrlsAreRecognisedByTheirPrefix() {
        assertThat(DatabaseKind.fromUrl("jdbc:postgresql://db:5432/gpuproxy")).contains(DatabaseKind.POSTGRES);
        assertThat(DatabaseKind.fromUrl("jdbc:sqlite:./data/gpuproxy.db")).contains(DatabaseKind.SQLITE);
        assertThat(DatabaseKind.fromUrl("jdbc:mysql://db/gpuproxy")).isEmpty();
        assertThat(DatabaseKind.fromUrl("postgres://db/gpuproxy")).isEmpty();
    }

    @Test
    void eachKindNamesItsUnitAndMigrationsFolder() {
        assertThat(DatabaseKind.POSTGRES.unitName()).isEqualTo("postgres");
        assertThat(DatabaseKind.SQLITE.unitName()).isEqualTo("sqlite");
        for (DatabaseKind kind : DatabaseKind.values()) {
            assertThat(DatabaseKindTest.class.getClassLoader().getResource(kind.migrations() + "/V1__schema.sql"))
                    .as(kind + " migrations").isNotNull();
        }
    }
}
