package dev.gmsa.compress.data;

import dev.gmsa.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real-text corpus: a fixed split by content, and passages of whole sentences. */
class RealTextCorpusTest {
    @Test
    void theSharedCorpusSplitsAboutOneInTenByContent() throws Exception {
        RealTextCorpus c = RealTextCorpus.read(Fixtures.path("data", "corpus"));
        int total = c.train().size() + c.heldOut().size();
        assertTrue(c.heldOut().size() > total / 20 && c.heldOut().size() < total / 5, c.heldOut().size() + " of " + total);
        for (String d : c.heldOut()) assertTrue(RealTextCorpus.isHeldOut(d));
        for (String d : c.train()) assertFalse(RealTextCorpus.isHeldOut(d));
        var train = new HashSet<>(c.train());
        assertTrue(c.heldOut().stream().noneMatch(train::contains), "no held-out document is also a training document");
    }

    @Test
    void passagesAreWholeSentencesOfAtLeastTheAskedLength() {
        List<String> docs = List.of("First one here. The second sentence is longer than the first! Is this the third? Yes, the fourth.");
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < 50; i++) {
            String p = RealTextCorpus.passage(docs, 30, rng);
            assertTrue(p.length() >= 30 || docs.get(0).endsWith(p), p);
            assertTrue(docs.get(0).contains(p), "a passage is a contiguous span: " + p);
            char first = p.charAt(0);
            assertTrue(Character.isUpperCase(first), "starts at a sentence: " + p);
            assertTrue(".!?".indexOf(p.charAt(p.length() - 1)) >= 0, "ends at a sentence: " + p);
        }
    }

    @Test
    void passagesOvershootingTheMaximumAreRedrawn() {
        // one document of short sentences, one whose single sentence is far too long: the long one is avoided
        String longSentence = "This sentence goes on " + "and on ".repeat(60) + "until it ends.";
        List<String> docs = List.of("Short one. Another short one. A third one here. And a fourth. The fifth.", longSentence + " " + longSentence);
        SplittableRandom rng = new SplittableRandom(9);
        for (int i = 0; i < 40; i++) {
            String p = String.join(" ", RealTextCorpus.passageSentences(docs, 20, 120, rng));
            assertTrue(p.length() <= 120, p.length() + " chars: " + p);
        }
    }

    @Test
    void aFolderWithoutJsonlIsNamed(@TempDir Path dir) throws Exception {
        var e = assertThrows(IllegalArgumentException.class, () -> RealTextCorpus.read(dir));
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
        Files.writeString(dir.resolve("a.jsonl"), "{\"text\": \"x\"}\n{\"txt\": 1}\n");
        var bad = assertThrows(MalformedRecordException.class, () -> RealTextCorpus.read(dir));
        assertTrue(bad.getMessage().contains("a.jsonl") && bad.getMessage().contains("2"), bad.getMessage());
    }

    @Test
    void realFillerQaKeepsTheAnswerOutOfTheDistractors() {
        List<String> docs = List.of("The house stood on a hill. It was old and grey. Nobody had lived there for years. The garden was wild.",
                "Ships sailed past the harbour. The sea was calm that morning. Gulls cried above the masts. A bell rang twice.");
        var examples = SyntheticMultiDocQa.generate(5, 40, SyntheticMultiDocQa.Settings.defaults().withDocuments(4),
                RealTextCorpus.passageFiller(docs, 60, 200));
        for (var ex : examples) {
            String answer = dev.gmsa.compress.metrics.SquadNormalizer.normalize(ex.qa().answers().get(0));
            for (int d = 0; d < ex.qa().docs().size(); d++) {
                boolean has = dev.gmsa.compress.metrics.SquadNormalizer.normalize(ex.qa().docs().get(d)).contains(answer);
                assertEquals(d == ex.goldIndex(), has, "document " + d + " of " + ex.qa());
            }
        }
    }
}
