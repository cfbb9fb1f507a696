package dev.gpuproxy.server.common.persistence;

import dev.gpuproxy.db.DatabaseKind;
import dev.gpuproxy.server.config.DatabaseConfig;
import io.agroal.api.AgroalDataSource;
import io.quarkus.arc.InjectableInstance;
import io.quarkus.hibernate.orm.PersistenceUnit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.hibernate.Session;

/**
 * Hands out the Hibernate {@link Session} and the JDBC {@link AgroalDataSource} of the database chosen by DB_TYPE.
 * Both persistence units exist in the build; only the active one is started, so repositories inject the plain
 * {@code Session} produced here and never name a unit.
 */
@ApplicationScoped
public class ActiveDatabase {

    private final DatabaseKind kind;
    private final InjectableInstance<Session> postgresSession;
    private final InjectableInstance<Session> sqliteSession;
    private final InjectableInstance<AgroalDataSource> postgresDataSource;
    private final InjectableInstance<AgroalDataSource> sqliteDataSource;

    ActiveDatabase(DatabaseConfig config,
                   @PersistenceUnit("postgres") InjectableInstance<Session> postgresSession,
                   @PersistenceUnit("sqlite") InjectableInstance<Session> sqliteSession,
                   @io.quarkus.agroal.DataSource("postgres") InjectableInstance<AgroalDataSource> postgresDataSource,
                   @io.quarkus.agroal.DataSource("sqlite") InjectableInstance<AgroalDataSource> sqliteDataSource) {
        this.kind = config.kind();
        this.postgresSession = postgresSession;
        this.sqliteSession = sqliteSession;
        this.postgresDataSource = postgresDataSource;
        this.sqliteDataSource = sqliteDataSource;
    }

    public DatabaseKind kind() {
        return kind;
    }

    /** The transaction-scoped session of the active unit (a client proxy; safe to keep in a field). */
    @Produces
    public Session session() {
        return (kind == DatabaseKind.POSTGRES ? postgresSession : sqliteSession).get();
    }

    public AgroalDataSource dataSource() {
        return (kind == DatabaseKind.POSTGRES ? postgresDataSource : sqliteDataSource).get();
    }
}
