-- gpuproxy schema, SQLite flavour. Same versions, tables and columns as the PostgreSQL history
-- (../postgresql); SchemaParityTest proves it. Constraints are inline because SQLite cannot add them later.
-- Money is integer micro-units (1 credit = 1_000_000), never floating point.

CREATE TABLE users (
    id                    INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    email                 VARCHAR(320) NOT NULL UNIQUE,
    password_hash         VARCHAR(100) NOT NULL,
    name                  VARCHAR(200) NOT NULL,
    role                  VARCHAR(16)  NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
    active                BOOLEAN      NOT NULL DEFAULT TRUE,
    rate_limit_per_minute INTEGER      CHECK (rate_limit_per_minute > 0),
    created_at            TIMESTAMP NOT NULL,
    updated_at            TIMESTAMP NOT NULL
);

CREATE TABLE api_keys (
    id           INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    user_id      BIGINT       NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         VARCHAR(200) NOT NULL,
    prefix       VARCHAR(32)  NOT NULL UNIQUE,
    secret_hash  VARCHAR(100) NOT NULL,
    last_used_at TIMESTAMP,
    expires_at   TIMESTAMP,
    revoked_at   TIMESTAMP,
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX api_keys_user_idx ON api_keys (user_id);

CREATE TABLE sessions (
    id                 VARCHAR(36)  NOT NULL PRIMARY KEY,
    user_id            BIGINT       NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    refresh_token_hash VARCHAR(64)  NOT NULL,
    ip                 VARCHAR(64),
    user_agent         VARCHAR(512),
    created_at         TIMESTAMP NOT NULL,
    expires_at         TIMESTAMP NOT NULL,
    revoked_at         TIMESTAMP
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE wallets (
    user_id              BIGINT  NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    credits_remaining    BIGINT  NOT NULL DEFAULT 0,
    credits_total        BIGINT  NOT NULL DEFAULT 0,
    credits_overage      BIGINT  NOT NULL DEFAULT 0 CHECK (credits_overage >= 0),
    credits_cap          BIGINT  NOT NULL DEFAULT 0 CHECK (credits_cap >= 0),
    credits_reserved     BIGINT  NOT NULL DEFAULT 0 CHECK (credits_reserved >= 0),
    credits_auto_renew   BOOLEAN NOT NULL DEFAULT FALSE,
    auto_renew_amount    BIGINT  NOT NULL DEFAULT 0 CHECK (auto_renew_amount >= 0),
    auto_renew_threshold BIGINT  NOT NULL DEFAULT 0 CHECK (auto_renew_threshold >= 0),
    auto_renew_armed     BOOLEAN NOT NULL DEFAULT TRUE,
    version              BIGINT  NOT NULL DEFAULT 0,
    updated_at           TIMESTAMP NOT NULL
);

CREATE TABLE ledger_entries (
    id              INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    user_id         BIGINT       NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    amount          BIGINT       NOT NULL,
    kind            VARCHAR(16)  NOT NULL
                    CHECK (kind IN ('topup', 'usage', 'reservation', 'refund', 'grant', 'adjustment')),
    reference       VARCHAR(200),
    idempotency_key VARCHAR(200) NOT NULL UNIQUE,
    balance_after   BIGINT       NOT NULL,
    created_at      TIMESTAMP NOT NULL
);
CREATE INDEX ledger_entries_user_idx ON ledger_entries (user_id, id);

CREATE TABLE idempotency_records (
    id            INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    user_id       BIGINT       NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    idempotency_key VARCHAR(200) NOT NULL,
    request_hash  VARCHAR(64)  NOT NULL,
    status        INTEGER      NOT NULL,
    response_body TEXT,
    created_at    TIMESTAMP NOT NULL,
    UNIQUE (user_id, idempotency_key)
);

CREATE TABLE payments (
    id          INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    user_id     BIGINT       NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    provider    VARCHAR(16)  NOT NULL CHECK (provider IN ('stripe', 'crypto', 'afterdark')),
    external_id VARCHAR(200),
    status      VARCHAR(16)  NOT NULL
                CHECK (status IN ('pending', 'succeeded', 'failed', 'refunded', 'disputed', 'canceled')),
    amount      VARCHAR(80)  NOT NULL,
    currency    VARCHAR(16)  NOT NULL,
    credits     BIGINT       NOT NULL DEFAULT 0,
    metadata    TEXT,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    UNIQUE (provider, external_id)
);
CREATE INDEX payments_user_idx ON payments (user_id, id);

CREATE TABLE webhook_events (
    provider    VARCHAR(16)  NOT NULL,
    event_id    VARCHAR(200) NOT NULL,
    received_at TIMESTAMP NOT NULL,
    PRIMARY KEY (provider, event_id)
);

CREATE TABLE usage_sessions (
    id          INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    user_id     BIGINT       NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    client_id   VARCHAR(200),
    ip          VARCHAR(64),
    started_at  TIMESTAMP NOT NULL,
    ended_at    TIMESTAMP NOT NULL,
    duration_s  BIGINT       NOT NULL DEFAULT 0,
    requests    BIGINT       NOT NULL DEFAULT 0,
    tokens_in   BIGINT       NOT NULL DEFAULT 0,
    tokens_out  BIGINT       NOT NULL DEFAULT 0,
    gpu_seconds BIGINT       NOT NULL DEFAULT 0,
    credits     BIGINT       NOT NULL DEFAULT 0,
    batch_key   VARCHAR(200) NOT NULL UNIQUE
);
CREATE INDEX usage_sessions_user_idx ON usage_sessions (user_id, started_at);

CREATE TABLE reservations (
    id              INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    user_id         BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    requested       INTEGER     NOT NULL CHECK (requested BETWEEN 1 AND 16),
    strategy        VARCHAR(32) NOT NULL,
    state           VARCHAR(16) NOT NULL
                    CHECK (state IN ('pending', 'active', 'failed', 'released', 'expired')),
    all_or_nothing  BOOLEAN     NOT NULL DEFAULT TRUE,
    request         TEXT,
    credits_held    BIGINT      NOT NULL DEFAULT 0,
    created_at      TIMESTAMP NOT NULL,
    expires_at      TIMESTAMP,
    released_at     TIMESTAMP
);
CREATE INDEX reservations_user_idx ON reservations (user_id, id);

CREATE TABLE instances (
    id                    INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    user_id               BIGINT       NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    reservation_id        BIGINT       REFERENCES reservations (id) ON DELETE SET NULL,
    provider              VARCHAR(32)  NOT NULL,
    provider_instance_id  VARCHAR(200) NOT NULL,
    offer_id              VARCHAR(200) NOT NULL,
    offer_snapshot        TEXT,
    gpu_model             VARCHAR(100),
    gpu_count             INTEGER      NOT NULL DEFAULT 1,
    vram_gb               INTEGER,
    state                 VARCHAR(16)  NOT NULL
                          CHECK (state IN ('pending', 'loading', 'running', 'stopped', 'failed', 'terminated')),
    price_per_hour_micros BIGINT       NOT NULL DEFAULT 0 CHECK (price_per_hour_micros >= 0),
    endpoint              VARCHAR(500),
    charged_until         TIMESTAMP,
    created_at            TIMESTAMP NOT NULL,
    updated_at            TIMESTAMP NOT NULL,
    ended_at              TIMESTAMP,
    UNIQUE (provider, provider_instance_id)
);
CREATE INDEX instances_user_idx ON instances (user_id, id);
CREATE INDEX instances_reservation_idx ON instances (reservation_id);

CREATE TABLE pools (
    id            INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    name          VARCHAR(200) NOT NULL,
    owner_user_id BIGINT       REFERENCES users (id) ON DELETE CASCADE,
    strategy      VARCHAR(32),
    aliases       TEXT,
    created_at    TIMESTAMP NOT NULL
);
-- A global pool name is unique; a tenant's private pool name is unique per tenant.
CREATE UNIQUE INDEX pools_global_name_uq ON pools (name) WHERE owner_user_id IS NULL;
CREATE UNIQUE INDEX pools_owner_name_uq ON pools (owner_user_id, name) WHERE owner_user_id IS NOT NULL;

CREATE TABLE backends (
    id                    INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    pool_id               BIGINT       NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    kind                  VARCHAR(16)  NOT NULL
                          CHECK (kind IN ('openai', 'anthropic', 'openinference', 'mcp', 'http', 'api')),
    url                   VARCHAR(1000) NOT NULL,
    api_keys_encrypted    TEXT,
    weight                DOUBLE,
    rate_limit_rpm        INTEGER      CHECK (rate_limit_rpm > 0),
    gpu_model             VARCHAR(100),
    vram_gb               INTEGER,
    price_per_hour_micros BIGINT       CHECK (price_per_hour_micros >= 0),
    health_path           VARCHAR(200),
    instance_id           BIGINT       REFERENCES instances (id) ON DELETE CASCADE,
    enabled               BOOLEAN      NOT NULL DEFAULT TRUE,
    created_at            TIMESTAMP NOT NULL
);
CREATE INDEX backends_pool_idx ON backends (pool_id);

CREATE TABLE lb_settings (
    id         INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    scope      VARCHAR(16) NOT NULL CHECK (scope IN ('global', 'pool', 'user')),
    scope_id   BIGINT      NOT NULL DEFAULT 0,
    strategy   VARCHAR(32) NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (scope, scope_id)
);

CREATE TABLE audit_log (
    id            INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    actor_user_id BIGINT       REFERENCES users (id) ON DELETE SET NULL,
    action        VARCHAR(100) NOT NULL,
    target_type   VARCHAR(50),
    target_id     VARCHAR(100),
    detail        TEXT,
    ip            VARCHAR(64),
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX audit_log_created_idx ON audit_log (created_at);
