package dev.gmsa.cli;

import dev.gmsa.autograd.Grad;
import dev.gmsa.autograd.Var;
import dev.gmsa.compress.model.Compressor;
import dev.gmsa.compress.model.LoraSettings;
import dev.gmsa.compress.pipeline.EmbeddedDefault;
import dev.gmsa.compress.pipeline.Evaluation;
import dev.gmsa.compress.pipeline.Methods;
import dev.gmsa.compress.pipeline.TokenizerPair;
import dev.gmsa.tensor.Tensor;
import dev.gmsa.transformer.ModelConfig;
import dev.gmsa.transformer.Transformer;
import dev.gmsa.transformer.tokenizer.WordTokenizer;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ROUGE and perplexity figures eval prints, on worked examples and against a by-hand log-softmax. */
class EvalMetricsTest {
    /**
     * rouge-score's own test pairs (see RougeTest): against "testing one two", "testing one" scores F 0.8 / 2/3 / 0.8,
     * "testing two" 0.8 / 0 / 0.8 and "two testing" 0.8 / 0 / 0.4 (ROUGE-1 / -2 / -L); eval reports the means.
     */
    @Test
    void rougeIsTheMeanFMeasureOverTexts() {
        String reference = "testing one two";
        var r = new Evaluation.Reconstruction(3, 0, 0, 0, 0, 1, 0, 0, List.of(reference, reference, reference),
                List.of("testing one", "testing two", "two testing"));
        Evaluation.RougeF rouge = Evaluation.rouge(r);
        assertEquals(0.8, rouge.rouge1(), 1e-9, "ROUGE-1");
        assertEquals((2.0 / 3) / 3, rouge.rouge2(), 1e-9, "ROUGE-2");
        assertEquals((0.8 + 0.8 + 0.4) / 3, rouge.rougeL(), 1e-9, "ROUGE-L");
    }

    /**
     * perplexity = exp(total cross-entropy / scored tokens) of [soft tokens][instruction] -> text + EOS, recomputed
     * from the decoder's logits with a log-softmax by hand; texts of different lengths weigh by their tokens.
     */
    @Test
    void perplexityIsExpOfTheMeanCrossEntropyPerScoredToken() {
        WordTokenizer tokenizer = EmbeddedDefault.tokenizer();
        ModelConfig config = EmbeddedDefault.config(32, 2);
        Map<String, Tensor> w = new LinkedHashMap<>();
        long seed = 5;
        for (String name : Transformer.expectedNames(config)) {
            int[] shape = Transformer.shapeOf(config, name);
            w.put(name, shape.length == 1 ? Tensor.ones(shape) : Tensor.randn(seed++, name.contains("embed") ? 1f : (float) (1 / Math.sqrt(shape[1])), shape));
        }
        Transformer decoder = Transformer.fromWeights(config, w);
        Compressor compressor = new Compressor(Methods.spec("gmsa", 1, 1, LoraSettings.defaults()), config, w, decoder, 16, 3);
        List<int[]> texts = List.of(tokenizer.encode("Mia found a red kite at the park by the river."), tokenizer.encode("Tom gave Ben a box."));
        int[] instruction = tokenizer.encode(EmbeddedDefault.INSTRUCTION.strip());
        int eos = tokenizer.tokenId(EmbeddedDefault.EOS), rate = 4;

        double totalNats = 0, meanOfMeans = 0;
        int tokens = 0;
        try (var noGrad = Grad.disabled()) {
            for (int[] text : texts) {
                Var soft = compressor.compress(text, rate);
                int g = soft.size(1), prompt = g + instruction.length;
                int[] ids = new int[instruction.length + text.length];
                System.arraycopy(instruction, 0, ids, 0, instruction.length);
                System.arraycopy(text, 0, ids, instruction.length, text.length);
                Var input = Var.concat(1, soft, decoder.embed(Tensor.ofInts(ids, 1, ids.length)));
                float[] logits = decoder.forwardEmbeddings(input, 0, null).value().contiguous().toFloatArray();
                int vocab = config.vocabSize();
                double nats = 0;
                for (int j = 0; j <= text.length; j++) {
                    int row = (prompt - 1 + j) * vocab, target = j < text.length ? text[j] : eos;
                    double max = Double.NEGATIVE_INFINITY, sum = 0;
                    for (int v = 0; v < vocab; v++) max = Math.max(max, logits[row + v]);
                    for (int v = 0; v < vocab; v++) sum += Math.exp(logits[row + v] - max);
                    nats += max + Math.log(sum) - logits[row + target];
                }
                totalNats += nats;
                tokens += text.length + 1;
                meanOfMeans += nats / (text.length + 1) / texts.size();
            }
        }
        double expected = Math.exp(totalNats / tokens);
        double perplexity = Evaluation.reconstruction(compressor, decoder, TokenizerPair.shared(tokenizer), texts, rate, instruction, eos).perplexity();
        assertEquals(expected, perplexity, 1e-4 * expected, "exp(mean cross-entropy per token)");
        assertTrue(Math.abs(Math.log(perplexity) - meanOfMeans) > 1e-3,
                "token-weighted (" + Math.log(perplexity) + ") differs from the mean of per-text means (" + meanOfMeans + ")");
    }
}
