package dev.gmsa.loaders;

import dev.gmsa.transformer.tokenizer.Tokenizer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.text.Normalizer;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * decode(encode(s)) gives s back:
 * byte-level BPE (LLaMA-3) for every valid Unicode string, special-token text included;
 * Qwen3 gives back NFC(s) between special tokens, because its normalizer composes characters first;
 * SentencePiece-style (stories260K) for every string without "▁" (which decodes to a space) and without
 * added-token text (after which the next segment gets its own "▁", decoded as an extra space).
 * A leading space survives: "▁" is prepended and exactly one leading space is stripped on decode.
 */
class TokenizerRoundTripProperties {
    @Property(tries = 300)
    void llama3RoundTripsAnyText(@ForAll("unicodeText") String s) {
        Tokenizer t = TokenizerReferenceTest.tokenizer("llama3");
        assertEquals(s, t.decode(t.encode(s)));
    }

    @Property(tries = 300)
    void qwen3RoundTripsToTheNfcForm(@ForAll("unicodeText") String s) {
        Tokenizer t = TokenizerReferenceTest.tokenizer("qwen3");
        assertEquals(nfcBetween(s, List.of("<|im_start|>", "<|endoftext|>")), t.decode(t.encode(s)));
    }

    /**
     * NFC of the text between special tokens: like Hugging Face, special tokens (normalized: false) are split off the
     * raw text before the normalizer runs, so "<|im_start|>" + U+0338 stays two pieces instead of composing ">" + U+0338
     * into U+226F (a case this property found).
     */
    static String nfcBetween(String s, List<String> specialTokens) {
        StringBuilder out = new StringBuilder();
        int segmentStart = 0, i = 0;
        while (i < s.length()) {
            String special = null;
            for (String token : specialTokens) if (s.startsWith(token, i)) special = token;
            if (special == null) {
                i++;
                continue;
            }
            out.append(Normalizer.normalize(s.substring(segmentStart, i), Normalizer.Form.NFC)).append(special);
            i += special.length();
            segmentStart = i;
        }
        return out.append(Normalizer.normalize(s.substring(segmentStart), Normalizer.Form.NFC)).toString();
    }

    @Example
    void specialTokensAreSplitOffBeforeNormalizing() {
        Tokenizer t = TokenizerReferenceTest.tokenizer("qwen3");
        String s = "<|im_start|>\u0338a\u0301";
        assertEquals("<|im_start|>\u0338\u00e1", t.decode(t.encode(s)));
    }

    @Property(tries = 300)
    void sentencePieceRoundTripsTextWithoutMetaspaceOrAddedTokens(@ForAll("unicodeText") String s) {
        String plain = s.replace("\u2581", "_").replace("<s>", "<t>").replace("</s>", "</t>").replace("<unk>", "<unq>");
        Tokenizer t = TokenizerReferenceTest.tokenizer("stories260K");
        assertEquals(plain, t.decode(t.encode(plain)));
    }

    @Provide
    Arbitrary<String> unicodeText() {
        Arbitrary<String> piece = Arbitraries.oneOf(
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(12),
                Arbitraries.strings().withChars(" \t\n\r\u00a0\u2009\u3000").ofMaxLength(4),
                Arbitraries.strings().withCharRange('\u00c0', '\u024f').ofMaxLength(6),
                Arbitraries.strings().withCharRange('\u0300', '\u036f').ofMaxLength(3), // combining marks: NFC matters
                Arbitraries.strings().withCharRange('\u4e00', '\u4fff').ofMaxLength(6),
                Arbitraries.strings().withCharRange('\uac00', '\uad00').ofMaxLength(4),
                Arbitraries.integers().between(0x1F300, 0x1FAFF).map(Character::toString),
                Arbitraries.integers().between(0, 0x10FFFF).filter(cp -> cp < 0xD800 || cp > 0xDFFF).map(Character::toString),
                Arbitraries.of("<|im_start|>", "<|endoftext|>", "<|begin_of_text|>", "<s>", "</s>", "\u2581", "'s", "'LL", "123456"));
        return piece.list().ofMaxSize(8).map(parts -> String.join("", parts));
    }
}
