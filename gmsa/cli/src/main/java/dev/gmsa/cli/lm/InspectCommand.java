package dev.gmsa.cli.lm;

import dev.gmsa.compress.pipeline.ShippedModels;
import dev.gmsa.loaders.LoadException;
import dev.gmsa.loaders.ModelConfigLoader;
import dev.gmsa.loaders.safetensors.SafetensorsCheckpoint;
import dev.gmsa.loaders.safetensors.TensorEntry;
import dev.gmsa.transformer.ModelConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;

/** Prints a model folder's config (key=value lines) and its parameter table. */
@Command(name = "inspect", description = "Show a model folder's config and parameters (key=value lines, then a table).")
public final class InspectCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "DIR", description = "a folder with config.json and safetensors weights (default: the shipped decoder)")
    Path model;

    @Override
    public Integer call() {
        try {
            if (model == null) model = ShippedModels.decoder();
            ModelConfig config = ModelConfigLoader.load(model);
            printConfig(config);
            try (SafetensorsCheckpoint ckpt = SafetensorsCheckpoint.open(model)) {
                printParameters(ckpt);
            }
            return 0;
        } catch (LoadException e) {
            System.err.println("gmsa inspect: " + e.getMessage());
            return 1;
        }
    }

    private static void printConfig(ModelConfig c) {
        System.out.println("architecture=" + c.architecture());
        System.out.println("hidden_size=" + c.hiddenSize());
        System.out.println("intermediate_size=" + c.intermediateSize());
        System.out.println("num_hidden_layers=" + c.numLayers());
        System.out.println("num_attention_heads=" + c.numHeads());
        System.out.println("num_key_value_heads=" + c.numKeyValueHeads());
        System.out.println("head_dim=" + c.headDim());
        System.out.println("vocab_size=" + c.vocabSize());
        System.out.println("rms_norm_eps=" + c.rmsNormEps());
        System.out.println("rope_theta=" + c.ropeTheta());
        System.out.println("rope_scaling=" + (c.ropeScaling() == null ? "none" : "llama3 factor=" + c.ropeScaling().factor()
                + " low_freq_factor=" + c.ropeScaling().lowFreqFactor() + " high_freq_factor=" + c.ropeScaling().highFreqFactor()
                + " original_max_position_embeddings=" + c.ropeScaling().originalMaxPositionEmbeddings()));
        System.out.println("max_position_embeddings=" + c.maxPositionEmbeddings());
        System.out.println("tie_word_embeddings=" + c.tieWordEmbeddings());
        System.out.println("qkv_bias=" + c.qkvBias());
        System.out.println("o_bias=" + c.outputBias());
        System.out.println("mlp_bias=" + c.mlpBias());
        System.out.println("qk_norm=" + c.qkNorm());
        System.out.println("bos_token_id=" + c.bosTokenIds());
        System.out.println("eos_token_id=" + c.eosTokenIds());
        System.out.println("dtype=" + c.dtype());
    }

    private static void printParameters(SafetensorsCheckpoint ckpt) {
        int width = ckpt.names().stream().mapToInt(String::length).max().orElse(4);
        String row = "%-" + width + "s  %-16s  %-5s  %12s%n";
        System.out.printf(row, "name", "shape", "dtype", "count");
        long total = 0;
        for (String name : ckpt.names()) {
            TensorEntry e = ckpt.entry(name);
            System.out.printf(row, name, Arrays.toString(e.shape()), e.dtype(), e.numel());
            total += e.numel();
        }
        System.out.println("params=" + total);
    }
}
