package dev.gmsa.compress.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad record is reported with the file and the 1-based line (and, for SQuAD, the JSON path). */
class MalformedRecordsTest {
    @TempDir
    Path folder;

    private Path file(String name, String... lines) throws IOException {
        Path file = folder.resolve(name);
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return file;
    }

    private interface Read {
        void run() throws IOException;
    }

    /** Asserts the read fails with a message starting "file:line: " and containing {@code problem}. */
    private static void assertMalformed(Path file, long line, String problem, Read read) {
        MalformedRecordException e = assertThrows(MalformedRecordException.class, read::run);
        assertTrue(e.getMessage().startsWith(file + ":" + line + ":"), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        assertEquals(file, e.file());
        assertEquals(line, e.line());
    }

    @Test
    void blankLinesAreSkippedButCounted() throws IOException {
        Path file = file("corpus.jsonl", "{\"text\": \"one\"}", "", "   ", "{\"text\": \"two\", \"extra\": 1}");
        assertEquals(List.of("one", "two"), AutoencoderCorpusReader.read(file));
        Path bad = file("bad.jsonl", "{\"text\": \"one\"}", "", "{\"text\": 2}");
        assertMalformed(bad, 3, "field \"text\" must be a string, found number 2", () -> AutoencoderCorpusReader.read(bad));
    }

    @Test
    void badJsonNamesTheLine() throws IOException {
        Path file = file("broken.jsonl", "{\"text\": \"ok\"}", "{\"text\": \"ok\"}", "{\"text\": \"unterminated}");
        assertMalformed(file, 3, "bad JSON", () -> AutoencoderCorpusReader.read(file));
    }

    @Test
    void trailingGarbageAfterTheObjectIsBadJson() throws IOException {
        Path file = file("trailing.jsonl", "{\"text\": \"ok\"} {\"text\": \"second\"}");
        assertMalformed(file, 1, "bad JSON", () -> AutoencoderCorpusReader.read(file));
    }

    @Test
    void aDuplicateKeyIsBadJsonNotLastOneWins() throws IOException {
        Path file = file("duplicate.jsonl", "{\"text\": \"ok\"}", "{\"text\": \"first\", \"text\": \"second\"}");
        assertMalformed(file, 2, "bad JSON", () -> AutoencoderCorpusReader.read(file));
    }

    @Test
    void aRecordMustBeAnObject() throws IOException {
        Path file = file("array.jsonl", "{\"text\": \"ok\"}", "[\"text\"]");
        assertMalformed(file, 2, "must be a JSON object, found array", () -> AutoencoderCorpusReader.read(file));
    }

    @Test
    void missingAndMistypedQaFields() throws IOException {
        String good = "{\"docs\": [\"d\"], \"question\": \"q\", \"answers\": [\"a\"]}";
        Path missing = file("missing.jsonl", good, "{\"docs\": [\"d\"], \"answers\": [\"a\"]}");
        assertMalformed(missing, 2, "missing field \"question\"", () -> QaJsonlReader.read(missing));
        Path notArray = file("not-array.jsonl", good, good, "{\"docs\": \"d\", \"question\": \"q\", \"answers\": [\"a\"]}");
        assertMalformed(notArray, 3, "field \"docs\" must be an array, found string", () -> QaJsonlReader.read(notArray));
        Path badElement = file("bad-element.jsonl", "{\"docs\": [\"d\"], \"question\": \"q\", \"answers\": [\"a\", 7]}");
        assertMalformed(badElement, 1, "field \"answers\"[1] must be a string, found number 7", () -> QaJsonlReader.read(badElement));
        Path nullField = file("null.jsonl", "{\"docs\": [\"d\"], \"question\": null, \"answers\": []}");
        assertMalformed(nullField, 1, "missing field \"question\"", () -> QaJsonlReader.read(nullField));
    }

    @Test
    void missingPwcField() throws IOException {
        Path file = file("pwc.jsonl", "{\"input\": \"c\", \"prompt\": \"p\", \"answer\": \"a\"}", "{\"input\": \"c\", \"prompt\": \"p\"}");
        assertMalformed(file, 2, "missing field \"answer\"", () -> PwcJsonlReader.read(file));
    }

    @Test
    void invalidUtf8NamesTheLine() throws IOException {
        Path file = folder.resolve("latin1.jsonl");
        byte[] first = "{\"text\": \"ok\"}\n".getBytes(StandardCharsets.UTF_8);
        byte[] second = "{\"text\": \"caf\u00e9\"}\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[first.length + second.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        Files.write(file, all);
        assertMalformed(file, 2, "not valid UTF-8", () -> AutoencoderCorpusReader.read(file));
    }

    @Test
    void squadProblemsNameLineColumnAndPath() throws IOException {
        Path file = file("squad.json",
                "{\"version\": \"v2.0\", \"data\": [{\"title\": \"T\", \"paragraphs\": [",
                "  {\"context\": \"C1\", \"qas\": [{\"question\": \"Q1\", \"answers\": [{\"text\": \"A1\"}], \"is_impossible\": false}]},",
                "  {\"context\": \"C2\", \"qas\": [",
                "    {\"question\": \"Q2\", \"answers\": [{\"text\": \"A2\"}]},",
                "    {\"answers\": [{\"text\": \"A3\"}]}",
                "  ]}",
                "]}]}");
        MalformedRecordException e = assertThrows(MalformedRecordException.class, () -> SquadReader.read(file));
        assertEquals(file + ":5:5 ($.data[0].paragraphs[1].qas[1]): missing field \"question\"", e.getMessage());
        assertEquals(5, e.line());
    }

    @Test
    void squadWrongTypesAndBadJson() throws IOException {
        Path wrongType = file("squad-type.json",
                "{\"data\": [{\"paragraphs\": [{\"context\": \"C\", \"qas\": [",
                "  {\"question\": \"Q\", \"answers\": [{\"text\": 5}]}]}]}]}");
        assertMalformed(wrongType, 2, "field \"text\" must be a string", () -> SquadReader.read(wrongType));
        Path noAnswers = file("squad-empty.json",
                "{\"data\": [{\"paragraphs\": [{\"context\": \"C\", \"qas\": [",
                "  {\"question\": \"Q\", \"answers\": []}]}]}]}");
        assertMalformed(noAnswers, 2, "answerable question has no answers", () -> SquadReader.read(noAnswers));
        Path badImpossible = file("squad-flag.json",
                "{\"data\": [{\"paragraphs\": [{\"context\": \"C\", \"qas\": [",
                "  {\"question\": \"Q\", \"answers\": [], \"is_impossible\": \"yes\"}]}]}]}");
        assertMalformed(badImpossible, 2, "field \"is_impossible\" must be true or false", () -> SquadReader.read(badImpossible));
        Path noData = file("squad-nodata.json", "{\"version\": \"v2.0\"}");
        assertMalformed(noData, 1, "missing field \"data\"", () -> SquadReader.read(noData));
        Path broken = file("squad-broken.json", "{\"data\": [", "  {\"paragraphs\": [}", "]}");
        assertMalformed(broken, 2, "bad JSON", () -> SquadReader.read(broken));
    }

    @Test
    void missingFileIsAnIoError() {
        assertThrows(IOException.class, () -> AutoencoderCorpusReader.read(folder.resolve("absent.jsonl")));
    }
}
