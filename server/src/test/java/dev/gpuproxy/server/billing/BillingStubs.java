package dev.gpuproxy.server.billing;

import com.github.tomakehurst.wiremock.WireMockServer;

/**
 * The outside world of billing tests, all on 127.0.0.1: a Stripe stand-in and an AfterDark stand-in (WireMock), and a
 * real Ethereum node (ganache) with a deployed test ERC-20.
 */
public record BillingStubs(WireMockServer stripe, WireMockServer afterDark, Ganache chain, String token) {

    public static final String STRIPE_KEY = "sk_test_gpuproxy";
    public static final String WEBHOOK_SECRET = "whsec_test_gpuproxy_webhooks";
    public static final String AFTERDARK_KEY = "ad_test_gpuproxy";
    /** Ganache account 9 receives payments at the shared address (crypto=shared); account 8 holds the test tokens. */
    public static final int DEPOSIT_ACCOUNT = 9;
    public static final int TOKEN_HOLDER = 8;
    public static final int CONFIRMATIONS = 3;
    /** Rates the test app runs with: 1 USD = 10 credits, 1 ETH = 2000 USD, 1 USDC = 1 USD. */
    public static final String CREDITS_PER_USD = "10";

    public String depositAddress() {
        return Ganache.address(DEPOSIT_ACCOUNT);
    }

    /** Clears requests and stubs of both HTTP stand-ins. */
    public void reset() {
        stripe.resetAll();
        afterDark.resetAll();
    }
}
