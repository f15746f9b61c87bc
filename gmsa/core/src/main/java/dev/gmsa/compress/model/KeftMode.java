package dev.gmsa.compress.model;

import dev.gmsa.autograd.Var;
import dev.gmsa.transformer.Linear;
import dev.gmsa.transformer.Transformer;
import dev.gmsa.transformer.WeightDelta;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which decoder weights Knowledge Extraction Fine-Tuning trains. The paper trains W_Q, W_K and W_V of every
 * layer; the authors' released code trains the whole decoder. Either way the checkpoint weights stay frozen
 * and a zero-initialised {@link WeightDelta} per trained matrix learns the change.
 */
public enum KeftMode {
    /** q_proj, k_proj and v_proj of every layer (the paper). */
    QKV,
    /** Every linear layer of every block (as the released code; norms and embeddings stay frozen). */
    WHOLE_DECODER;

    /** Attaches deltas to the decoder and returns them by name (everything else in the decoder is frozen). */
    public Map<String, Var> attach(Transformer decoder) {
        decoder.parameters().values().forEach(p -> p.requiresGrad(false));
        Map<String, Var> trainable = new LinkedHashMap<>();
        for (var e : decoder.linears(decoder.config().numLayers()).entrySet()) {
            String proj = e.getKey().substring(e.getKey().lastIndexOf('.') + 1);
            boolean qkv = proj.equals("q_proj") || proj.equals("k_proj") || proj.equals("v_proj");
            if (this == QKV && !qkv) continue;
            Linear layer = e.getValue();
            WeightDelta delta = new WeightDelta("decoder." + e.getKey(), layer.outFeatures(), layer.inFeatures());
            layer.attach(delta);
            trainable.put(delta.delta().name(), delta.delta());
        }
        return trainable;
    }
}
