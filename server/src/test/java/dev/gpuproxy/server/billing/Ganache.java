package dev.gpuproxy.server.billing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.RawTransactionManager;

/**
 * A real local Ethereum node for tests: ganache 7.9.2 (installed by {@code .ci/ganache} into {@code .cache/ganache}),
 * on a free 127.0.0.1 port, with ganache's deterministic accounts (1000 ETH each) on chain 1337. Every transaction is
 * mined in a block of its own as it is sent; {@link #mine} adds empty blocks.
 */
public final class Ganache implements AutoCloseable {

    public static final long CHAIN_ID = 1337;

    /** Private keys of ganache's deterministic accounts 0..9. */
    static final String[] KEYS = {
            "0x4f3edf983ac636a65a842ce7c78d9aa706d3b113bce9c46f30d7d21715b23b1d",
            "0x6cbed15c793ce57650b9877cf6fa156fbef513c4e6134f022a85b1ffdd59b2a1",
            "0x6370fd033278c143179d81c5526140625662b8daa446c22ee2d73db3707e620c",
            "0x646f1ce2fdad0e6deeeb5c7e8e5543bdde65e86029e2fd9fc169899c440a7913",
            "0xadd53f9a7e588d003326d1cbf9e4a43c061aadd9bc938c843a79e7b4fd2ad743",
            "0x395df67f0c2d2d9fe1ad08d1bc8b6627011959b79c53d7dd6a3536a33ab8a4fd",
            "0xe485d098507f54e7733a205420dfddbe58db035fa577fc294ebd14db90767a52",
            "0xa453611d9419d0e56f499079478fd72c37b251a94bfde4d19872c44cf65386e3",
            "0x829e924fdf021ba3dbbc4225edfece9aca04b929d6e75613329ca6f1d31c0bb4",
            "0xb0057716d5917badaf911b193b12b910811c1497b5bada8d7711f758981c3773"};

    /**
     * A minimal ERC-20 ("Test USD Coin", USDC, 6 decimals; constructor(uint256 supply) gives the deployer the supply;
     * transfer reverts without balance), compiled with solc 0.8.26 for the london EVM. Source: test resource
     * billing/TestToken.sol.
     */
    static final String TOKEN_BYTECODE = TokenBytecode.HEX;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path log;
    private final String url;
    private final Web3j web3;
    private final HttpClient http = HttpClient.newHttpClient();

    private Ganache(Process process, Path log, String url) {
        this.process = process;
        this.log = log;
        this.url = url;
        this.web3 = Web3j.build(new HttpService(url));
    }

    public static Ganache start() {
        Path root = projectRoot();
        Path cli = root.resolve(".cache/ganache/node_modules/ganache/dist/node/cli.js");
        if (!Files.exists(cli)) {
            run(root, "bash", root.resolve(".ci/ganache").toString());
        }
        int port = freePort();
        try {
            Path log = Files.createTempFile("ganache-", ".log");
            Process process = new ProcessBuilder("node", cli.toString(), "--server.host", "127.0.0.1",
                    "--server.port", String.valueOf(port), "--wallet.deterministic", "--chain.chainId",
                    String.valueOf(CHAIN_ID), "--logging.quiet")
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            Ganache node = new Ganache(process, log, "http://127.0.0.1:" + port);
            node.awaitReady();
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("ganache exited: " + Files.readString(log));
            }
            try {
                rpc("eth_chainId");
                return;
            } catch (RuntimeException notYet) {
                sleep(200);
            }
        }
        String output = Files.readString(log);
        close();
        throw new IllegalStateException("ganache did not answer within 60 s: " + output);
    }

    public String url() {
        return url;
    }

    public static String address(int account) {
        return Credentials.create(KEYS[account]).getAddress();
    }

    /** Sends {@code wei} from an account; the transaction is mined when this returns. */
    public String sendEth(int fromAccount, String to, BigInteger wei) {
        return send(fromAccount, to, "", wei, BigInteger.valueOf(21_000));
    }

    /** Deploys the test ERC-20 from an account with {@code supply} base units; returns its address. */
    public String deployToken(int fromAccount, BigInteger supply) {
        String data = TOKEN_BYTECODE + FunctionEncoder.encodeConstructor(List.of(new Uint256(supply)));
        String hash = send(fromAccount, null, data, BigInteger.ZERO, BigInteger.valueOf(2_000_000));
        return receipt(hash).getContractAddress();
    }

    /** Calls the token's {@code transfer(to, units)}; with too little balance it is mined and fails (status 0). */
    public String transferToken(int fromAccount, String token, String to, BigInteger units) {
        String data = FunctionEncoder.encode(new Function("transfer",
                List.of(new Address(to), new Uint256(units)), List.of()));
        return send(fromAccount, token, data, BigInteger.ZERO, BigInteger.valueOf(100_000));
    }

    private String send(int fromAccount, String to, String data, BigInteger value, BigInteger gasLimit) {
        try {
            RawTransactionManager manager = new RawTransactionManager(web3, Credentials.create(KEYS[fromAccount]), CHAIN_ID);
            BigInteger gasPrice = web3.ethGasPrice().send().getGasPrice();
            EthSendTransaction sent = manager.sendTransaction(gasPrice, gasLimit, to, data, value);
            if (sent.hasError()) {
                throw new IllegalStateException("ganache refused the transaction: " + sent.getError().getMessage());
            }
            return sent.getTransactionHash();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public TransactionReceipt receipt(String hash) {
        try {
            return web3.ethGetTransactionReceipt(hash).send().getTransactionReceipt()
                    .orElseThrow(() -> new IllegalStateException("no receipt for " + hash));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Mines {@code blocks} empty blocks (each adds a confirmation to every mined transaction). */
    public void mine(int blocks) {
        for (int i = 0; i < blocks; i++) {
            rpc("evm_mine");
        }
    }

    /** The three transaction types wallets send: legacy (EIP-155), EIP-2930 access list, EIP-1559 dynamic fee. */
    public enum TxType {
        LEGACY(0), ACCESS_LIST(1), DYNAMIC_FEE(2);

        public final int id;

        TxType(int id) {
            this.id = id;
        }
    }

    /**
     * Sends {@code wei} from a ganache account as a transaction of {@code type}, signed by ganache itself
     * ({@code eth_sendTransaction} with {@code type}, as a wallet would sign it); mined when this returns unless mining
     * is stopped.
     */
    public String sendEth(int fromAccount, String to, BigInteger wei, TxType type) {
        ObjectNode tx = JSON.createObjectNode();
        tx.put("from", address(fromAccount));
        tx.put("to", to);
        tx.put("value", "0x" + wei.toString(16));
        tx.put("gas", "0x5208");
        tx.put("type", "0x" + Integer.toHexString(type.id));
        if (type == TxType.DYNAMIC_FEE) {
            tx.put("maxFeePerGas", "0x77359400");
            tx.put("maxPriorityFeePerGas", "0x3b9aca00");
        } else {
            tx.put("gasPrice", "0x77359400");
        }
        if (type == TxType.ACCESS_LIST) {
            tx.putArray("accessList");
        }
        return rpc("eth_sendTransaction", tx).asText();
    }

    /** The transaction as the node reports it ({@code eth_getTransactionByHash}). */
    public JsonNode transaction(String hash) {
        return rpc("eth_getTransactionByHash", hash);
    }

    /** Stops mining: transactions sent from now on wait in the mempool (pending) until {@link #startMining}. */
    public void stopMining() {
        rpc("miner_stop");
    }

    /** Resumes mining; transactions waiting in the mempool are mined. */
    public void startMining() {
        rpc("miner_start");
    }

    /**
     * Mines the pending transactions into one block stamped {@code at}, then sets the chain's clock back to now, so
     * later blocks carry real time again.
     */
    public void mineAt(Instant at) {
        ObjectNode options = JSON.createObjectNode();
        options.put("timestamp", at.getEpochSecond());
        rpc("evm_mine", options);
        rpc("evm_setTime", System.currentTimeMillis());
    }

    private JsonNode rpc(String method, Object... params) {
        try {
            ObjectNode request = JSON.createObjectNode();
            request.put("jsonrpc", "2.0");
            request.put("id", 1);
            request.put("method", method);
            request.set("params", JSON.valueToTree(params));
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(request.toString()))
                    .build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(response.body());
            if (body.has("error")) {
                throw new IllegalStateException(method + " failed: " + body.get("error"));
            }
            return body.get("result");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        web3.shutdown();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // A leftover log in the temp folder is harmless.
        }
    }

    /** The checkout's root: the first folder upwards that holds {@code .ci/ganache}. */
    private static Path projectRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(".ci/ganache"))) {
                return dir;
            }
        }
        throw new IllegalStateException(".ci/ganache not found above " + Path.of("").toAbsolutePath());
    }

    private static void run(Path dir, String... command) {
        try {
            Process install = new ProcessBuilder(command).directory(dir.toFile()).inheritIO().start();
            if (!install.waitFor(5, TimeUnit.MINUTES) || install.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
