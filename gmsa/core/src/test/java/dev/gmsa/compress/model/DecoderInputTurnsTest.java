package dev.gmsa.compress.model;

import dev.gmsa.autograd.Grad;
import dev.gmsa.autograd.Var;
import dev.gmsa.tensor.Tensor;
import dev.gmsa.transformer.Transformer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A drill's input: several question/answer turns after one context, only the answers and their EOS scored. */
class DecoderInputTurnsTest {
    private static final int EOS = 1, I = DecoderInput.IGNORE;

    @Test
    void oneTurnIsTheSingleAnswerInput() {
        Transformer decoder = TinyModels.decoder(41);
        try (var noGrad = Grad.disabled()) {
            Var soft = Var.constant(Tensor.randn(3, 1f, 1, 2, decoder.config().hiddenSize()));
            int[] question = {4, 5, 6}, answer = {7, 8};
            DecoderInput single = DecoderInput.of(decoder, soft, question, answer, EOS);
            DecoderInput turns = DecoderInput.ofTurns(decoder, soft, new int[0], List.of(question), List.of(answer), EOS);
            assertArrayEquals(single.targets().toIntArray(), turns.targets().toIntArray());
            assertArrayEquals(single.embeddings().value().toFloatArray(), turns.embeddings().value().toFloatArray());
        }
    }

    @Test
    void everyAnswerAndItsEosIsScoredAndNothingElse() {
        Transformer decoder = TinyModels.decoder(41);
        try (var noGrad = Grad.disabled()) {
            // text: context 9 9 | q1 4 | a1 7 EOS | q2 5 6 | a2 8 EOS (the last EOS is predicted, never read)
            DecoderInput in = DecoderInput.ofTurns(decoder, null, new int[] {9, 9}, List.of(new int[] {4}, new int[] {5, 6}),
                    List.of(new int[] {7}, new int[] {8}), EOS);
            assertArrayEquals(new int[] {I, I, 7, EOS, I, I, 8, EOS}, in.targets().toIntArray());
            assertArrayEquals(new int[] {1, 8, decoder.config().hiddenSize()}, in.embeddings().shape());
            Tensor expected = decoder.embed(Tensor.ofInts(new int[] {9, 9, 4, 7, EOS, 5, 6, 8}, 1, 8)).value();
            assertArrayEquals(expected.toFloatArray(), in.embeddings().value().toFloatArray());
        }
    }

    @Test
    void questionsAndAnswersMustPairUp() {
        Transformer decoder = TinyModels.decoder(41);
        assertThrows(IllegalArgumentException.class, () -> DecoderInput.ofTurns(decoder, null, new int[] {9}, List.of(new int[] {4}), List.of(), EOS));
        assertThrows(IllegalArgumentException.class, () -> DecoderInput.ofTurns(decoder, null, new int[] {9}, List.of(), List.of(), EOS));
    }
}
