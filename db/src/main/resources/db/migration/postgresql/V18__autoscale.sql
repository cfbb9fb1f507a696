-- A pool may declare `autoscale` (JSON of the admin API's autoscale object): the autopilot then rents GPUs for it.
ALTER TABLE pools ADD COLUMN autoscale TEXT;

-- Every GPU the autopilot rented for a pool. The rental itself is an ordinary row of `instances` (recorded, polled
-- and charged like any other, to the pool's owner or the operator account); this row says which pool it serves, why
-- it was rented, when it became ready and why it left. Pools declared in BACKENDS_FILE have no row of `pools`, so
-- the pool is named rather than referenced.
CREATE TABLE autoscale_rentals (
    instance_id   BIGINT       NOT NULL PRIMARY KEY REFERENCES instances (id) ON DELETE CASCADE,
    pool_name     VARCHAR(200) NOT NULL,
    owner_user_id BIGINT       REFERENCES users (id) ON DELETE CASCADE,
    reason        VARCHAR(300) NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    ready_at      TIMESTAMP WITH TIME ZONE,
    ended_at      TIMESTAMP WITH TIME ZONE,
    end_reason    VARCHAR(300)
);
CREATE INDEX autoscale_rentals_live_idx ON autoscale_rentals (pool_name, ended_at);
