package dev.gmsa.loaders;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gmsa.transformer.tokenizer.BpeTrainer;
import dev.gmsa.transformer.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A trained BPE written as tokenizer.json reads back as the same tokenizer, in the layout Hugging Face writes. */
class TokenizerJsonWriterTest {
    private static final String TEXT = "It is a truth universally acknowledged, that a single man in possession of a good fortune, "
            + "must be in want of a wife. Call me Ishmael. Some years ago, never mind how long precisely.";

    private static BpeTrainer.Result trained() {
        BpeTrainer t = new BpeTrainer();
        for (int i = 0; i < 4; i++) t.add(TEXT);
        return t.train(420, List.of("<s>", "</s>"), 2);
    }

    @Test
    void writtenFileLoadsAndEncodesAsTrained(@TempDir Path dir) {
        Path file = dir.resolve("tokenizer.json");
        BpeTrainer.Result bpe = trained();
        TokenizerJsonWriter.write(file, bpe);
        Tokenizer tok = TokenizerJson.load(file);
        assertEquals(bpe.vocab().size(), tok.vocabSize());
        assertTrue(bpe.merges().size() > 50, bpe.merges().size() + " merges");
        int[] ids = tok.encode(TEXT);
        assertTrue(ids.length < TEXT.length() / 2, ids.length + " tokens for " + TEXT.length() + " chars");
        assertEquals(TEXT, tok.decode(ids));
        assertEquals(0, tok.tokenId("<s>"));
        assertEquals(1, tok.tokenId("</s>"));
        int[] withBos = tok.encodeWithSpecialTokens("Call me");
        assertEquals(0, withBos[0], "the post-processor puts BOS first");
        assertArrayEquals(tok.encode("Call me"), java.util.Arrays.copyOfRange(withBos, 1, withBos.length));
        assertArrayEquals(new int[] {1}, tok.encode("</s>"), "special tokens in the text are recognised");
    }

    @Test
    void layoutIsHuggingFaces(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tokenizer.json");
        TokenizerJsonWriter.write(file, trained());
        JsonNode root = Json.read(file);
        assertEquals("1.0", root.path("version").asText());
        assertEquals("BPE", root.path("model").path("type").asText());
        assertTrue(root.path("model").path("merges").get(0).isArray(), "merges as [left, right] pairs");
        assertEquals("Split", root.path("pre_tokenizer").path("pretokenizers").get(0).path("type").asText());
        assertEquals("ByteLevel", root.path("pre_tokenizer").path("pretokenizers").get(1).path("type").asText());
        assertEquals("ByteLevel", root.path("decoder").path("type").asText());
        assertEquals("TemplateProcessing", root.path("post_processor").path("type").asText());
        assertTrue(root.path("added_tokens").get(0).path("special").asBoolean());
        assertFalse(Files.exists(dir.resolve("tokenizer.json.tmp")), "written atomically");
    }
}
