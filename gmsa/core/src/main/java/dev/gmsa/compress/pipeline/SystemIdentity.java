package dev.gmsa.compress.pipeline;

import dev.gmsa.autograd.Var;
import dev.gmsa.compress.format.ModelFingerprint;
import dev.gmsa.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fingerprints of a compressor and its decoder, which soft-token files and manifests carry so that soft tokens
 * are never read by a model they were not made for. The frozen base weights (millions of values) are hashed once
 * and cached; the trained weights (small, and changed by every training step) are hashed each time.
 */
final class SystemIdentity {
    private String encoderBaseHash, decoderBaseHash;

    /** The compressor's hash: its trainable weights combined with the frozen encoder base's cached hash. */
    String compressorHash(Map<String, Var> encoderParameters, Map<String, Var> compressorTrainable) {
        if (encoderBaseHash == null) encoderBaseHash = frozenHash(encoderParameters, compressorTrainable);
        return ModelFingerprint.combine(ModelFingerprint.of(values(compressorTrainable)), encoderBaseHash);
    }

    /** The decoder's hash: the frozen base's cached hash combined with the KEFT deltas, if any. */
    String decoderHash(Map<String, Var> decoderParameters, Map<String, Var> keftDeltas) {
        if (decoderBaseHash == null) decoderBaseHash = frozenHash(decoderParameters, keftDeltas);
        return keftDeltas.isEmpty() ? decoderBaseHash : ModelFingerprint.combine(ModelFingerprint.of(values(keftDeltas)), decoderBaseHash);
    }

    /** Forgets the decoder base's hash: KEFT deltas may wrap base weights, so which are frozen is decided again. */
    void decoderChanged() {
        decoderBaseHash = null;
    }

    /** The hash of the parameters that no optimizer here updates (those not among {@code trained}). */
    private static String frozenHash(Map<String, Var> parameters, Map<String, Var> trained) {
        Map<String, Tensor> frozen = new LinkedHashMap<>();
        parameters.forEach((n, v) -> {
            if (!trained.containsValue(v)) frozen.put(n, v.value());
        });
        return ModelFingerprint.of(frozen);
    }

    static Map<String, Tensor> values(Map<String, Var> vars) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        vars.forEach((n, v) -> out.put(n, v.value()));
        return out;
    }
}
