package dev.gmsa.loaders.safetensors;

import dev.gmsa.tensor.DType;
import dev.gmsa.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/** Small random tensor sets for safetensors property tests: every dtype, rank 0-3, empty axes, transposed views. */
final class RandomCheckpoints {
    private RandomCheckpoints() {}

    static Map<String, Tensor> tensors(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Map<String, Tensor> out = new LinkedHashMap<>();
        int count = rng.nextInt(0, 6);
        for (int i = 0; i < count; i++) out.put(name(rng, i), tensor(rng));
        return out;
    }

    static Map<String, String> metadata(long seed) {
        SplittableRandom rng = new SplittableRandom(~seed);
        Map<String, String> out = new LinkedHashMap<>();
        int count = rng.nextInt(0, 3);
        for (int i = 0; i < count; i++) out.put("key" + i + "\u00e9", "v" + rng.nextInt() + " \"quoted\" \u4e2d");
        return out;
    }

    private static String name(SplittableRandom rng, int i) {
        String[] stems = {"model.layers.%d.self_attn.q_proj.weight", "emb\u00e9dding.%d", "w%d", "a b/c\\d\"%d"};
        return String.format(stems[rng.nextInt(stems.length)], i);
    }

    private static Tensor tensor(SplittableRandom rng) {
        int rank = rng.nextInt(0, 4);
        int[] shape = new int[rank];
        for (int d = 0; d < rank; d++) shape[d] = rng.nextInt(0, 6);
        DType dtype = DType.values()[rng.nextInt(DType.values().length)];
        int n = 1;
        for (int d : shape) n *= d;
        Tensor t;
        if (dtype == DType.I32) {
            int[] v = new int[n];
            for (int i = 0; i < n; i++) v[i] = rng.nextInt();
            t = Tensor.ofInts(v, shape);
        } else {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) v[i] = randomFloat(rng);
            t = Tensor.of(v, shape).to(dtype);
        }
        return rank >= 2 && rng.nextBoolean() ? t.mT() : t; // a non-contiguous view half the time
    }

    /** Any bit pattern but NaN (whose payload F32 -> BF16 canonicalises), plus the special values. */
    private static float randomFloat(SplittableRandom rng) {
        return switch (rng.nextInt(8)) {
            case 0 -> 0f;
            case 1 -> -0f;
            case 2 -> Float.POSITIVE_INFINITY;
            case 3 -> Float.MIN_VALUE;
            default -> {
                float f = Float.intBitsToFloat(rng.nextInt());
                yield Float.isNaN(f) ? 1f : f;
            }
        };
    }
}
