package dev.gpuproxy.server.identity.account.service;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.hibernate.Session;
import org.hibernate.query.NativeQuery;
import org.hibernate.type.StandardBasicTypes;

/**
 * {@code GET /api/v1/user/export}: everything stored about one account, written as one JSON document while it is
 * read, a page of rows at a time, so a tenant with millions of ledger entries costs the server one page of memory.
 *
 * <p>The rows of the features above accounts (API keys, credits, billing, GPUs, usage) are read by table and column
 * name, not through those features' code, so this package keeps pointing only downward. Each section names the columns it
 * shows; secrets (password and key hashes, refresh token hashes, payment metadata, idempotency keys) are never
 * selected. Sessions kept only in Redis (SESSION_MODE=redis) are not in the database and so not in the export.
 */
@ApplicationScoped
public class AccountExport {

    /** Rows read and written per query. */
    static final int PAGE = 500;

    enum Kind { LONG, INT, TEXT, BOOL, INSTANT, MICROS }

    record Column(String name, String json, Kind kind) {
        static Column of(String name, Kind kind) {
            return new Column(name, name, kind);
        }
    }

    /**
     * One part of the export: a table's rows of the user, in id order ({@code keyset}) or, for tables without a
     * numeric id, in creation order a page at a time; {@code single} sections hold at most one row. With
     * {@code nullsOmitted} a row leaves out its empty columns, as the API's own view of those rows does.
     */
    record Section(String name, String table, boolean single, boolean keyset, List<Column> columns,
                   boolean nullsOmitted) {
        Section(String name, String table, boolean single, boolean keyset, List<Column> columns) {
            this(name, table, single, keyset, columns, false);
        }
    }

    static final List<Section> SECTIONS = List.of(
            // As GET /api/v1/keys shows them: prefixes and dates, never the secret's hash.
            new Section("api_keys", "api_keys", false, true, List.of(
                    Column.of("id", Kind.LONG), Column.of("name", Kind.TEXT), Column.of("prefix", Kind.TEXT),
                    Column.of("created_at", Kind.INSTANT), Column.of("last_used_at", Kind.INSTANT),
                    Column.of("expires_at", Kind.INSTANT), Column.of("revoked_at", Kind.INSTANT)), true),
            new Section("wallet", "wallets", true, false, List.of(
                    new Column("credits_remaining", "credits_remaining", Kind.MICROS),
                    new Column("credits_total", "credits_total", Kind.MICROS),
                    new Column("credits_overage", "credits_overage", Kind.MICROS),
                    new Column("credits_cap", "credits_cap", Kind.MICROS),
                    new Column("credits_reserved", "credits_reserved", Kind.MICROS),
                    Column.of("credits_auto_renew", Kind.BOOL),
                    new Column("auto_renew_amount", "auto_renew_amount", Kind.MICROS),
                    new Column("auto_renew_threshold", "auto_renew_threshold", Kind.MICROS),
                    Column.of("updated_at", Kind.INSTANT))),
            new Section("ledger", "ledger_entries", false, true, List.of(
                    Column.of("id", Kind.LONG), new Column("amount", "amount", Kind.MICROS),
                    Column.of("kind", Kind.TEXT), Column.of("reference", Kind.TEXT),
                    new Column("balance_after", "balance_after", Kind.MICROS), Column.of("created_at", Kind.INSTANT))),
            new Section("payments", "payments", false, true, List.of(
                    Column.of("id", Kind.LONG), Column.of("provider", Kind.TEXT), Column.of("external_id", Kind.TEXT),
                    Column.of("status", Kind.TEXT), Column.of("amount", Kind.TEXT), Column.of("currency", Kind.TEXT),
                    new Column("credits", "credits", Kind.MICROS),
                    new Column("credits_reversed", "credits_reversed", Kind.MICROS), Column.of("payer", Kind.TEXT),
                    Column.of("created_at", Kind.INSTANT), Column.of("updated_at", Kind.INSTANT))),
            new Section("usage", "usage_sessions", false, true, List.of(
                    Column.of("id", Kind.LONG), Column.of("client_id", Kind.TEXT), Column.of("ip", Kind.TEXT),
                    Column.of("started_at", Kind.INSTANT), Column.of("ended_at", Kind.INSTANT),
                    Column.of("duration_s", Kind.LONG), Column.of("requests", Kind.LONG),
                    Column.of("tokens_in", Kind.LONG), Column.of("tokens_out", Kind.LONG),
                    Column.of("gpu_seconds", Kind.LONG), new Column("credits", "credits", Kind.MICROS))),
            new Section("instances", "instances", false, true, List.of(
                    Column.of("id", Kind.LONG), Column.of("reservation_id", Kind.LONG), Column.of("provider", Kind.TEXT),
                    Column.of("provider_instance_id", Kind.TEXT), Column.of("offer_id", Kind.TEXT),
                    Column.of("gpu_model", Kind.TEXT), Column.of("gpu_count", Kind.INT), Column.of("vram_gb", Kind.INT),
                    Column.of("state", Kind.TEXT), new Column("price_per_hour_micros", "price_per_hour", Kind.MICROS),
                    Column.of("endpoint", Kind.TEXT), Column.of("created_at", Kind.INSTANT),
                    Column.of("ended_at", Kind.INSTANT))),
            new Section("reservations", "reservations", false, true, List.of(
                    Column.of("id", Kind.LONG), Column.of("requested", Kind.INT), Column.of("strategy", Kind.TEXT),
                    Column.of("state", Kind.TEXT), Column.of("model", Kind.TEXT),
                    Column.of("all_or_nothing", Kind.BOOL), new Column("credits_held", "credits_held", Kind.MICROS),
                    Column.of("created_at", Kind.INSTANT), Column.of("expires_at", Kind.INSTANT),
                    Column.of("released_at", Kind.INSTANT))),
            // The session id is part of every access token; the refresh token's hash stays out.
            new Section("sessions", "sessions", false, false, List.of(
                    Column.of("ip", Kind.TEXT), Column.of("user_agent", Kind.TEXT),
                    Column.of("created_at", Kind.INSTANT), Column.of("expires_at", Kind.INSTANT),
                    Column.of("revoked_at", Kind.INSTANT))));

    private final Session session;
    private final UserService users;
    private final ObjectMapper mapper;
    private final Clock clock;

    AccountExport(Session session, UserService users, ObjectMapper mapper, Clock clock) {
        this.session = session;
        this.users = users;
        this.mapper = mapper;
        this.clock = clock;
    }

    /**
     * The export of one user, written when the response is: {@code user}, then one member per
     * {@link #SECTIONS section}, {@code api_keys} (prefixes and dates, never secrets) first.
     *
     * @throws dev.gpuproxy.server.common.error.ApiException 404 before anything is written when the user is gone
     */
    public StreamingOutput stream(long userId) {
        UserView user = users.get(userId);
        return output -> {
            try (JsonGenerator json = mapper.createGenerator(output)) {
                json.writeStartObject();
                json.writeStringField("exported_at", clock.instant().toString());
                json.writeObjectField("user", user);
                for (Section section : SECTIONS) {
                    write(json, section, userId);
                }
                json.writeEndObject();
            }
        };
    }

    private void write(JsonGenerator json, Section section, long userId) throws IOException {
        json.writeFieldName(section.name());
        if (section.single()) {
            List<Object[]> rows = page(section, userId, null, 0);
            if (rows.isEmpty()) {
                json.writeNull();
            } else {
                row(json, section, rows.get(0));
            }
            return;
        }
        json.writeStartArray();
        Long after = section.keyset() ? 0L : null;
        int offset = 0;
        while (true) {
            List<Object[]> rows = page(section, userId, after, offset);
            for (Object[] row : rows) {
                row(json, section, row);
            }
            json.flush(); // each page leaves before the next is read
            if (rows.size() < PAGE) {
                break;
            }
            if (section.keyset()) {
                after = ((Number) rows.get(rows.size() - 1)[0]).longValue();
            } else {
                offset += rows.size();
            }
        }
        json.writeEndArray();
    }

    /** One page in its own short read transaction, so no transaction stays open while the client reads slowly. */
    private List<Object[]> page(Section section, long userId, Long after, int offset) {
        StringBuilder sql = new StringBuilder("select ");
        for (int i = 0; i < section.columns().size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(section.columns().get(i).name());
        }
        sql.append(" from ").append(section.table()).append(" where user_id = :user");
        if (section.single()) {
            sql.append(" limit 1");
        } else if (section.keyset()) {
            sql.append(" and id > :after order by id limit ").append(PAGE);
        } else {
            sql.append(" order by created_at, id limit ").append(PAGE).append(" offset ").append(offset);
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            NativeQuery<Object[]> query = session.createNativeQuery(sql.toString());
            for (Column column : section.columns()) {
                query.addScalar(column.name(), switch (column.kind()) {
                    case LONG, MICROS -> StandardBasicTypes.LONG;
                    case INT -> StandardBasicTypes.INTEGER;
                    case TEXT -> StandardBasicTypes.STRING;
                    case BOOL -> StandardBasicTypes.BOOLEAN;
                    case INSTANT -> StandardBasicTypes.INSTANT;
                });
            }
            query.setParameter("user", userId);
            if (after != null) {
                query.setParameter("after", after);
            }
            List<Object[]> rows = query.getResultList();
            session.clear();
            return rows;
        });
    }

    private static void row(JsonGenerator json, Section section, Object[] values) throws IOException {
        json.writeStartObject();
        for (int i = 0; i < section.columns().size(); i++) {
            Column column = section.columns().get(i);
            Object value = values[i];
            if (value == null && section.nullsOmitted()) {
                continue;
            }
            json.writeFieldName(column.json());
            if (value == null) {
                json.writeNull();
                continue;
            }
            switch (column.kind()) {
                case LONG -> json.writeNumber(((Number) value).longValue());
                case INT -> json.writeNumber(((Number) value).intValue());
                case MICROS -> json.writeNumber(BigDecimal.valueOf(((Number) value).longValue(), 6));
                case BOOL -> json.writeBoolean((Boolean) value);
                case INSTANT -> json.writeString(((Instant) value).toString());
                case TEXT -> json.writeString(value.toString());
            }
        }
        json.writeEndObject();
    }
}
