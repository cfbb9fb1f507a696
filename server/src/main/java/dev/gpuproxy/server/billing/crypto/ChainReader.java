package dev.gpuproxy.server.billing.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gpuproxy.server.common.error.ApiException;
import dev.gpuproxy.server.config.BillingConfig;
import io.quarkus.logging.Log;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * Reads a payment transaction from an Ethereum node (web3j JSON-RPC) and judges it against what was asked: mined
 * successfully, signed for the configured chain (any transaction type), from the recorded wallet, paying at least the
 * amount to the payment's deposit address (ETH value, or ERC-20 {@code Transfer} logs of the token), mined while the
 * payment's quote was valid, and how deep it is.
 */
@ApplicationScoped
public class ChainReader {

    /** keccak256("Transfer(address,address,uint256)"). */
    static final String TRANSFER_TOPIC = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";
    /** Block timestamps may trail the server's clock a little. */
    static final long CLOCK_SKEW_SECONDS = 300;

    /**
     * What was asked of a transaction: {@code baseUnits} of {@code currency} to {@code depositAddress}, from
     * {@code payer} when not null, in a block stamped from {@code notBefore} (less clock skew) to {@code notAfter}
     * (when not null: the quote's end).
     */
    public record Expectation(CryptoCurrencies.Currency currency, BigInteger baseUnits, String depositAddress,
                              String payer, Instant notBefore, Instant notAfter) {}

    /** The verdict on a transaction. */
    public sealed interface Verdict {}

    /** The node does not know the hash. */
    public record Unknown() implements Verdict {}

    /**
     * The node knows the transaction but it is not mined: nothing about it is final (it may be replaced, dropped, or
     * revert), so it pays nothing yet and must not be bound to any payment.
     */
    public record NotMined() implements Verdict {}

    /** The transaction can never pay this payment ({@code code} is the API error code). */
    public record Rejected(String code, String detail) implements Verdict {}

    /** The mined transaction passed every check; it pays once it has enough confirmations. */
    public record Paying(long confirmations, String from, BigInteger paid) implements Verdict {}

    /** Result type of a JSON-RPC call read as a tree, so every transaction type's own fields are seen. */
    public static class TreeResponse extends Response<JsonNode> {}

    private final BillingConfig.Crypto config;
    private HttpService http;
    private Web3j web3;
    private volatile boolean chainChecked;

    ChainReader(BillingConfig config) {
        this.config = config.crypto();
    }

    private synchronized Web3j web3() {
        if (web3 == null) {
            long millis = config.rpcTimeout().toMillis();
            OkHttpClient client = new OkHttpClient.Builder()
                    .connectTimeout(millis, TimeUnit.MILLISECONDS)
                    .readTimeout(millis, TimeUnit.MILLISECONDS)
                    .callTimeout(millis, TimeUnit.MILLISECONDS)
                    .build();
            http = new HttpService(config.rpcUrl(), client);
            web3 = Web3j.build(http);
        }
        return web3;
    }

    /**
     * Judges {@code txHash} against {@code expected}. Checks that can be made on a transaction still in the mempool
     * (chain, sender, ETH recipient and value) are made first, for a clear answer; it is {@link Paying} only once mined
     * and every check passed.
     */
    public Verdict inspect(String txHash, Expectation expected) {
        try {
            checkChain();
            JsonNode tx = transaction(txHash);
            if (tx == null || tx.isNull()) {
                return new Unknown();
            }
            Optional<Rejected> wrongChain = checkSignedChain(tx, config.chainId());
            if (wrongChain.isPresent()) {
                return wrongChain.get();
            }
            String from = tx.path("from").asText("").toLowerCase(Locale.ROOT);
            if (expected.payer() != null && !expected.payer().equalsIgnoreCase(from)) {
                return new Rejected("wrong_payer", "The transaction was sent from another wallet than the one this"
                        + " payment named (X-Preferred-Payment)");
            }
            BigInteger paid = null;
            if (!expected.currency().isToken()) {
                if (!expected.depositAddress().equalsIgnoreCase(tx.path("to").asText(""))) {
                    return new Rejected("wrong_recipient", "The transaction does not pay this payment's deposit address "
                            + expected.depositAddress());
                }
                paid = Numeric.toBigInt(tx.path("value").asText("0x0"));
                if (paid.compareTo(expected.baseUnits()) < 0) {
                    return tooLittle(paid, expected);
                }
            }
            Optional<TransactionReceipt> mined = web3().ethGetTransactionReceipt(txHash).send().getTransactionReceipt();
            if (mined.isEmpty() || mined.get().getBlockNumberRaw() == null) {
                return new NotMined();
            }
            TransactionReceipt receipt = mined.get();
            if (!receipt.isStatusOK()) {
                return new Rejected("tx_failed", "The transaction failed on chain (status " + receipt.getStatus() + ")");
            }
            if (expected.currency().isToken()) {
                paid = tokensTo(receipt.getLogs(), expected.currency().contract(), expected.depositAddress());
                if (paid == null) {
                    return new Rejected("wrong_recipient", "The transaction moves no " + expected.currency().symbol()
                            + " to this payment's deposit address " + expected.depositAddress());
                }
                if (paid.compareTo(expected.baseUnits()) < 0) {
                    return tooLittle(paid, expected);
                }
            }
            EthBlock.Block block = web3().ethGetBlockByNumber(DefaultBlockParameter.valueOf(receipt.getBlockNumber()), false)
                    .send().getBlock();
            if (block == null) {
                return new NotMined();
            }
            long minedAt = block.getTimestamp().longValueExact();
            if (minedAt + CLOCK_SKEW_SECONDS < expected.notBefore().getEpochSecond()) {
                return new Rejected("tx_predates_payment", "The transaction was mined before this payment was created");
            }
            if (expected.notAfter() != null && minedAt > expected.notAfter().getEpochSecond()) {
                return new Rejected("quote_expired", "The transaction was mined at " + Instant.ofEpochSecond(minedAt)
                        + ", after this payment's quote expired at " + expected.notAfter()
                        + "; create a new payment for a new quote");
            }
            BigInteger head = web3().ethBlockNumber().send().getBlockNumber();
            long confirmations = head.subtract(receipt.getBlockNumber()).longValueExact() + 1;
            return new Paying(Math.max(confirmations, 0), from, paid);
        } catch (IOException | RuntimeException e) {
            if (e instanceof ApiException api) {
                throw api;
            }
            Log.warnf("Ethereum node at CRYPTO_RPC_URL failed: %s", e.getClass().getSimpleName());
            throw new ApiException(503, "crypto_node_unavailable",
                    "The Ethereum node cannot be reached right now; submit the transaction again later");
        }
    }

    private static Rejected tooLittle(BigInteger paid, Expectation expected) {
        return new Rejected("amount_too_low", "The transaction pays " + paid + " base units of "
                + expected.currency().symbol() + ", the payment asks for " + expected.baseUnits());
    }

    private JsonNode transaction(String txHash) throws IOException {
        web3();
        TreeResponse response = new Request<>("eth_getTransactionByHash", List.of(txHash), http, TreeResponse.class)
                .send();
        if (response.hasError()) {
            throw new IOException("eth_getTransactionByHash: " + response.getError().getMessage());
        }
        return response.getResult();
    }

    /**
     * The chain a transaction was signed for, as each type carries it: typed transactions (EIP-2718: type 1 EIP-2930,
     * type 2 EIP-1559 and later types) in their own {@code chainId} field, where {@code v} is only the parity 0/1;
     * legacy ones (type 0) in {@code v = chainId * 2 + 35|36} (EIP-155). A pre-EIP-155 legacy transaction
     * ({@code v} 27/28) names no chain; it was mined on the node's chain, which is checked against CRYPTO_CHAIN_ID.
     */
    static Optional<Rejected> checkSignedChain(JsonNode tx, long chainId) {
        BigInteger type = hex(tx.get("type"));
        BigInteger signedFor;
        if (type != null && type.signum() != 0) {
            signedFor = hex(tx.get("chainId"));
            if (signedFor == null) {
                return Optional.of(new Rejected("wrong_chain", "The node reports a type-" + type
                        + " transaction without its chain id"));
            }
        } else {
            BigInteger v = hex(tx.get("v"));
            if (v == null || v.compareTo(BigInteger.valueOf(35)) < 0) {
                return Optional.empty();
            }
            signedFor = v.subtract(BigInteger.valueOf(35)).shiftRight(1);
        }
        if (!signedFor.equals(BigInteger.valueOf(chainId))) {
            return Optional.of(new Rejected("wrong_chain", "The transaction was signed for chain " + signedFor
                    + ", payments are taken on chain " + chainId));
        }
        return Optional.empty();
    }

    private static BigInteger hex(JsonNode node) {
        if (node == null || node.isNull() || node.asText().isEmpty()) {
            return null;
        }
        return node.isNumber() ? node.bigIntegerValue() : Numeric.toBigInt(node.asText());
    }

    /** The sum of the token's Transfer logs to {@code recipient}, or null when there is none. */
    static BigInteger tokensTo(List<org.web3j.protocol.core.methods.response.Log> logs, String contract,
                               String recipient) {
        BigInteger total = null;
        String recipientTopic = Numeric.toHexStringWithPrefixZeroPadded(Numeric.toBigInt(recipient), 64);
        for (org.web3j.protocol.core.methods.response.Log log : logs) {
            List<String> topics = log.getTopics();
            if (contract.equalsIgnoreCase(log.getAddress()) && topics.size() == 3
                    && TRANSFER_TOPIC.equalsIgnoreCase(topics.get(0))
                    && recipientTopic.equalsIgnoreCase(topics.get(2).toLowerCase(Locale.ROOT))) {
                BigInteger value = Numeric.toBigInt(log.getData());
                total = total == null ? value : total.add(value);
            }
        }
        return total;
    }

    /** Refuses to judge transactions when the node is on another chain than CRYPTO_CHAIN_ID (checked once). */
    private void checkChain() throws IOException {
        if (chainChecked) {
            return;
        }
        BigInteger nodeChain = web3().ethChainId().send().getChainId();
        if (nodeChain == null || nodeChain.longValue() != config.chainId()) {
            Log.errorf("The node at CRYPTO_RPC_URL is on chain %s, CRYPTO_CHAIN_ID is %d", nodeChain, config.chainId());
            throw new ApiException(503, "crypto_node_misconfigured",
                    "The server's Ethereum node is on another chain than the one payments are taken on");
        }
        chainChecked = true;
    }

    @PreDestroy
    synchronized void close() {
        if (web3 != null) {
            web3.shutdown();
        }
    }
}
