package dev.gpuproxy.server.billing.crypto;

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
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.Transaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * Reads a payment transaction from an Ethereum node (web3j JSON-RPC) and judges it against what was asked: mined
 * successfully, on the configured chain, from the recorded wallet, paying at least the amount to the deposit address
 * (ETH value, or ERC-20 {@code Transfer} logs of the token), not older than the payment, and how deep it is.
 */
@ApplicationScoped
public class ChainReader {

    /** keccak256("Transfer(address,address,uint256)"). */
    static final String TRANSFER_TOPIC = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";
    /** Block timestamps may trail the server's clock a little. */
    static final long CLOCK_SKEW_SECONDS = 300;

    /** What was asked of a transaction. {@code payer} may be null (no wallet recorded). */
    public record Expectation(CryptoCurrencies.Currency currency, BigInteger baseUnits, String payer, Instant notBefore) {}

    /** The verdict on a transaction. */
    public sealed interface Verdict {}

    /** The node does not know the hash. */
    public record Unknown() implements Verdict {}

    /** The transaction can never pay this payment ({@code code} is the API error code). */
    public record Rejected(String code, String detail) implements Verdict {}

    /** The transaction pays this payment once it has enough confirmations (0 while not mined). */
    public record Paying(long confirmations, String from) implements Verdict {}

    private final BillingConfig.Crypto config;
    private Web3j web3;
    private volatile boolean chainChecked;

    ChainReader(BillingConfig config) {
        this.config = config.crypto();
    }

    private synchronized Web3j web3() {
        if (web3 == null) {
            long millis = config.rpcTimeout().toMillis();
            OkHttpClient http = new OkHttpClient.Builder()
                    .connectTimeout(millis, TimeUnit.MILLISECONDS)
                    .readTimeout(millis, TimeUnit.MILLISECONDS)
                    .callTimeout(millis, TimeUnit.MILLISECONDS)
                    .build();
            web3 = Web3j.build(new HttpService(config.rpcUrl(), http));
        }
        return web3;
    }

    public Verdict inspect(String txHash, String depositAddress, Expectation expected) {
        try {
            checkChain();
            Optional<Transaction> found = web3().ethGetTransactionByHash(txHash).send().getTransaction();
            if (found.isEmpty()) {
                return new Unknown();
            }
            Transaction tx = found.get();
            if (tx.getChainId() != null && tx.getChainId() != config.chainId()) {
                return new Rejected("wrong_chain", "The transaction was signed for chain " + tx.getChainId()
                        + ", payments are taken on chain " + config.chainId());
            }
            if (expected.payer() != null && !expected.payer().equalsIgnoreCase(tx.getFrom())) {
                return new Rejected("wrong_payer", "The transaction was sent from another wallet than the one recorded"
                        + " for this payment (X-Preferred-Payment)");
            }
            Optional<TransactionReceipt> mined = web3().ethGetTransactionReceipt(txHash).send().getTransactionReceipt();
            if (mined.isEmpty()) {
                return new Paying(0, tx.getFrom());
            }
            TransactionReceipt receipt = mined.get();
            if (!receipt.isStatusOK()) {
                return new Rejected("tx_failed", "The transaction failed on chain (status " + receipt.getStatus() + ")");
            }
            BigInteger paid;
            if (expected.currency().isToken()) {
                paid = tokensTo(receipt.getLogs(), expected.currency().contract(), depositAddress);
                if (paid == null) {
                    return new Rejected("wrong_recipient", "The transaction moves no " + expected.currency().symbol()
                            + " to the deposit address");
                }
            } else {
                if (!depositAddress.equalsIgnoreCase(tx.getTo())) {
                    return new Rejected("wrong_recipient", "The transaction does not pay the deposit address");
                }
                paid = tx.getValue();
            }
            if (paid.compareTo(expected.baseUnits()) < 0) {
                return new Rejected("amount_too_low", "The transaction pays " + paid + " base units of "
                        + expected.currency().symbol() + ", the payment asks for " + expected.baseUnits());
            }
            EthBlock.Block block = web3().ethGetBlockByNumber(DefaultBlockParameter.valueOf(receipt.getBlockNumber()), false)
                    .send().getBlock();
            if (block != null && block.getTimestamp().longValue() + CLOCK_SKEW_SECONDS
                    < expected.notBefore().getEpochSecond()) {
                return new Rejected("tx_predates_payment", "The transaction was mined before this payment was created");
            }
            BigInteger head = web3().ethBlockNumber().send().getBlockNumber();
            long confirmations = head.subtract(receipt.getBlockNumber()).longValueExact() + 1;
            return new Paying(Math.max(confirmations, 0), tx.getFrom());
        } catch (IOException | RuntimeException e) {
            if (e instanceof ApiException api) {
                throw api;
            }
            Log.warnf("Ethereum node at CRYPTO_RPC_URL failed: %s", e.getClass().getSimpleName());
            throw new ApiException(503, "crypto_node_unavailable",
                    "The Ethereum node cannot be reached right now; submit the transaction again later");
        }
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
