package dev.gmsa.loaders;

import dev.gmsa.testing.Fixtures;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gmsa.transformer.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * tokenizer.json's post_processor gives {@link Tokenizer#encodeWithSpecialTokens} (Hugging Face's default
 * {@code tokenizer(text)}); {@link Tokenizer#encode} stays without special tokens.
 */
class TokenizerPostProcessorTest {
    private static final int LLAMA3_BOS = 128000;

    @Test
    void stories260KPutsBosInFrontLikeTheHuggingFaceReference() {
        JsonNode ref = Json.read(Fixtures.path("stories260K-hf", "reference_outputs.json"));
        String prompt = ref.get("prompt").textValue();
        int[] expected = ints(ref.get("input_ids"));
        assertEquals(1, expected[0], "the reference starts with <s>");
        Tokenizer tok = TokenizerJson.load(Fixtures.path("stories260K-hf", "tokenizer.json"));
        assertArrayEquals(expected, tok.encodeWithSpecialTokens(prompt));
        assertArrayEquals(Arrays.copyOfRange(expected, 1, expected.length), tok.encode(prompt), "encode adds no special tokens");
        assertEquals(prompt, tok.decode(tok.encode(prompt)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama3", "qwen3"})
    void byteLevelPostProcessorAddsNothing(String name) {
        JsonNode root = Json.read(Fixtures.path("tokenizers", name, "tokenizer.json"));
        assertEquals("ByteLevel", root.path("post_processor").path("type").asText(), "the fixture's post_processor");
        Tokenizer tok = TokenizerReferenceTest.tokenizer(name);
        for (JsonNode ref : Json.read(Fixtures.path("tokenizers", name, "reference_ids.json"))) {
            String text = ref.get("text").textValue();
            assertArrayEquals(ints(ref.get("ids")), tok.encodeWithSpecialTokens(text), () -> name + " " + TokenizerReferenceTest.quoted(text));
        }
    }

    @Test
    void aNullPostProcessorAddsNothing() {
        ObjectNode root = stories260K();
        root.putNull("post_processor");
        Tokenizer tok = TokenizerJson.fromJson(root, "null-post.json");
        assertArrayEquals(tok.encode("Hello, world!"), tok.encodeWithSpecialTokens("Hello, world!"));
    }

    /** Real Llama-3 files: Sequence [ByteLevel, TemplateProcessing <|begin_of_text|> $A]. */
    @Test
    void llama3SequenceWithTemplatePutsBeginOfTextInFront() {
        ObjectNode root = (ObjectNode) Json.read(Fixtures.path("tokenizers", "llama3", "tokenizer.json"));
        ObjectNode sequence = Json.MAPPER.createObjectNode().put("type", "Sequence");
        ArrayNode processors = sequence.putArray("processors");
        processors.add(root.get("post_processor").deepCopy());
        processors.add(template(new String[] {"<|begin_of_text|>", "A"}, "<|begin_of_text|>", LLAMA3_BOS));
        root.set("post_processor", sequence);
        Tokenizer tok = TokenizerJson.fromJson(root, "llama3-with-template.json");
        for (String text : new String[] {"Hello, world!", "Line one\nLine two", ""}) {
            int[] plain = tok.encode(text);
            assertArrayEquals(concat(new int[] {LLAMA3_BOS}, plain), tok.encodeWithSpecialTokens(text), text);
            assertArrayEquals(TokenizerReferenceTest.tokenizer("llama3").encode(text), plain, "encode unchanged: " + text);
        }
    }

    @Test
    void specialTokensAfterTheTextAndVocabularyLookupWork() {
        // "<s> $A </s>" where </s> is not in special_tokens: its id comes from the vocabulary
        ObjectNode root = stories260K();
        ObjectNode template = template(new String[] {"<s>", "A", "</s>"}, "<s>", 1);
        root.set("post_processor", template);
        Tokenizer tok = TokenizerJson.fromJson(root, "bos-eos.json");
        int[] plain = tok.encode("Once upon a time");
        assertArrayEquals(concat(new int[] {1}, plain, new int[] {2}), tok.encodeWithSpecialTokens("Once upon a time"));
    }

    @Test
    void unsupportedPostProcessorsAreRefusedNamingFileAndComponent(@TempDir Path dir) throws Exception {
        ObjectNode bert = stories260K();
        bert.set("post_processor", Json.MAPPER.readTree(
                "{\"type\":\"BertProcessing\",\"sep\":[\"</s>\",2],\"cls\":[\"<s>\",1]}"));
        Path file = dir.resolve("tokenizer.json");
        Files.write(file, Json.MAPPER.writeValueAsBytes(bert));
        LoadException e = assertThrows(LoadException.class, () -> TokenizerJson.load(file));
        assertTrue(e.getMessage().startsWith(file.toString() + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("unsupported post_processor BertProcessing"), e.getMessage());

        ObjectNode roberta = stories260K();
        ObjectNode inSequence = Json.MAPPER.createObjectNode().put("type", "Sequence");
        inSequence.putArray("processors").add(Json.MAPPER.createObjectNode().put("type", "ByteLevel"))
                .add(Json.MAPPER.createObjectNode().put("type", "RobertaProcessing"));
        roberta.set("post_processor", inSequence);
        assertMessage(roberta, "roberta.json", "unsupported post_processor RobertaProcessing");

        ObjectNode pairInSingle = stories260K();
        pairInSingle.set("post_processor", template(new String[] {"<s>", "A", "B"}, "<s>", 1));
        assertMessage(pairInSingle, "pair.json", "TemplateProcessing \"single\" template");

        ObjectNode noSequence = stories260K();
        noSequence.set("post_processor", template(new String[] {"<s>"}, "<s>", 1));
        assertMessage(noSequence, "no-a.json", "has no Sequence A");

        ObjectNode unknownToken = stories260K();
        unknownToken.set("post_processor", template(new String[] {"<nope>", "A"}, "<s>", 1));
        assertMessage(unknownToken, "unknown.json", "special token '<nope>'");

        ObjectNode outOfRange = stories260K();
        outOfRange.set("post_processor", template(new String[] {"<s>", "A"}, "<s>", 100_000));
        assertMessage(outOfRange, "range.json", "outside the vocabulary");
    }

    private static void assertMessage(JsonNode root, String source, String expected) {
        LoadException e = assertThrows(LoadException.class, () -> TokenizerJson.fromJson(root, source));
        assertTrue(e.getMessage().startsWith(source + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains("post_processor") || e.getMessage().contains("template"), e.getMessage());
    }

    private static ObjectNode stories260K() {
        return (ObjectNode) Json.read(Fixtures.path("stories260K-hf", "tokenizer.json"));
    }

    /**
     * A TemplateProcessing in tokenizer.json's layout; "A"/"B" are sequences, other pieces special tokens. Only
     * {@code tableToken} is listed in special_tokens, with {@code tableId}.
     */
    private static ObjectNode template(String[] pieces, String tableToken, int tableId) {
        ObjectNode t = Json.MAPPER.createObjectNode().put("type", "TemplateProcessing");
        ArrayNode single = t.putArray("single");
        for (String piece : pieces) {
            boolean sequence = piece.equals("A") || piece.equals("B");
            single.addObject().putObject(sequence ? "Sequence" : "SpecialToken").put("id", piece).put("type_id", 0);
        }
        t.putArray("pair");
        ObjectNode entry = t.putObject("special_tokens").putObject(tableToken);
        entry.put("id", tableToken);
        entry.putArray("ids").add(tableId);
        entry.putArray("tokens").add(tableToken);
        return t;
    }

    private static int[] ints(JsonNode array) {
        return IntStream.range(0, array.size()).map(i -> array.get(i).intValue()).toArray();
    }

    private static int[] concat(int[]... parts) {
        return Arrays.stream(parts).flatMapToInt(Arrays::stream).toArray();
    }
}
