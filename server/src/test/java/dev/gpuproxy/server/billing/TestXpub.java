package dev.gpuproxy.server.billing;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.RIPEMD160Digest;
import org.web3j.crypto.Bip32ECKeyPair;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.MnemonicUtils;

/**
 * The operator's side of CRYPTO_XPUB in tests: a wallet from a fixed, public test mnemonic (Hardhat's), its account
 * key m/44'/60'/0' exported as an xpub (all the server gets), and the private-key derivation of m/44'/60'/0'/0/n, to
 * check that the server's public derivation gives addresses the operator can spend from.
 */
public final class TestXpub {

    /** Hardhat's well-known test mnemonic; never holds real funds. */
    public static final String MNEMONIC = "test test test test test test test test test test test junk";
    private static final int H = Bip32ECKeyPair.HARDENED_BIT;
    private static final String ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    private TestXpub() {
    }

    private static Bip32ECKeyPair master() {
        return Bip32ECKeyPair.generateKeyPair(MnemonicUtils.generateSeed(MNEMONIC, ""));
    }

    /** The xpub of m/44'/60'/0', serialised as wallets export it (BIP32, Base58Check). */
    public static String accountXpub() {
        Bip32ECKeyPair parent = Bip32ECKeyPair.deriveKeyPair(master(), new int[] {44 | H, 60 | H});
        Bip32ECKeyPair account = Bip32ECKeyPair.deriveKeyPair(master(), new int[] {44 | H, 60 | H, H});
        byte[] payload = ByteBuffer.allocate(78)
                .putInt(0x0488B21E)
                .put((byte) 3)
                .put(Arrays.copyOfRange(hash160(parent.getPublicKeyPoint().getEncoded(true)), 0, 4))
                .putInt(H)
                .put(account.getChainCode())
                .put(account.getPublicKeyPoint().getEncoded(true))
                .array();
        return base58Check(payload);
    }

    /** The address of m/44'/60'/0'/0/{@code index}, derived from the private key (as the operator's wallet does). */
    public static String address(long index) {
        Bip32ECKeyPair key = Bip32ECKeyPair.deriveKeyPair(master(), new int[] {44 | H, 60 | H, H, 0, (int) index});
        return Credentials.create(key).getAddress();
    }

    static String base58Check(byte[] payload) {
        byte[] checksum = Arrays.copyOfRange(sha256(sha256(payload)), 0, 4);
        byte[] data = ByteBuffer.allocate(payload.length + 4).put(payload).put(checksum).array();
        StringBuilder text = new StringBuilder();
        BigInteger value = new BigInteger(1, data);
        BigInteger base = BigInteger.valueOf(58);
        while (value.signum() > 0) {
            BigInteger[] division = value.divideAndRemainder(base);
            text.append(ALPHABET.charAt(division[1].intValue()));
            value = division[0];
        }
        for (int i = 0; i < data.length && data[i] == 0; i++) {
            text.append('1');
        }
        return text.reverse().toString();
    }

    private static byte[] hash160(byte[] data) {
        RIPEMD160Digest ripemd = new RIPEMD160Digest();
        byte[] sha = sha256(data);
        ripemd.update(sha, 0, sha.length);
        byte[] out = new byte[20];
        ripemd.doFinal(out, 0);
        return out;
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
