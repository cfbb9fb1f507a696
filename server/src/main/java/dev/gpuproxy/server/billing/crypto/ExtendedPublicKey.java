package dev.gpuproxy.server.billing.crypto;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECPoint;
import org.web3j.crypto.Keys;
import org.web3j.utils.Numeric;

/**
 * A BIP32 extended public key ({@code xpub...}/{@code tpub...}) and public child derivation (BIP32 "CKDpub"), which
 * gives the Ethereum address of every non-hardened child without any private key. web3j derives only from private
 * keys ({@code Bip32ECKeyPair}), so the public half lives here.
 */
public final class ExtendedPublicKey {

    private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");
    private static final int XPUB = 0x0488B21E;
    private static final int TPUB = 0x043587CF;
    private static final int XPRV = 0x0488ADE4;
    private static final int TPRV = 0x04358394;
    private static final String ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    private final ECPoint key;
    private final byte[] chainCode;

    private ExtendedPublicKey(ECPoint key, byte[] chainCode) {
        this.key = key;
        this.chainCode = chainCode;
    }

    /**
     * Parses a Base58Check extended public key. Error messages never repeat the value (it might be a private key
     * pasted by mistake).
     *
     * @throws IllegalArgumentException when it is malformed or an extended private key
     */
    public static ExtendedPublicKey parse(String serialized) {
        byte[] raw = base58Check(serialized.trim());
        if (raw.length != 78) {
            throw new IllegalArgumentException("CRYPTO_XPUB is not an extended public key (78 bytes, Base58Check)");
        }
        int version = ByteBuffer.wrap(raw, 0, 4).getInt();
        if (version == XPRV || version == TPRV) {
            throw new IllegalArgumentException("CRYPTO_XPUB holds an extended PRIVATE key (xprv); give the server only"
                    + " the extended public key (xpub) and keep the private key offline");
        }
        if (version != XPUB && version != TPUB) {
            throw new IllegalArgumentException("CRYPTO_XPUB must be an xpub... (or tpub...) extended public key");
        }
        byte[] chainCode = Arrays.copyOfRange(raw, 13, 45);
        byte[] publicKey = Arrays.copyOfRange(raw, 45, 78);
        if (publicKey[0] != 2 && publicKey[0] != 3) {
            throw new IllegalArgumentException("CRYPTO_XPUB does not hold a compressed public key");
        }
        try {
            return new ExtendedPublicKey(CURVE.getCurve().decodePoint(publicKey), chainCode);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("CRYPTO_XPUB holds no valid secp256k1 public key");
        }
    }

    /** The non-hardened child {@code index} (0 to 2^31-1). */
    public ExtendedPublicKey child(long index) {
        if (index < 0 || index >= 0x80000000L) {
            throw new IllegalArgumentException("a public derivation index must be 0 to 2^31-1 (got " + index + ")");
        }
        byte[] data = ByteBuffer.allocate(37).put(key.getEncoded(true)).putInt((int) index).array();
        byte[] digest = hmacSha512(chainCode, data);
        BigInteger tweak = new BigInteger(1, Arrays.copyOfRange(digest, 0, 32));
        if (tweak.compareTo(CURVE.getN()) >= 0) {
            // Probability below 2^-127; BIP32 says to proceed with the next index, which the caller cannot do here.
            throw new IllegalStateException("BIP32 derivation hit an invalid child at index " + index);
        }
        ECPoint childKey = CURVE.getG().multiply(tweak).add(key).normalize();
        if (childKey.isInfinity()) {
            throw new IllegalStateException("BIP32 derivation hit an invalid child at index " + index);
        }
        return new ExtendedPublicKey(childKey, Arrays.copyOfRange(digest, 32, 64));
    }

    /** The compressed public key (33 bytes). */
    public byte[] publicKey() {
        return key.getEncoded(true);
    }

    /** The Ethereum address of this key: the last 20 bytes of keccak256 of the uncompressed point, lower case. */
    public String address() {
        byte[] uncompressed = key.getEncoded(false);
        return Numeric.prependHexPrefix(Keys.getAddress(new BigInteger(1, Arrays.copyOfRange(uncompressed, 1, 65))));
    }

    private static byte[] hmacSha512(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA512");
            mac.init(new SecretKeySpec(key, "HmacSHA512"));
            return mac.doFinal(data);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Decodes Base58 and checks and strips the 4-byte double-SHA-256 checksum. */
    static byte[] base58Check(String text) {
        BigInteger value = BigInteger.ZERO;
        int leadingZeros = 0;
        boolean leading = true;
        if (text.isEmpty() || text.length() > 120) {
            throw new IllegalArgumentException("CRYPTO_XPUB is not Base58Check text");
        }
        for (char c : text.toCharArray()) {
            int digit = ALPHABET.indexOf(c);
            if (digit < 0) {
                throw new IllegalArgumentException("CRYPTO_XPUB is not Base58Check text");
            }
            if (leading && digit == 0) {
                leadingZeros++;
            } else {
                leading = false;
            }
            value = value.multiply(BigInteger.valueOf(58)).add(BigInteger.valueOf(digit));
        }
        byte[] magnitude = value.signum() == 0 ? new byte[0] : value.toByteArray();
        if (magnitude.length > 0 && magnitude[0] == 0) {
            magnitude = Arrays.copyOfRange(magnitude, 1, magnitude.length);
        }
        byte[] decoded = new byte[leadingZeros + magnitude.length];
        System.arraycopy(magnitude, 0, decoded, leadingZeros, magnitude.length);
        if (decoded.length < 5) {
            throw new IllegalArgumentException("CRYPTO_XPUB is not Base58Check text");
        }
        byte[] payload = Arrays.copyOfRange(decoded, 0, decoded.length - 4);
        byte[] checksum = Arrays.copyOfRange(sha256(sha256(payload)), 0, 4);
        if (!Arrays.equals(checksum, Arrays.copyOfRange(decoded, decoded.length - 4, decoded.length))) {
            throw new IllegalArgumentException("CRYPTO_XPUB has a wrong checksum (a typo?)");
        }
        return payload;
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
