package dev.gmsa.loaders.llama2c;

import java.util.ArrayList;
import java.util.List;

/**
 * Where each weight sits in a llama2.c checkpoint, in file order. A llama2.c file stores each kind of weight for
 * all layers together ({@code wq} of layer 0, 1, ..., then {@code wk} of layer 0, 1, ...); matrices are
 * {@code [out, in]} row-major, the orientation of Hugging Face Linear weights.
 */
public final class Llama2cLayout {

    /**
     * One stored group: {@code hfName} with {@code {i}} for the layer index (null for data that is skipped),
     * repeated {@code layers} times, each of {@code shape}.
     */
    public record Group(String hfName, int layers, int... shape) {
        public long floatsPerLayer() {
            long n = 1;
            for (int s : shape) n = Math.multiplyExact(n, s);
            return n;
        }

        public long floats() {
            return Math.multiplyExact(floatsPerLayer(), (long) layers);
        }

        public String nameFor(int layer) {
            return hfName.replace("{i}", Integer.toString(layer));
        }
    }

    private Llama2cLayout() {}

    /** The groups of the given header's format, in file order. */
    public static List<Group> of(Llama2cHeader h) {
        return h.version() == 0 ? legacy(h) : version1(h);
    }

    /** run.c {@code memory_map_weights}. */
    private static List<Group> legacy(Llama2cHeader h) {
        int l = h.numLayers(), d = h.dim();
        List<Group> g = new ArrayList<>();
        g.add(new Group("model.embed_tokens.weight", 1, h.vocabSize(), d));
        g.add(new Group(LAYER + "input_layernorm.weight", l, d));
        addAttention(g, h);
        g.add(new Group(LAYER + "post_attention_layernorm.weight", l, d));
        addFeedForward(g, h);
        g.add(new Group("model.norm.weight", 1, d));
        // freq_cis_real and freq_cis_imag: precomputed RoPE tables, recomputed by the engine
        g.add(new Group(null, 2, h.seqLen(), h.headSize() / 2));
        if (!h.sharedClassifier()) g.add(new Group("lm_head.weight", 1, h.vocabSize(), d));
        return g;
    }

    /** export.py {@code version1_export}: all norms first, then the embedding, then the matrices. */
    private static List<Group> version1(Llama2cHeader h) {
        int l = h.numLayers(), d = h.dim();
        List<Group> g = new ArrayList<>();
        g.add(new Group(LAYER + "input_layernorm.weight", l, d));
        g.add(new Group(LAYER + "post_attention_layernorm.weight", l, d));
        g.add(new Group("model.norm.weight", 1, d));
        g.add(new Group("model.embed_tokens.weight", 1, h.vocabSize(), d));
        addAttention(g, h);
        addFeedForward(g, h);
        if (!h.sharedClassifier()) g.add(new Group("lm_head.weight", 1, h.vocabSize(), d));
        return g;
    }

    private static final String LAYER = "model.layers.{i}.";

    private static void addAttention(List<Group> g, Llama2cHeader h) {
        int l = h.numLayers(), d = h.dim(), q = h.numHeads() * h.headSize(), kv = h.numKvHeads() * h.headSize();
        g.add(new Group(LAYER + "self_attn.q_proj.weight", l, q, d));
        g.add(new Group(LAYER + "self_attn.k_proj.weight", l, kv, d));
        g.add(new Group(LAYER + "self_attn.v_proj.weight", l, kv, d));
        g.add(new Group(LAYER + "self_attn.o_proj.weight", l, d, q));
    }

    /** llama2.c w1 = gate, w2 = down, w3 = up. */
    private static void addFeedForward(List<Group> g, Llama2cHeader h) {
        int l = h.numLayers(), d = h.dim(), ff = h.hiddenDim();
        g.add(new Group(LAYER + "mlp.gate_proj.weight", l, ff, d));
        g.add(new Group(LAYER + "mlp.down_proj.weight", l, d, ff));
        g.add(new Group(LAYER + "mlp.up_proj.weight", l, ff, d));
    }

    /** Floats the groups hold, all together; ArithmeticException if a hostile header makes that overflow a long. */
    public static long totalFloats(List<Group> groups) {
        long n = 0;
        for (Group g : groups) n = Math.addExact(n, g.floats());
        return n;
    }
}
