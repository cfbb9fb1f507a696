-- An operator's own GPU server (provider 'static', offer_id = the server's name) is rented by one tenant at a time:
-- at most one live (not ended) instance row per server, enforced here so two replicas cannot both hand it out.
CREATE UNIQUE INDEX instances_static_assignment_uq ON instances (offer_id) WHERE provider = 'static' AND ended_at IS NULL;
