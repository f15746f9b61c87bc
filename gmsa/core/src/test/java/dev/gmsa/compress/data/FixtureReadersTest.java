package dev.gmsa.compress.data;

import dev.gmsa.testing.Fixtures;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The readers on the shared fixture files; expected counts and texts were read from the files with Python's json. */
class FixtureReadersTest {
    @Test
    void autoencoderCorpusFromTinyStories() throws IOException {
        List<String> texts = AutoencoderCorpusReader.read(Fixtures.path("data", "tinystories-train.jsonl"));
        assertEquals(792, texts.size());
        assertTrue(texts.getFirst().startsWith("One day, a little girl named Lily found a needle in her room"));
        assertTrue(texts.stream().noneMatch(String::isBlank));
    }

    @Test
    void pwcRecordsBecomeOneDocumentExamples() throws IOException {
        List<QaExample> examples = PwcJsonlReader.read(Fixtures.path("data", "pwc-style-sample.jsonl"));
        assertEquals(6, examples.size()); // 6 records, the last without a trailing newline
        QaExample first = examples.getFirst();
        assertEquals(1, first.docs().size());
        assertTrue(first.docs().getFirst().startsWith("French senior civil servant arrested on suspicion of spying"));
        assertEquals("Identify the person arrested on suspicion of spying for North Korea.", first.question());
        assertEquals(List.of("Benoit Quennedey"), first.answers());
        assertEquals("Franco-Korean Friendship Association", examples.get(4).answers().getFirst());
    }

    @Test
    void squadV2SkipsUnanswerableByDefault() throws IOException {
        List<QaExample> examples = SquadReader.read(Fixtures.path("data", "squad-v2-dev-5articles.json"));
        assertEquals(705, examples.size()); // 1407 questions, 702 marked is_impossible
        QaExample first = examples.getFirst();
        assertEquals("In what country is Normandy located?", first.question());
        assertEquals(List.of("France"), first.answers()); // four annotators' "France" kept once
        assertTrue(first.docs().getFirst().startsWith("The Normans (Norman: Nourmands; French: Normands;"));
        assertEquals(List.of("10th and 11th centuries", "in the 10th and 11th centuries"), examples.get(1).answers());
        assertTrue(examples.stream().allMatch(e -> !e.answers().isEmpty() && e.docs().size() == 1));
    }

    @Test
    void squadV2CanKeepUnanswerableWithEmptyAnswers() throws IOException {
        List<QaExample> examples = SquadReader.read(Fixtures.path("data", "squad-v2-dev-5articles.json"),
                SquadReader.Unanswerable.EMPTY_ANSWERS);
        assertEquals(1407, examples.size());
        assertEquals(702, examples.stream().filter(e -> e.answers().isEmpty()).count());
        assertEquals("Who gave their name to Normandy in the 1000's and 1100's", examples.get(5).question());
        assertEquals(List.of(), examples.get(5).answers());
    }
}
