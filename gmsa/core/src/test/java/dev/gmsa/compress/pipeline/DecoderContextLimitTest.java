package dev.gmsa.compress.pipeline;

import dev.gmsa.autograd.Var;
import dev.gmsa.compress.data.QaExample;
import dev.gmsa.compress.model.Compressor;
import dev.gmsa.compress.model.CompressorSpec;
import dev.gmsa.compress.model.DecoderInput;
import dev.gmsa.compress.model.LoraSettings;
import dev.gmsa.compress.train.KeftTraining;
import dev.gmsa.tensor.DType;
import dev.gmsa.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.function.Executable;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Windows are compressed only up to the decoder's context: soft tokens + prompt must fit max_position_embeddings. */
class DecoderContextLimitTest {
    private static final int POSITIONS = 32, WINDOW = 16;
    private static final String SENTENCE = "Mia found a red kite at the park. Tom gave Ben a small box.";
    private static final String CONTEXT = String.join(" ", SENTENCE, SENTENCE, SENTENCE, SENTENCE);
    private static final LoraSettings LORA = new LoraSettings(2, 4f, 0f, List.of("q_proj", "v_proj"));

    private static GmsaSystem create(Path tmp) {
        Path dec = TinyModels.folder(tmp.resolve("dec"), TinyModels.words(), 32, POSITIONS, 1);
        return GmsaSystem.create(TinyModels.manifest(CompressorSpec.gmsa(1, 1, LORA), dec, dec, WINDOW, 8), 5);
    }

    private static int softTokens(int contextTokens, int rate) {
        int full = contextTokens / WINDOW, rest = contextTokens % WINDOW;
        return full * Compressor.softTokenCount(WINDOW, rate) + (rest == 0 ? 0 : Compressor.softTokenCount(rest, rate));
    }

    private static void assertTooLong(Executable run, String... mentions) {
        var e = assertThrows(IllegalArgumentException.class, run);
        for (String m : mentions) assertTrue(e.getMessage().contains(m), "'" + m + "' in: " + e.getMessage());
        assertTrue(e.getMessage().contains("max_position_embeddings " + POSITIONS), e.getMessage());
    }

    @Test
    void compressRefusesAContextWhoseSoftTokensAndInstructionCannotFit(@TempDir Path tmp) {
        try (GmsaSystem s = create(tmp)) {
            int context = s.encoderTokenizer().encode(CONTEXT).length, instruction = s.instructionIds().length;
            assertTrue(context > 3 * WINDOW, "several windows: " + context);
            assertTrue(softTokens(context, 2) + instruction > POSITIONS && softTokens(context, 8) + instruction <= POSITIONS,
                    "the test's sizes: " + context + " tokens, instruction " + instruction);
            assertTooLong(() -> s.compress(CONTEXT, 2, DType.F32), softTokens(context, 2) + " soft tokens", instruction + " prompt",
                    "higher rate", "fewer windows");
            assertEquals(softTokens(context, 8), s.compress(CONTEXT, 8, DType.F32).allSoftTokens().size(0));
        }
    }

    @Test
    void askRefusesSoftTokensPlusAQuestionTooLongAndReconstructStopsAtTheLastPosition(@TempDir Path tmp) {
        try (GmsaSystem s = create(tmp)) {
            Var soft = Var.constant(s.compress(CONTEXT, 8, DType.F32).allSoftTokens().unsqueeze(0));
            String question = "What did Mia find at the park and what did Tom give Ben and where was the red kite?";
            int questionTokens = s.questionIds(question).length;
            assertTrue(soft.size(1) + questionTokens > POSITIONS, "the test's sizes");
            assertTooLong(() -> s.ask(soft, question, 4), soft.size(1) + " soft tokens", questionTokens + " prompt");

            var restated = s.reconstruct(soft, 1000);
            int prompt = soft.size(1) + s.instructionIds().length;
            assertTrue(restated.ids().length <= POSITIONS - prompt + 1, restated.ids().length + " tokens after a prompt of " + prompt);
        }
    }

    @Test
    void keftAndEvaluationRefuseInputsLongerThanTheDecoder(@TempDir Path tmp) {
        try (GmsaSystem s = create(tmp)) {
            QaExample longDocs = new QaExample(List.of(CONTEXT, CONTEXT), "What did Mia find?", List.of("a red kite"));
            KeftTraining.Example ex = s.keftExample(longDocs);
            assertTooLong(() -> KeftTraining.input(s.compressor(), s.decoderModel(), ex, 4, WINDOW, s.eos()), "soft tokens", "higher rate");
            assertTooLong(() -> s.evaluateQa(List.of(longDocs), 4, 4), "soft tokens", "higher rate");
            assertTooLong(() -> Evaluation.qa(null, s.decoderModel(), s.decoderTokenizer(), List.of(longDocs), 1, Integer.MAX_VALUE,
                    QaPrompt.defaults(), s.eos(), 4), "0 soft tokens", "shorten the context");

            Var fits = Var.constant(Tensor.zeros(1, 4, 32));
            int[] answer = new int[POSITIONS]; // 4 soft + 1 prompt + 32 answer positions
            assertTooLong(() -> DecoderInput.of(s.decoderModel(), fits, new int[] {1}, answer, s.eos()), "4 soft tokens", "33 prompt/text");
            assertEquals(POSITIONS, DecoderInput.of(s.decoderModel(), fits, new int[] {1}, new int[POSITIONS - 5], s.eos()).embeddings().size(1));
        }
    }
}
