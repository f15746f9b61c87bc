package dev.gmsa.compress.pipeline;

import dev.gmsa.autograd.Grad;
import dev.gmsa.autograd.Var;
import dev.gmsa.compress.format.SoftTokenFile;
import dev.gmsa.compress.model.CompressorSpec;
import dev.gmsa.compress.model.KeftMode;
import dev.gmsa.compress.model.LoraSettings;
import dev.gmsa.compress.train.KeftTraining;
import dev.gmsa.compress.train.TrainingLoop;
import dev.gmsa.loaders.PretrainedModel;
import dev.gmsa.tensor.DType;
import dev.gmsa.transformer.ModelConfig;
import dev.gmsa.transformer.Transformer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A GMSA folder saved and loaded back, soft-token files bound to their models, KEFT and mixed-width encoders. */
class GmsaSystemTest {
    /** A random decoder with real spread (N(0, 1/fan_in) matrices, N(0, 1) embeddings), so its logits are not flat. */
    private static Path decoderFolder(Path dir, int hidden, long seed) {
        ModelConfig c = EmbeddedDefault.config(hidden, 2);
        java.util.Map<String, dev.gmsa.tensor.Tensor> w = new java.util.LinkedHashMap<>();
        for (String name : Transformer.expectedNames(c)) {
            int[] shape = Transformer.shapeOf(c, name);
            w.put(name, shape.length == 1 ? dev.gmsa.tensor.Tensor.ones(shape)
                    : dev.gmsa.tensor.Tensor.randn(seed++, name.contains("embed") ? 1f : (float) (1 / Math.sqrt(shape[1])), shape));
        }
        PretrainedModel.save(dir, Transformer.fromWeights(c, w), EmbeddedDefault.tokenizer());
        return dir;
    }

    private static GmsaManifest manifest(CompressorSpec spec, Path decoder, Path encoder) {
        return GmsaManifest.of(spec, decoder.toString(), encoder.toString(), List.of(4), "Restate the aforementioned Text.", 16, 8);
    }

    private static final LoraSettings LORA = new LoraSettings(2, 4f, 0f, List.of("q_proj", "v_proj"));
    private static final String TEXT = "Mia found a red kite at the park. Tom gave Ben a small box.";

    @Test
    void aFolderMovedWithItsDecoderStillLoads(@TempDir Path tmp) throws Exception {
        Path dec = decoderFolder(tmp.resolve("a").resolve("decoder"), 32, 1);
        SoftTokenFile made;
        try (GmsaSystem s = GmsaSystem.create(manifest(CompressorSpec.gmsa(1, 1, LORA), dec, dec), 5)) {
            GmsaFolder.save(s, tmp.resolve("a").resolve("gmsa"));
            made = s.compress(TEXT, 4, DType.F32);
        }
        String json = java.nio.file.Files.readString(tmp.resolve("a").resolve("gmsa").resolve(GmsaFolder.MANIFEST));
        assertTrue(json.contains("\"decoder\" : \"../decoder\""), "checkpoints are named relative to the folder: " + json);
        java.nio.file.Files.move(tmp.resolve("a"), tmp.resolve("moved"));
        try (GmsaSystem back = GmsaFolder.load(tmp.resolve("moved").resolve("gmsa"))) {
            assertArrayEquals(made.allSoftTokens().toFloatArray(), back.compress(TEXT, 4, DType.F32).allSoftTokens().toFloatArray(), 1e-5f);
        }
    }

    @Test
    void aSavedFolderLoadsBackAndMakesTheSameSoftTokens(@TempDir Path tmp) throws Exception {
        Path dec = decoderFolder(tmp.resolve("dec"), 32, 1);
        SoftTokenFile made;
        try (GmsaSystem s = GmsaSystem.create(manifest(CompressorSpec.gmsa(1, 1, LORA), dec, dec), 5)) {
            s.compressor().trainableParameters().values().forEach(v -> v.value().copyFrom(v.value().add(0.01f)));
            GmsaFolder.save(s, tmp.resolve("g"));
            made = s.compress(TEXT, 4, DType.F32);
        }
        Path file = tmp.resolve("ctx.gmst");
        made.write(file);
        try (GmsaSystem back = GmsaFolder.load(tmp.resolve("g"))) {
            SoftTokenFile again = back.compress(TEXT, 4, DType.F32);
            // equal up to the last bits: the JIT may reorder the Vector API's sum reductions between the two runs
            assertArrayEquals(made.allSoftTokens().toFloatArray(), again.allSoftTokens().toFloatArray(), 1e-5f);
            assertEquals(made.identity(), back.identity());
            Var soft = back.softTokens(SoftTokenFile.read(file), file);
            assertEquals(made.allSoftTokens().size(0), soft.size(1));
        }
    }

    @Test
    void softTokensMadeByAnotherCompressorAreRefused(@TempDir Path tmp) throws Exception {
        Path dec = decoderFolder(tmp.resolve("dec"), 32, 1);
        Path file = tmp.resolve("ctx.gmst");
        try (GmsaSystem a = GmsaSystem.create(manifest(CompressorSpec.gmsa(1, 1, LORA), dec, dec), 5)) {
            a.compress(TEXT, 4, DType.F32).write(file);
        }
        try (GmsaSystem b = GmsaSystem.create(manifest(CompressorSpec.gmsa(1, 1, LORA), dec, dec), 6)) {
            b.compressor().trainableParameters().values().forEach(v -> v.value().copyFrom(v.value().add(0.5f)));
            var e = assertThrows(IllegalArgumentException.class, () -> b.softTokens(SoftTokenFile.read(file), file));
            assertTrue(e.getMessage().contains("made by compressor"), e.getMessage());
        }
    }

    /** The frozen base weights are hashed once; whatever training changes (its parameters, KEFT deltas) shows at once. */
    @Test
    void theIdentityFollowsTrainedWeightsAndOnlyThem(@TempDir Path tmp) {
        Path dec = decoderFolder(tmp.resolve("dec"), 32, 1);
        try (GmsaSystem s = GmsaSystem.create(manifest(CompressorSpec.gmsa(1, 1, LORA), dec, dec), 5)) {
            SoftTokenFile.Identity first = s.identity();
            assertEquals(first, s.identity(), "nothing trained, nothing changed");
            s.compressor().trainableParameters().values().iterator().next().value().fillInPlace(0.25f);
            SoftTokenFile.Identity trained = s.identity();
            assertTrue(!trained.compressorHash().equals(first.compressorHash()), "a trained compressor is another compressor");
            assertEquals(first.decoderHash(), trained.decoderHash());
            var deltas = s.startKeft(KeftMode.QKV);
            String attached = s.identity().decoderHash();
            assertEquals(attached, s.identity().decoderHash());
            deltas.values().iterator().next().value().fillInPlace(0.5f);
            assertTrue(!attached.equals(s.identity().decoderHash()), "trained deltas make another decoder");
            assertEquals(s.identity().compressorHash(), trained.compressorHash(), "KEFT leaves the compressor alone");
        }
    }

    @Test
    void keftTrainsOnlyTheQkvDeltasAndLowersTheAnswerLoss(@TempDir Path tmp) {
        Path dec = decoderFolder(tmp.resolve("dec"), 32, 2);
        try (GmsaSystem s = GmsaSystem.create(manifest(CompressorSpec.gmsa(1, 1, LORA), dec, dec), 5)) {
            var t = s.decoderTokenizer();
            var qa = QaData.synthetic(3, 4, 2);
            QaPrompt prompt = QaPrompt.defaults();
            var examples = qa.stream().map(e -> prompt.trainingExample(t, e)).toList();
            float[] before = s.decoderModel().parameters().get("model.layers.0.self_attn.q_proj.weight").value().toFloatArray();
            var trainable = s.startKeft(KeftMode.QKV);
            assertEquals(2 * 3, trainable.size(), "q, k and v deltas of both layers");
            var settings = TrainingLoop.Settings.of(30, 3e-3f).warmup(2).clip(2f).seed(9);
            float[] losses = KeftTraining.train("keft", s.compressor(), s.decoderModel(), trainable, examples,
                    new KeftTraining.Task(2, 4, 16, s.eos()), settings, null).losses();
            assertTrue(losses[29] < losses[0] * 0.8, "KEFT loss falls: " + losses[0] + " -> " + losses[29]);
            assertArrayEquals(before, s.decoderModel().parameters().get("model.layers.0.self_attn.q_proj.weight").value().toFloatArray(),
                    "the checkpoint weight itself never changes");
            s.compressor().trainableParameters().values().forEach(p -> assertEquals(null, p.grad(), "the compressor is frozen in KEFT"));
        }
    }

    @Test
    void anEncoderOfAnotherWidthGetsATrainedProjection(@TempDir Path tmp) {
        Path dec = decoderFolder(tmp.resolve("dec"), 32, 1), enc = decoderFolder(tmp.resolve("enc"), 64, 2);
        try (GmsaSystem s = GmsaSystem.create(manifest(CompressorSpec.gmsa(1, 1, LORA), dec, enc), 5); var noGrad = Grad.disabled()) {
            assertTrue(s.compressor().trainableParameters().containsKey("projection.weight"));
            assertArrayEquals(new int[] {32, 64}, s.compressor().trainableParameters().get("projection.weight").shape());
            Var soft = s.compressor().compress(s.encoderTokenizer().encode(TEXT), 4);
            assertEquals(32, soft.size(2), "soft tokens come out in the decoder's width");
            assertNotEquals(0, soft.value().abs().sum().item());
        }
    }
}
