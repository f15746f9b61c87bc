package dev.gmsa.loaders;

import dev.gmsa.testing.Fixtures;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gmsa.transformer.tokenizer.Tokenizer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every text of reference_ids.json encodes to Hugging Face tokenizers' ids and decodes to its text. */
class TokenizerReferenceTest {
    private static final Map<String, Tokenizer> LOADED = new ConcurrentHashMap<>();

    static Tokenizer tokenizer(String name) {
        return LOADED.computeIfAbsent(name, n -> TokenizerJson.load(Fixtures.path("tokenizers", n, "tokenizer.json")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama3", "qwen3", "stories260K"})
    void idsAndDecodedTextMatchHuggingFace(String name) {
        Tokenizer tokenizer = tokenizer(name);
        JsonNode references = Json.read(Fixtures.path("tokenizers", name, "reference_ids.json"));
        for (JsonNode ref : references) {
            String text = ref.get("text").textValue();
            int[] expected = new int[ref.get("ids").size()];
            for (int i = 0; i < expected.length; i++) expected[i] = ref.get("ids").get(i).intValue();
            int[] ids = tokenizer.encode(text);
            assertArrayEquals(expected, ids, () -> name + " ids of " + quoted(text));
            assertEquals(ref.get("decoded").textValue(), tokenizer.decode(ids), () -> name + " decode of " + quoted(text));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"stories260K-hf"})
    void modelFolderTokenizerIsTheSameAsTheStandaloneOne(String model) {
        Tokenizer inFolder = TokenizerJson.load(Fixtures.path(model, "tokenizer.json"));
        JsonNode references = Json.read(Fixtures.path("tokenizers", "stories260K", "reference_ids.json"));
        for (JsonNode ref : references) {
            String text = ref.get("text").textValue();
            assertArrayEquals(tokenizer("stories260K").encode(text), inFolder.encode(text), () -> quoted(text));
        }
    }

    static String quoted(String s) {
        return "\"" + s.replace("\n", "\\n") + "\"";
    }

}
