package dev.gmsa.compress.pipeline;

import dev.gmsa.autograd.Grad;
import dev.gmsa.compress.data.QaExample;
import dev.gmsa.compress.format.SoftTokenFile;
import dev.gmsa.compress.model.CompressorSpec;
import dev.gmsa.compress.model.DecoderInput;
import dev.gmsa.compress.model.KeftMode;
import dev.gmsa.compress.model.LoraSettings;
import dev.gmsa.compress.train.AutoencoderTraining;
import dev.gmsa.compress.train.KeftTraining;
import dev.gmsa.compress.train.TrainingLoop;
import dev.gmsa.tensor.DType;
import dev.gmsa.transformer.generate.Generator;
import dev.gmsa.transformer.tokenizer.ByteTokenizer;
import dev.gmsa.transformer.tokenizer.WordTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Encoder and decoder from checkpoints with different tokenizers (and widths): a byte-level encoder of width 48
 * and a word-level decoder of width 32. Contexts enter the encoder as byte ids; the decoder reads and predicts
 * word ids.
 */
class MixedTokenizersTest {
    private static final String TEXT = "Mia found a red kite at the park. Tom gave Ben a small box.";
    private static final LoraSettings NO_DROPOUT = new LoraSettings(2, 4f, 0f, List.of("q_proj", "v_proj"));

    private static GmsaSystem create(Path tmp, LoraSettings lora) {
        Path dec = TinyModels.wordModel(tmp.resolve("dec"), 32, 1), enc = TinyModels.byteModel(tmp.resolve("enc"), 48, 2);
        return GmsaSystem.create(TinyModels.manifest(CompressorSpec.gmsa(1, 1, lora), dec, enc, 64, 16), 5);
    }

    @Test
    void theTwoTokenizersReallyDiffer(@TempDir Path tmp) {
        try (GmsaSystem s = create(tmp, NO_DROPOUT)) {
            assertInstanceOf(ByteTokenizer.class, s.encoderTokenizer());
            assertInstanceOf(WordTokenizer.class, s.decoderTokenizer());
            assertFalse(s.tokenizers().isShared());
            assertFalse(Arrays.equals(s.encoderTokenizer().encode(TEXT), s.decoderTokenizer().encode(TEXT)));
        }
    }

    @Test
    void autoencoderTrainingPredictsTheDecoderTokenizersIdsOfTheText(@TempDir Path tmp) {
        try (GmsaSystem s = create(tmp, NO_DROPOUT)) {
            int[] encoderIds = s.encoderTokenizer().encode(TEXT), decoderIds = s.decoderTokenizer().encode(TEXT);
            AutoencoderTraining.Task task = s.autoencoderTask(1, new int[] {4});
            assertArrayEquals(decoderIds, task.decoderTargets().apply(encoderIds));

            float expectedFirstLoss;
            try (var noGrad = Grad.disabled()) {
                var soft = s.compressor().compress(encoderIds, 4);
                expectedFirstLoss = DecoderInput.of(s.decoderModel(), soft, s.instructionIds(), decoderIds, s.eos()).loss(s.decoderModel()).item();
            }
            var settings = TrainingLoop.Settings.of(4, 3e-3f).warmup(1).clip(2f).seed(3);
            float[] losses = AutoencoderTraining.train(s.compressor(), s.decoderModel(), rng -> encoderIds, task, settings, null).losses();
            assertEquals(expectedFirstLoss, losses[0], 1e-4f * expectedFirstLoss, "step 1 scores the decoder's ids of the text");
            for (float l : losses) assertTrue(Float.isFinite(l));
            assertTrue(losses[3] < losses[0], "the loss falls: " + Arrays.toString(losses));
        }
    }

    @Test
    void compressReconstructAndAskWorkEndToEndFromASavedFolder(@TempDir Path tmp) throws Exception {
        Path folder = tmp.resolve("g"), file = tmp.resolve("ctx.gmst");
        try (GmsaSystem s = create(tmp, LoraSettings.defaults())) {
            TinyModels.perturb(s, 0.01f);
            GmsaFolder.save(s, folder);
        }
        try (GmsaSystem s = GmsaFolder.load(folder)) {
            SoftTokenFile made = s.compress(TEXT, 4, DType.F32);
            assertEquals(s.encoderTokenizer().encode(TEXT).length, made.contextTokens(), "the context is counted in encoder tokens");
            assertEquals((made.contextTokens() + 3) / 4, made.allSoftTokens().size(0));
            assertEquals(32, made.allSoftTokens().size(1), "soft tokens come out in the decoder's width");
            made.write(file);

            var soft = s.softTokens(SoftTokenFile.read(file), file);
            Generator.Result restated = s.reconstruct(soft, 12);
            assertEquals(soft.size(1) + s.decoderTokenizer().encode("Restate the aforementioned Text.").length, restated.promptTokens());
            for (int id : restated.ids()) assertTrue(id < s.decoderTokenizer().vocabSize());
            assertEquals(s.decoderTokenizer().decode(restated.ids()), restated.text());

            Generator.Result answered = s.ask(soft, "What did Mia find?", 6);
            assertEquals(soft.size(1) + s.questionIds("What did Mia find?").length, answered.promptTokens());
        }
    }

    @Test
    void keftAndEvaluationFeedTheEncoderItsOwnIds(@TempDir Path tmp) {
        try (GmsaSystem s = create(tmp, NO_DROPOUT)) {
            QaExample qa = QaData.synthetic(3, 1, 2).get(0);
            KeftTraining.Example ex = s.keftExample(qa);
            assertArrayEquals(s.encoderTokenizer().encode(String.join(" ", qa.docs())), ex.context());
            assertArrayEquals(QaPrompt.defaults().question(s.decoderTokenizer(), qa.question()), ex.question());
            assertArrayEquals(QaPrompt.defaults().answer(s.decoderTokenizer(), qa.answers().get(0)), ex.answer());

            var trainable = s.startKeft(KeftMode.QKV);
            float[] losses = KeftTraining.train("keft", s.compressor(), s.decoderModel(), trainable, List.of(ex),
                    new KeftTraining.Task(1, 4, 64, s.eos()), TrainingLoop.Settings.of(2, 1e-3f).warmup(1).clip(2f).seed(9), null).losses();
            assertTrue(Float.isFinite(losses[1]));

            var qaScores = s.evaluateQa(List.of(qa), 4, 4);
            assertEquals(1, qaScores.questions());
            int[] decoderText = s.decoderTokenizer().encode(TEXT);
            var rec = s.evaluateReconstruction(List.of(decoderText), 4);
            assertEquals(TEXT, rec.references().get(0), "references are the decoder's ids of the text");
            assertTrue(Double.isFinite(rec.loss()) && Double.isFinite(rec.lossWithoutSoftTokens()));
        }
    }
}
