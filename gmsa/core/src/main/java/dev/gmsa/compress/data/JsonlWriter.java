package dev.gmsa.compress.data;

import dev.gmsa.loaders.AtomicFiles;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the JSONL layouts the readers read: {@code {"text": ...}} for an autoencoder corpus and
 * {@code {"docs": [...], "question": ..., "answers": [...]}} for QA. The file appears whole or not
 * at all ({@link AtomicFiles}).
 */
public final class JsonlWriter {
    private JsonlWriter() {}

    /** Writes one {@code {"text": ...}} line per text (readable by {@link AutoencoderCorpusReader}). */
    public static void writeTexts(Path file, List<String> texts) throws IOException {
        writeAtomically(file, out -> {
            for (String text : texts) {
                ObjectNode record = JsonlReader.MAPPER.createObjectNode().put("text", text);
                writeLine(out, record);
            }
        });
    }

    /** Writes one QA record per example (readable by {@link QaJsonlReader}). */
    public static void writeQa(Path file, List<QaExample> examples) throws IOException {
        writeAtomically(file, out -> {
            for (QaExample example : examples) {
                ObjectNode record = JsonlReader.MAPPER.createObjectNode();
                example.docs().forEach(record.putArray("docs")::add);
                record.put("question", example.question());
                example.answers().forEach(record.putArray("answers")::add);
                writeLine(out, record);
            }
        });
    }

    private interface Body {
        void write(Writer out) throws IOException;
    }

    private static void writeLine(Writer out, ObjectNode record) throws IOException {
        out.write(JsonlReader.MAPPER.writeValueAsString(record));
        out.write('\n');
    }

    private static void writeAtomically(Path file, Body body) {
        AtomicFiles.write(file, out -> {
            Writer text = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            body.write(text);
            text.flush();
        });
    }
}
