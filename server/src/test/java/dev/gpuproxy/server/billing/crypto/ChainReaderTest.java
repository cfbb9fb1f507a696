package dev.gpuproxy.server.billing.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The chain a transaction was signed for, read as each transaction type carries it (shapes as nodes report them). */
class ChainReaderTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode tx(String json) throws Exception {
        return JSON.readTree(json);
    }

    @Test
    void typedTransactionsAreJudgedByTheirOwnChainIdNotByV() throws Exception {
        // An EIP-1559 transaction (what ethers v6 and MetaMask send): v is the parity 0/1; read as legacy it is -17.
        JsonNode dynamicFee = tx("{\"type\":\"0x2\",\"chainId\":\"0x539\",\"v\":\"0x0\"}");
        JsonNode accessList = tx("{\"type\":\"0x1\",\"chainId\":\"0x539\",\"v\":\"0x1\"}");

        assertThat(ChainReader.checkSignedChain(dynamicFee, 1337)).isEmpty();
        assertThat(ChainReader.checkSignedChain(accessList, 1337)).isEmpty();
        assertThat(ChainReader.checkSignedChain(dynamicFee, 1)).get()
                .satisfies(r -> assertThat(r.code()).isEqualTo("wrong_chain"))
                .satisfies(r -> assertThat(r.detail()).contains("chain 1337"));
        assertThat(ChainReader.checkSignedChain(tx("{\"type\":\"0x2\",\"v\":\"0x0\"}"), 1337)).get()
                .satisfies(r -> assertThat(r.code()).isEqualTo("wrong_chain"));
    }

    @Test
    void legacyTransactionsAreJudgedByV() throws Exception {
        // EIP-155: v = chainId * 2 + 35 or 36; a node may also add a chainId member, which legacy reading ignores.
        assertThat(ChainReader.checkSignedChain(tx("{\"type\":\"0x0\",\"v\":\"0xa95\"}"), 1337)).isEmpty();
        assertThat(ChainReader.checkSignedChain(tx("{\"v\":\"0xa96\"}"), 1337)).isEmpty();
        assertThat(ChainReader.checkSignedChain(tx("{\"type\":\"0x0\",\"v\":\"0x25\"}"), 1337)).get()
                .satisfies(r -> assertThat(r.detail()).contains("signed for chain 1,"));
        // Pre-EIP-155 (v 27/28) names no chain; the node's own chain was checked against CRYPTO_CHAIN_ID.
        assertThat(ChainReader.checkSignedChain(tx("{\"type\":\"0x0\",\"v\":\"0x1b\"}"), 1337)).isEmpty();
    }
}
