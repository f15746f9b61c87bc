package dev.gmsa.compress.pipeline;

import dev.gmsa.autograd.Var;
import dev.gmsa.compress.data.QaExample;
import dev.gmsa.compress.format.SoftTokenFile;
import dev.gmsa.compress.model.CompressorSpec;
import dev.gmsa.compress.model.DecoderInput;
import dev.gmsa.compress.model.LoraSettings;
import dev.gmsa.tensor.DType;
import dev.gmsa.transformer.generate.Generator;
import dev.gmsa.transformer.generate.SamplingSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ask reads [soft tokens][question] exactly as KEFT trains on it and Evaluation.qa asks it (QaPrompt). */
class AskPromptTest {
    @Test
    void askFeedsTheDecoderTheQuestionIdsKeftAndEvaluationBuild(@TempDir Path tmp) throws Exception {
        Path dec = TinyModels.wordModel(tmp.resolve("dec"), 32, 4);
        QaExample qa = QaData.synthetic(7, 1, 2).get(0);
        try (GmsaSystem s = GmsaSystem.create(TinyModels.manifest(CompressorSpec.gmsa(1, 1, LoraSettings.defaults()), dec, dec, 256, 64), 5)) {
            TinyModels.perturb(s, 0.02f);
            int[] keftQuestion = s.keftExample(qa).question();
            int[] evaluationQuestion = QaPrompt.defaults().question(s.decoderTokenizer(), qa.question());
            assertArrayEquals(keftQuestion, evaluationQuestion);
            assertArrayEquals(keftQuestion, s.questionIds(qa.question()));
            assertTrue(keftQuestion.length > s.decoderTokenizer().encode(qa.question()).length, "the prompt wraps the raw question");

            Path file = tmp.resolve("docs.gmst");
            s.compress(String.join(" ", qa.docs()), 4, DType.F32).write(file);
            Var soft = s.softTokens(SoftTokenFile.read(file), file);
            Generator.Result asked = s.ask(soft, qa.question(), 8);
            assertEquals(soft.size(1) + keftQuestion.length, asked.promptTokens(), "the decoder read [soft tokens][KEFT question]");

            var request = new Generator.Request(8, SamplingSettings.greedyDecoding(), Set.of(s.eos()), List.of());
            int[] expected = new Generator(s.decoderModel(), s.decoderTokenizer())
                    .generate(DecoderInput.prompt(s.decoderModel(), soft, keftQuestion), request, null).ids();
            assertArrayEquals(expected, asked.ids());

            // Evaluation.qa, given ask's answer as the gold one, answers it exactly
            String answer = asked.text().strip();
            var scored = s.evaluateQa(List.of(new QaExample(qa.docs(), qa.question(), List.of(answer))), 4, 8);
            assertEquals(1.0, scored.exactMatch(), "ask and eval give the same answer: [" + answer + "]");
        }
    }
}
