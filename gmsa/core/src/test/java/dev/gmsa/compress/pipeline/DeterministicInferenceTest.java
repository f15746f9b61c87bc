package dev.gmsa.compress.pipeline;

import dev.gmsa.autograd.Grad;
import dev.gmsa.autograd.Var;
import dev.gmsa.compress.model.CompressorSpec;
import dev.gmsa.compress.model.DecoderInput;
import dev.gmsa.compress.model.KeftMode;
import dev.gmsa.compress.model.LoraSettings;
import dev.gmsa.compress.train.AutoencoderTraining;
import dev.gmsa.compress.train.KeftTraining;
import dev.gmsa.compress.train.TrainingLoop;
import dev.gmsa.tensor.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** LoRA dropout belongs to autoencoder training only: compress, ask, eval and KEFT run the encoder without it. */
class DeterministicInferenceTest {
    private static final String TEXT = "Mia found a red kite at the park. Tom gave Ben a small box.";

    @Test
    void theDefaultLoraSettingsReallyHaveDropout() {
        assertTrue(LoraSettings.defaults().dropout() > 0, "else the tests below could not catch dropout at inference");
    }

    /**
     * The same soft tokens up to float noise. Not bit for bit: the engine's vector reductions may add in another
     * order once the JIT compiles them, which moves a value by ~1e-6 within one process. LoRA dropout moves them by
     * more than 1e-2 here, so the tolerance still tells the two apart.
     */
    private static void assertSameSoftTokens(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        double worst = 0;
        for (int i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        assertTrue(worst <= SAME, what + ": soft tokens differ by up to " + worst);
    }

    private static final double SAME = 1e-4;

    @Test
    void aLoadedSystemWithDefaultLoraCompressesTheSameTextToTheSameSoftTokens(@TempDir Path tmp) throws Exception {
        Path dec = TinyModels.wordModel(tmp.resolve("dec"), 32, 1);
        float[] inMemory;
        try (GmsaSystem s = GmsaSystem.create(TinyModels.manifest(CompressorSpec.gmsa(1, 1, LoraSettings.defaults()), dec, dec, 16, 8), 5)) {
            TinyModels.perturb(s, 0.01f);
            GmsaFolder.save(s, tmp.resolve("g"));
            inMemory = s.compress(TEXT, 4, DType.F32).allSoftTokens().toFloatArray();
            assertSameSoftTokens(inMemory, s.compress(TEXT, 4, DType.F32).allSoftTokens().toFloatArray(), "twice in the system that was created");
        }
        try (GmsaSystem back = GmsaFolder.load(tmp.resolve("g"))) {
            float[] first = back.compress(TEXT, 4, DType.F32).allSoftTokens().toFloatArray();
            float[] second = back.compress(TEXT, 4, DType.F32).allSoftTokens().toFloatArray();
            assertSameSoftTokens(first, second, "the same text compressed twice in one process");
            assertSameSoftTokens(inMemory, first, "the loaded system makes what the in-memory system made");
            back.compressor().setTraining(true);
            float[] noisy = back.compress(TEXT, 4, DType.F32).allSoftTokens().toFloatArray();
            assertThrows(AssertionError.class, () -> assertSameSoftTokens(first, noisy, "with dropout"), "the check sees dropout");
        }
    }

    @Test
    void autoencoderTrainingTurnsDropoutOnForItsStepsAndOffAfter(@TempDir Path tmp) {
        Path dec = TinyModels.wordModel(tmp.resolve("dec"), 32, 1);
        try (GmsaSystem s = GmsaSystem.create(TinyModels.manifest(CompressorSpec.gmsa(1, 1, LoraSettings.defaults()), dec, dec, 16, 8), 5)) {
            assertFalse(s.compressor().isTraining(), "a new compressor is in inference mode");
            int[] text = s.encoderTokenizer().encode(TEXT);
            boolean[] seenTraining = {false};
            var settings = TrainingLoop.Settings.of(2, 1e-3f).warmup(1).clip(2f).seed(3);
            AutoencoderTraining.train(s.compressor(), s.decoderModel(), rng -> {
                seenTraining[0] |= s.compressor().isTraining();
                return text;
            }, s.autoencoderTask(1, new int[] {4}), settings, null);
            assertTrue(seenTraining[0], "dropout is on while the autoencoder trains");
            assertFalse(s.compressor().isTraining(), "and off after");
        }
    }

    /** KEFT's first loss is the loss of the eval-mode soft tokens, even when the compressor was left in training mode. */
    @Test
    void keftReadsTheFrozenEncoderWithoutDropout(@TempDir Path tmp) {
        Path dec = TinyModels.wordModel(tmp.resolve("dec"), 32, 2);
        try (GmsaSystem s = GmsaSystem.create(TinyModels.manifest(CompressorSpec.gmsa(1, 1, LoraSettings.defaults()), dec, dec, 64, 16), 5)) {
            TinyModels.perturb(s, 0.05f);
            KeftTraining.Example ex = s.keftExample(QaData.synthetic(3, 1, 2).get(0));
            float expected;
            try (var noGrad = Grad.disabled()) {
                expected = KeftTraining.input(s.compressor(), s.decoderModel(), ex, 4, 64, s.eos()).loss(s.decoderModel()).item();
                s.compressor().setTraining(true);
                Var noisy = s.compressor().compressWindows(ex.context(), 4, 64);
                float withDropout = DecoderInput.of(s.decoderModel(), noisy, ex.question(), ex.answer(), s.eos()).loss(s.decoderModel()).item();
                assertTrue(Math.abs(withDropout - expected) > 1e-4, "dropout is visible in the loss: " + withDropout + " vs " + expected);
            }
            var trainable = s.startKeft(KeftMode.QKV);
            float[] losses = KeftTraining.train("keft", s.compressor(), s.decoderModel(), trainable, List.of(ex),
                    new KeftTraining.Task(1, 4, 64, s.eos()), TrainingLoop.Settings.of(1, 1e-3f).warmup(1).clip(2f).seed(9), null).losses();
            assertEquals(expected, losses[0], 1e-4f * Math.abs(expected));
            assertFalse(s.compressor().isTraining());
        }
    }
}
