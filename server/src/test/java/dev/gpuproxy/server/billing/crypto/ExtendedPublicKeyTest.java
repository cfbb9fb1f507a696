package dev.gpuproxy.server.billing.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gpuproxy.server.billing.TestXpub;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ExtendedPublicKeyTest {

    /** BIP32 test vector 1: the extended public key of m/0H. */
    static final String VECTOR_1_M_0H = "xpub68Gmy5EdvgibQVfPdqkBBCHxA5htiqg55crXYuXoQRKfDBFA1WEjWgP6LHhwBZeNK1VTsfTFUHCdrfp1bgwQ9xv5ski8PX9rL2dZXvgGDnw";
    /** BIP32 test vector 1: the extended private key of m/0H (what an operator must never give the server). */
    static final String VECTOR_1_M_0H_PRIVATE = "xprv9uHRZZhk6KAJC1avXpDAp4MDc3sQKNxDiPvvkX8Br5ngLNv1TxvUxt4cV1rGL5hj6KCesnDYUhd7oWgT11eZG7XnxHrnYeSvkzY7d2bhkJ7";

    @Test
    void publicDerivationMatchesTheBip32TestVector() {
        ExtendedPublicKey child = ExtendedPublicKey.parse(VECTOR_1_M_0H).child(1);

        // m/0H/1 of test vector 1
        assertThat(HexFormat.of().formatHex(child.publicKey()))
                .isEqualTo("03501e454bf00751f24b1b489aa925215d66af2234e3891c3b21a52bedb3cd711c");
    }

    @Test
    void addressesFromTheXpubAreTheOnesTheOperatorsWalletDerivesWithItsPrivateKey() {
        ExtendedPublicKey external = ExtendedPublicKey.parse(TestXpub.accountXpub()).child(0);

        // m/44'/60'/0'/0/0 of the test mnemonic is Hardhat's well-known first account.
        assertThat(external.child(0).address()).isEqualTo("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266");
        for (long index : new long[] {1, 2, 17, 1234, 2_147_483_647L}) {
            assertThat(external.child(index).address()).isEqualTo(TestXpub.address(index));
        }
    }

    @Test
    void aPrivateKeyOrAMalformedKeyIsRefusedWithoutRepeatingIt() {
        assertThatThrownBy(() -> ExtendedPublicKey.parse(VECTOR_1_M_0H_PRIVATE))
                .hasMessageContaining("PRIVATE")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(VECTOR_1_M_0H_PRIVATE.substring(4, 20)));
        String typo = VECTOR_1_M_0H.substring(0, 40) + (VECTOR_1_M_0H.charAt(40) == 'a' ? 'b' : 'a')
                + VECTOR_1_M_0H.substring(41);
        assertThatThrownBy(() -> ExtendedPublicKey.parse(typo)).hasMessageContaining("checksum");
        assertThatThrownBy(() -> ExtendedPublicKey.parse("0x90f8bf6a479f320ead074411a4b0e7944ea8c9c1"))
                .hasMessageContaining("CRYPTO_XPUB");
        assertThatThrownBy(() -> ExtendedPublicKey.parse(VECTOR_1_M_0H).child(-1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ExtendedPublicKey.parse(VECTOR_1_M_0H).child(0x80000000L))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
