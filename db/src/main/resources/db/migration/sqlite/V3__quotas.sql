-- Per-user quotas from the seed product: at most max_requests requests and max_gpu_seconds of GPU time per
-- quota period (day or month, reset at the period's start in UTC). NULL = no quota.
ALTER TABLE users ADD COLUMN max_requests BIGINT CHECK (max_requests >= 0);
ALTER TABLE users ADD COLUMN max_gpu_seconds BIGINT CHECK (max_gpu_seconds >= 0);
ALTER TABLE users ADD COLUMN quota_period VARCHAR(8) NOT NULL DEFAULT 'month' CHECK (quota_period IN ('day', 'month'));
