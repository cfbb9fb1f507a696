-- Crypto deposits and quotes. Same columns and meaning as ../postgresql/V12__crypto_deposits.sql.
-- pay_currency/pay_amount: the coin or token (ETH, a CRYPTO_TOKENS symbol) and the decimal amount of it the payer was
-- quoted for a crypto payment priced in amount/currency (USD, ETH, ...); quote_expires_at: the last moment a block
-- holding the transfer may have. (payments.external_ref holds the payment's deposit address.)
ALTER TABLE payments ADD COLUMN pay_currency VARCHAR(16);
ALTER TABLE payments ADD COLUMN pay_amount VARCHAR(80);
ALTER TABLE payments ADD COLUMN quote_expires_at TIMESTAMP;

-- With one shared deposit address (CRYPTO_DEPOSIT_ADDRESS) a transfer is matched to a payment by its sender: a wallet
-- belongs to the first account that names it in X-Preferred-Payment, so no one else can claim its transfers.
CREATE TABLE crypto_wallets (
    address    VARCHAR(42) NOT NULL PRIMARY KEY,
    user_id    BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX crypto_wallets_user_idx ON crypto_wallets (user_id);
