package dev.gpuproxy.server.billing;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts the billing stand-ins ({@link BillingStubs}) and points gpuproxyd at them: Stripe and AfterDark on WireMock,
 * crypto on a fresh ganache with the test token deployed (so CRYPTO_TOKENS can name its address). Crypto payments get
 * an address each from {@link TestXpub}'s CRYPTO_XPUB, or, with the init argument {@code crypto=shared}, share
 * CRYPTO_DEPOSIT_ADDRESS (ganache account 9).
 */
public class BillingStubsResource implements QuarkusTestResourceLifecycleManager {

    public static final String SHARED_ADDRESS = "shared";

    private BillingStubs stubs;
    private boolean sharedAddress;

    @Override
    public void init(Map<String, String> initArgs) {
        sharedAddress = SHARED_ADDRESS.equals(initArgs.get("crypto"));
    }

    @Override
    public Map<String, String> start() {
        WireMockServer stripe = server();
        WireMockServer afterDark = server();
        Ganache chain = Ganache.start();
        String token = chain.deployToken(BillingStubs.TOKEN_HOLDER, BigInteger.TEN.pow(6 + 9));
        stubs = new BillingStubs(stripe, afterDark, chain, token);
        Map<String, String> config = new HashMap<>();
        config.put("billing.credits-per-usd", BillingStubs.CREDITS_PER_USD);
        config.put("billing.stripe.secret-key", BillingStubs.STRIPE_KEY);
        config.put("billing.stripe.webhook-secret", BillingStubs.WEBHOOK_SECRET);
        config.put("billing.stripe.api-base", "http://127.0.0.1:" + stripe.port());
        config.put("billing.stripe.max-retries", "0");
        config.put("billing.stripe.timeout", "5s");
        config.put("billing.afterdark.api-url", "http://127.0.0.1:" + afterDark.port());
        config.put("billing.afterdark.api-key", BillingStubs.AFTERDARK_KEY);
        config.put("billing.afterdark.timeout", "700ms");
        config.put("billing.afterdark.max-attempts", "3");
        config.put("billing.crypto.enabled", "true");
        config.put("billing.crypto.rpc-url", chain.url());
        config.put("billing.crypto.chain-id", String.valueOf(Ganache.CHAIN_ID));
        config.put("billing.crypto.xpub", sharedAddress ? "" : TestXpub.accountXpub());
        config.put("billing.crypto.deposit-address", sharedAddress ? stubs.depositAddress() : "");
        config.put("billing.crypto.confirmations", String.valueOf(BillingStubs.CONFIRMATIONS));
        config.put("billing.crypto.tokens", "USDC:" + token + ":6");
        config.put("billing.crypto.usd-rates", "ETH:2000,USDC:1");
        config.put("billing.crypto.recheck-interval", "1s");
        return config;
    }

    private static WireMockServer server() {
        WireMockServer server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        return server;
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(stubs,
                new TestInjector.AnnotatedAndMatchesType(InjectBillingStubs.class, BillingStubs.class));
    }

    @Override
    public void stop() {
        if (stubs != null) {
            stubs.stripe().stop();
            stubs.afterDark().stop();
            stubs.chain().close();
        }
    }
}
