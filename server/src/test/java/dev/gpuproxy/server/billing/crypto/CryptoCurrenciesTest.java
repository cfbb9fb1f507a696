package dev.gpuproxy.server.billing.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.core.methods.response.Log;

class CryptoCurrenciesTest {

    static final String USDC = "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48";
    static final String DEPOSIT = "0x1df62f291b2e969fb0849d99d9ce41e2f137006e";

    @Test
    void tokensParseNextToEth() {
        var currencies = CryptoCurrencies.parse("usdc:" + USDC + ":6, DAI:0x6B175474E89094C44Da98b954EedeAC495271d0F:18");
        assertThat(currencies.get("ETH")).isEqualTo(CryptoCurrencies.ETH);
        assertThat(currencies.get("USDC")).isEqualTo(new CryptoCurrencies.Currency("USDC", USDC.toLowerCase(), 6));
        assertThat(currencies.get("DAI").decimals()).isEqualTo(18);
    }

    @Test
    void malformedTokensNameTheVariable() {
        for (String spec : new String[] {"USDC", "USDC:0x123:6", "USDC:" + USDC + ":six"}) {
            assertThatThrownBy(() -> CryptoCurrencies.parse(spec)).hasMessageContaining("CRYPTO_TOKENS");
        }
    }

    @Test
    void onlyTransfersOfTheTokenToTheDepositAddressCount() {
        String toDeposit = "0x000000000000000000000000" + DEPOSIT.substring(2);
        String toOther = "0x000000000000000000000000" + "22d491bde2303f2f43325b2108d26f1eaba1e32b";
        String from = "0x00000000000000000000000090f8bf6a479f320ead074411a4b0e7944ea8c9c1";
        List<Log> logs = List.of(
                log(USDC, List.of(ChainReader.TRANSFER_TOPIC, from, toDeposit), 3_000_000),
                log(USDC, List.of(ChainReader.TRANSFER_TOPIC, from, toDeposit), 2_000_000),
                log(USDC, List.of(ChainReader.TRANSFER_TOPIC, from, toOther), 7_000_000),
                log("0x6B175474E89094C44Da98b954EedeAC495271d0F", List.of(ChainReader.TRANSFER_TOPIC, from, toDeposit), 9),
                log(USDC, List.of("0x8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925", from, toDeposit), 9));

        assertThat(ChainReader.tokensTo(logs, USDC.toLowerCase(), DEPOSIT)).isEqualTo(BigInteger.valueOf(5_000_000));
        assertThat(ChainReader.tokensTo(logs.subList(2, 5), USDC.toLowerCase(), DEPOSIT)).isNull();
    }

    private static Log log(String address, List<String> topics, long value) {
        Log log = new Log();
        log.setAddress(address);
        log.setTopics(topics);
        log.setData(String.format("0x%064x", value));
        return log;
    }
}
