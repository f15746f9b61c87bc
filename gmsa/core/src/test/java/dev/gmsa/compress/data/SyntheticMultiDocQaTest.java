package dev.gmsa.compress.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gmsa.compress.data.SyntheticMultiDocQa.Example;
import dev.gmsa.compress.data.SyntheticMultiDocQa.QuestionKind;
import dev.gmsa.compress.data.SyntheticMultiDocQa.Settings;
import dev.gmsa.compress.metrics.AnswerAccuracy;
import dev.gmsa.compress.metrics.SquadNormalizer;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SyntheticMultiDocQaTest {
    private static final List<Example> EXAMPLES = SyntheticMultiDocQa.generate(42, 300, Settings.defaults());

    @Test
    void everyExampleHasTheConfiguredShape() {
        for (Example example : EXAMPLES) {
            assertEquals(5, example.qa().docs().size());
            assertEquals(1, example.qa().answers().size());
            assertTrue(example.goldIndex() >= 0 && example.goldIndex() < 5);
            for (String doc : example.qa().docs()) assertEquals(4, doc.split("(?<=[.?!]) ").length, doc); // 3 filler + fact
        }
    }

    @Test
    void theAnswerAppearsInExactlyTheGoldDocument() {
        for (Example example : EXAMPLES) {
            String answer = example.qa().answers().getFirst();
            List<String> docs = example.qa().docs();
            for (int d = 0; d < docs.size(); d++) {
                boolean contains = docs.get(d).contains(answer);
                // the normalised check is what the Accuracy metric would see
                boolean normalizedContains = AnswerAccuracy.score(docs.get(d), answer) == 1.0;
                assertEquals(d == example.goldIndex(), contains, example.toString());
                assertEquals(d == example.goldIndex(), normalizedContains, example.toString());
            }
        }
    }

    @Test
    void distractorsUseTheSameTemplateButNeverTheQuestionEntityWithTheAnswer() {
        for (Example example : EXAMPLES) {
            String gold = example.qa().docs().get(example.goldIndex());
            String factPattern = factPattern(example.kind());
            assertTrue(gold.matches(".*" + factPattern + ".*"), gold);
            for (int d = 0; d < example.qa().docs().size(); d++) {
                if (d == example.goldIndex()) continue;
                String distractor = example.qa().docs().get(d);
                assertTrue(distractor.matches(".*" + factPattern + ".*"), "same template expected: " + distractor);
                assertFalse(SquadNormalizer.normalize(distractor).contains(SquadNormalizer.normalize(example.qa().answers().getFirst())));
                assertFalse(distractor.matches(".*" + askedFact(example) + ".*"), "distractor states the asked fact: " + distractor);
            }
        }
    }

    /** A regex for a fact sentence about the question's subject, whatever its answer. */
    private static String askedFact(Example example) {
        String q = example.qa().question();
        return switch (example.kind()) {
            case WHERE -> q.replaceFirst("Where does (\\w+) keep the (.+)\\?", "$1 keeps the $2 in ");
            case WHO -> q.replaceFirst("Who owns the (.+)\\?", "The $1 belongs to ");
            case WHAT -> q.replaceFirst("What did (\\w+) put under the (\\w+)\\?", "$1 put an? \\\\w+ \\\\w+ under the $2\\\\.");
            case HOW_MANY -> q.replaceFirst("How many (\\w+) does (\\w+) have in (.+)\\?", "$2 has \\\\w+ $1 in $3\\\\.");
        };
    }

    private static String factPattern(QuestionKind kind) {
        return switch (kind) {
            case WHERE -> "\\w+ keeps the \\w+ \\w+ in the [\\w ]+\\.";
            case WHO -> "The \\w+ \\w+ in the [\\w ]+ belongs to \\w+\\.";
            case WHAT -> "\\w+ put an? \\w+ \\w+ under the \\w+\\.";
            case HOW_MANY -> "\\w+ has \\w+ \\w+s in the [\\w ]+\\.";
        };
    }

    @Test
    void allQuestionKindsAndGoldPositionsOccur() {
        Set<QuestionKind> kinds = EnumSet.noneOf(QuestionKind.class);
        Set<Integer> positions = new HashSet<>();
        for (Example example : EXAMPLES) {
            kinds.add(example.kind());
            positions.add(example.goldIndex());
        }
        assertEquals(EnumSet.allOf(QuestionKind.class), kinds);
        assertEquals(Set.of(0, 1, 2, 3, 4), positions);
    }

    @Test
    void sameSeedSameDataOtherSeedOtherData() {
        Settings settings = Settings.defaults();
        assertEquals(SyntheticMultiDocQa.generate(7, 50, settings), SyntheticMultiDocQa.generate(7, 50, settings));
        assertNotEquals(SyntheticMultiDocQa.generate(7, 50, settings), SyntheticMultiDocQa.generate(8, 50, settings));
        // the first examples do not depend on how many are generated
        assertEquals(SyntheticMultiDocQa.generate(7, 10, settings), SyntheticMultiDocQa.generate(7, 50, settings).subList(0, 10));
    }

    @Test
    void documentCountAndGoldPositionCanBeFixed() {
        Settings twenty = Settings.defaults().withDocuments(20).withGoldPosition(19).withFillerSentences(1);
        for (Example example : SyntheticMultiDocQa.generate(1, 30, twenty)) {
            assertEquals(20, example.qa().docs().size());
            assertEquals(19, example.goldIndex());
            assertTrue(example.qa().docs().get(19).contains(example.qa().answers().getFirst()));
        }
        Example single = SyntheticMultiDocQa.generate(1, 1, Settings.defaults().withDocuments(1).withFillerSentences(0)).getFirst();
        assertEquals(0, single.goldIndex());
        assertEquals(1, single.qa().docs().size());
    }

    @Test
    void badSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Settings.defaults().withDocuments(0));
        assertThrows(IllegalArgumentException.class, () -> Settings.defaults().withGoldPosition(5));
        assertThrows(IllegalArgumentException.class, () -> Settings.defaults().withGoldPosition(-1));
        assertThrows(IllegalArgumentException.class, () -> Settings.defaults().withFillerSentences(-1));
    }

    @Test
    void withoutDistractorFactsTheGoldFactIsTheOnlyFact() {
        for (Example example : SyntheticMultiDocQa.generate(5, 100, Settings.defaults().withDistractorFacts(false))) {
            String pattern = ".*" + factPattern(example.kind()) + ".*";
            for (int d = 0; d < example.qa().docs().size(); d++) {
                String doc = example.qa().docs().get(d);
                assertEquals(d == example.goldIndex(), doc.matches(pattern), doc);
                assertEquals(d == example.goldIndex(), AnswerAccuracy.score(doc, example.qa().answers().getFirst()) == 1.0, doc);
            }
        }
    }

    @Test
    void aDrillAsksOneDistinctQuestionPerDocumentOverTheSameDocuments() {
        for (long seed = 0; seed < 40; seed++) {
            int n = seed < 30 ? 1 + (int) (seed % 8) : 11 + (int) seed % 20; // past 10 documents: kinds with enough answers (no HOW_MANY)
            List<QaExample> drill = SyntheticMultiDocQa.drill(seed, n, SyntheticMultiDocQa.syntheticFiller(2));
            assertEquals(n, drill.size());
            assertEquals(n, new HashSet<>(drill.stream().map(QaExample::question).toList()).size(), "distinct questions: " + drill);
            assertEquals(n, new HashSet<>(drill.stream().map(q -> q.answers().getFirst()).toList()).size(), "distinct answers: " + drill);
            for (QaExample ask : drill) {
                assertEquals(drill.getFirst().docs(), ask.docs(), "one shared context");
                assertTrue(ask.docs().stream().anyMatch(d -> d.contains(ask.answers().getFirst())), ask.question() + " answered in " + ask.docs());
            }
            assertEquals(drill, SyntheticMultiDocQa.drill(seed, n, SyntheticMultiDocQa.syntheticFiller(2)), "deterministic in the seed");
        }
        assertThrows(IllegalArgumentException.class, () -> SyntheticMultiDocQa.drill(1, 0, SyntheticMultiDocQa.syntheticFiller(2)));
        assertThrows(IllegalArgumentException.class, () -> SyntheticMultiDocQa.drill(1, 121, SyntheticMultiDocQa.syntheticFiller(2)));
    }
}
