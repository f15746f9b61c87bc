package dev.gmsa.compress.data;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.filter.FilteringParserDelegate;
import com.fasterxml.jackson.core.filter.JsonPointerBasedFilter;
import com.fasterxml.jackson.core.filter.TokenFilter;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Reads the official SQuAD JSON (v1.1 and v2.0):
 * {@code {"data": [{"paragraphs": [{"context": ..., "qas": [{"question": ..., "answers": [{"text": ...}],
 * "is_impossible": bool}]}]}]}}. Each question becomes one {@link QaExample} with
 * {@code docs = [context]}, the question, and the answer texts in file order with duplicates
 * removed (SQuAD dev lists the same answer once per annotator; dropping repeats does not change
 * a max over gold answers).
 *
 * <p>Unanswerable questions ({@code "is_impossible": true}, v2.0 only) are skipped by default,
 * or kept with an empty answer list ({@link Unanswerable#EMPTY_ANSWERS}), which the metrics treat
 * as "the correct answer is the empty string", as the v2.0 script does. An answerable question
 * with no answers is malformed.
 *
 * <p>Errors name the file, the 1-based line and column of the offending value and its JSON path
 * (official SQuAD files are a single line, so the path is what finds the record).
 */
public final class SquadReader {
    /** What to do with v2.0 questions marked {@code is_impossible}. */
    public enum Unanswerable { SKIP, EMPTY_ANSWERS }

    private SquadReader() {}

    /** Reads answerable questions only. */
    public static List<QaExample> read(Path file) throws IOException {
        return read(file, Unanswerable.SKIP);
    }

    public static List<QaExample> read(Path file, Unanswerable unanswerable) throws IOException {
        JsonNode root;
        try {
            root = JsonlReader.MAPPER.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            long line = at == null ? 0 : at.getLineNr(), column = at == null ? 0 : at.getColumnNr();
            throw new MalformedRecordException(file, line, column, "$", "bad JSON: " + e.getOriginalMessage());
        }
        if (root == null || root.isMissingNode()) throw new MalformedRecordException(file, 1, "empty file, expected SQuAD JSON");
        JsonNode document = root;
        List<QaExample> examples = new ArrayList<>();
        JsonNode articles = at(file, JsonPath.ROOT, () -> JsonFields.array(JsonFields.object(document, "the SQuAD document"), "data"));
        for (int a = 0; a < articles.size(); a++) {
            JsonPath articlePath = JsonPath.ROOT.field("data").index(a);
            JsonNode article = articles.get(a);
            JsonNode paragraphs = at(file, articlePath, () -> JsonFields.array(JsonFields.object(article, "an article"), "paragraphs"));
            for (int p = 0; p < paragraphs.size(); p++) {
                JsonPath paragraphPath = articlePath.field("paragraphs").index(p);
                JsonNode paragraph = paragraphs.get(p);
                String context = at(file, paragraphPath, () -> JsonFields.string(JsonFields.object(paragraph, "a paragraph"), "context"));
                JsonNode questions = at(file, paragraphPath, () -> JsonFields.array(paragraph, "qas"));
                for (int q = 0; q < questions.size(); q++) {
                    JsonNode qa = questions.get(q);
                    QaExample example = at(file, paragraphPath.field("qas").index(q),
                            () -> question(JsonFields.object(qa, "a question"), context, unanswerable));
                    if (example != null) examples.add(example);
                }
            }
        }
        return examples;
    }

    /** A read of part of the document that may find a bad field. */
    private interface FieldRead<T> {
        T get() throws JsonFields.BadField;
    }

    /** Runs {@code read}; a bad field becomes an exception naming the file, line, column and {@code where}. */
    private static <T> T at(Path file, JsonPath where, FieldRead<T> read) throws MalformedRecordException {
        try {
            return read.get();
        } catch (JsonFields.BadField e) {
            JsonLocation location = locate(file, JsonPointer.compile(where.pointer()));
            throw new MalformedRecordException(file, location.getLineNr(), location.getColumnNr(), where.display(), e.getMessage());
        }
    }

    /** One question as an example, or null if it is unanswerable and those are skipped. */
    private static QaExample question(JsonNode qa, String context, Unanswerable unanswerable) throws JsonFields.BadField {
        String question = JsonFields.string(qa, "question");
        if (JsonFields.optionalBoolean(qa, "is_impossible", false)) {
            return unanswerable == Unanswerable.SKIP ? null : new QaExample(List.of(context), question, List.of());
        }
        JsonNode answers = JsonFields.array(qa, "answers");
        LinkedHashSet<String> texts = new LinkedHashSet<>();
        for (int i = 0; i < answers.size(); i++) {
            JsonNode answer = JsonFields.object(answers.get(i), "answers[" + i + "]");
            texts.add(JsonFields.string(answer, "text"));
        }
        if (texts.isEmpty()) throw new JsonFields.BadField("answerable question has no answers");
        return new QaExample(List.of(context), question, List.copyOf(texts));
    }

    /** Where the value at {@code pointer} starts in the file (the root: its first token); a second pass, only on error. */
    private static JsonLocation locate(Path file, JsonPointer pointer) {
        try (JsonParser parser = pointer.matches() ? JsonlReader.MAPPER.createParser(file.toFile())
                : new FilteringParserDelegate(JsonlReader.MAPPER.createParser(file.toFile()),
                        new JsonPointerBasedFilter(pointer), TokenFilter.Inclusion.ONLY_INCLUDE_ALL, false)) {
            if (parser.nextToken() != null) return parser.currentTokenLocation();
        } catch (IOException e) {
            // fall through: the location is a courtesy, the path still names the record
        }
        return JsonLocation.NA;
    }

    /** A path into the document, as a JSON pointer (to locate it) and as {@code $.data[0].paragraphs[1]} (to print). */
    private record JsonPath(String pointer, String display) {
        static final JsonPath ROOT = new JsonPath("", "$");

        JsonPath field(String name) {
            return new JsonPath(pointer + "/" + name.replace("~", "~0").replace("/", "~1"), display + "." + name);
        }

        JsonPath index(int i) {
            return new JsonPath(pointer + "/" + i, display + "[" + i + "]");
        }
    }
}
