package dev.gmsa.compress.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlWriterTest {
    @TempDir
    Path folder;

    private List<Path> filesIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    @Test
    void textsRoundTripThroughTheCorpusReader() throws IOException {
        List<String> texts = List.of("plain", "quotes \" and \\ backslash", "line\nbreak and tab\t", "unicode é ✓ 😀", "");
        Path file = folder.resolve("corpus.jsonl");
        JsonlWriter.writeTexts(file, texts);
        assertEquals(texts, AutoencoderCorpusReader.read(file));
        assertEquals(texts.size(), Files.readAllLines(file).size()); // one record per line, escapes keep it so
    }

    @Test
    void qaExamplesRoundTripThroughTheQaReader() throws IOException {
        List<QaExample> examples = List.of(
                new QaExample(List.of("doc one", "doc \"two\""), "Who?", List.of("Ann", "Anne")),
                new QaExample(List.of(), "Nothing to read?", List.of()));
        Path file = folder.resolve("nested/dir/qa.jsonl");
        JsonlWriter.writeQa(file, examples);
        assertEquals(examples, QaJsonlReader.read(file));
    }

    @Test
    void overwritesWholeAndLeavesNoTemporaryFile() throws IOException {
        Path file = folder.resolve("out.jsonl");
        JsonlWriter.writeTexts(file, List.of("first", "version", "longer"));
        JsonlWriter.writeTexts(file, List.of("second"));
        assertEquals(List.of("second"), AutoencoderCorpusReader.read(file));
        assertEquals(List.of(file), filesIn(folder));
    }

    @Test
    void syntheticSetExportsAndReadsBack() throws IOException {
        List<QaExample> examples = SyntheticMultiDocQa.generateQa(3, 20, SyntheticMultiDocQa.Settings.defaults());
        Path file = folder.resolve("synthetic.jsonl");
        JsonlWriter.writeQa(file, examples);
        assertEquals(examples, QaJsonlReader.read(file));
    }
}
