-- Every replica reads the sessions revoked in the last seconds once a second (balanced sessions), so revocations
-- made while a replica could not reach Redis still reach every replica.
CREATE INDEX sessions_revoked_idx ON sessions (revoked_at);
