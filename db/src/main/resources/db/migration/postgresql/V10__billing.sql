-- Billing (payments into credits). Same columns and meaning as ../sqlite/V10__billing.sql.
-- external_ref: a second provider id of a payment (Stripe: the PaymentIntent behind a Checkout Session), so refunds
-- and disputes, which name the PaymentIntent, find their payment.
ALTER TABLE payments ADD COLUMN external_ref VARCHAR(200);
-- request_key/request_hash: the caller's Idempotency-Key of POST /billing/payment and a hash of its body.
ALTER TABLE payments ADD COLUMN request_key VARCHAR(200);
ALTER TABLE payments ADD COLUMN request_hash VARCHAR(64);
-- payer: the paying wallet (crypto) or saved payment method (pm_...), never a card number.
ALTER TABLE payments ADD COLUMN payer VARCHAR(200);
-- credits_reversed: micro-credits taken back by refunds and disputes so far.
ALTER TABLE payments ADD COLUMN credits_reversed BIGINT NOT NULL DEFAULT 0 CHECK (credits_reversed >= 0);
CREATE INDEX payments_external_ref_idx ON payments (provider, external_ref);
CREATE INDEX payments_status_idx ON payments (provider, status);
CREATE UNIQUE INDEX payments_request_key_uq ON payments (user_id, request_key);

-- The payment method a user last chose, used by auto-renew; and their Stripe customer.
CREATE TABLE billing_profiles (
    user_id            BIGINT       NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    provider           VARCHAR(16)  CHECK (provider IN ('stripe', 'crypto', 'afterdark')),
    payment_method     VARCHAR(200),
    stripe_customer_id VARCHAR(200),
    updated_at         TIMESTAMP WITH TIME ZONE NOT NULL
);
