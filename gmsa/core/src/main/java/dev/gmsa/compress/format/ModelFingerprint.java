package dev.gmsa.compress.format;

import dev.gmsa.tensor.Tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * A SHA-256 fingerprint of a set of named weights: names, shapes, dtypes and values. Large tensors are
 * sampled (at most {@link #SAMPLES_PER_TENSOR} evenly spaced values each) so fingerprinting a 7B decoder
 * stays fast; any retraining changes the sampled values too.
 */
public final class ModelFingerprint {
    static final int SAMPLES_PER_TENSOR = 4096;

    private ModelFingerprint() {}

    public static String of(Map<String, Tensor> weights) {
        MessageDigest sha = sha256();
        for (var e : new TreeMap<>(weights).entrySet()) {
            Tensor t = e.getValue();
            sha.update(e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            sha.update(java.util.Arrays.toString(t.shape()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            sha.update(t.dtype().name().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            float[] sample = sample(t);
            ByteBuffer buf = ByteBuffer.allocate(sample.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : sample) buf.putFloat(v);
            sha.update(buf.array());
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** One fingerprint for two: of the trained part and of the frozen part of a model (order matters). */
    public static String combine(String trained, String frozen) {
        MessageDigest sha = sha256();
        sha.update(("trained:" + trained + "\nfrozen:" + frozen).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(sha.digest());
    }

    private static float[] sample(Tensor t) {
        int n = t.numel();
        Tensor flat = t.reshape(n);
        if (n <= SAMPLES_PER_TENSOR) return flat.toFloatArray();
        float[] out = new float[SAMPLES_PER_TENSOR];
        long step = n / SAMPLES_PER_TENSOR;
        for (int i = 0; i < out.length; i++) out[i] = flat.get((int) (i * step));
        return out;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
