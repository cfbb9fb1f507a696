-- A reservation's instances become the backends of a private pool of its owner (pools.owner_user_id), named
-- reservation-<id>; `model` is the optional alias under which the tenant's requests reach that pool.
ALTER TABLE reservations ADD COLUMN pool_id BIGINT REFERENCES pools (id) ON DELETE SET NULL;
ALTER TABLE reservations ADD COLUMN model VARCHAR(200);
-- The expiry job looks for live reservations whose time is up.
CREATE INDEX reservations_expiry_idx ON reservations (state, expires_at);
