package dev.gmsa.loaders;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gmsa.transformer.tokenizer.AddedToken;
import dev.gmsa.transformer.tokenizer.BpeModel;
import dev.gmsa.transformer.tokenizer.ByteLevelBpeTokenizer;
import dev.gmsa.transformer.tokenizer.SentencePieceBpeTokenizer;
import dev.gmsa.transformer.tokenizer.SplitPattern;
import dev.gmsa.transformer.tokenizer.TemplatedTokenizer;
import dev.gmsa.transformer.tokenizer.Tokenizer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link Tokenizer} from a Hugging Face {@code tokenizer.json}. Two families are recognised:
 * byte-level BPE (a ByteLevel pre-tokenizer, usually after a Split regex: GPT-2, LLaMA-3, Qwen) and
 * SentencePiece-style BPE ("▁" for spaces, byte fallback: LLaMA-2, TinyStories). The post-processor's
 * TemplateProcessing (e.g. a BOS in front) becomes {@link Tokenizer#encodeWithSpecialTokens}. Anything else is refused
 * with a message naming the component.
 */
public final class TokenizerJson {
    private TokenizerJson() {}

    public static Tokenizer load(Path file) {
        return fromJson(Json.read(file), file.toString());
    }

    public static Tokenizer fromJson(JsonNode root, String source) {
        try {
            JsonNode model = root.path("model");
            if (!"BPE".equals(model.path("type").asText(null)))
                throw new LoadException(source + ": unsupported tokenizer model " + model.path("type") + " (supported: BPE)");
            requireEmpty(model, "continuing_subword_prefix", source);
            requireEmpty(model, "end_of_word_suffix", source);
            List<AddedToken> added = addedTokens(root.path("added_tokens"), source);
            JsonNode preTokenizer = root.path("pre_tokenizer");
            Tokenizer plain = hasComponent(preTokenizer, "pretokenizers", "ByteLevel")
                    ? byteLevel(root, model, added, source) : sentencePiece(root, model, added, source);
            return withPostProcessor(plain, root.path("post_processor"), source);
        } catch (IllegalArgumentException e) {
            throw LoadException.of(source, e.getMessage(), e);
        }
    }

    private static Tokenizer byteLevel(JsonNode root, JsonNode model, List<AddedToken> added, String source) {
        SplitPattern split = splitPattern(root.path("pre_tokenizer"), source);
        boolean nfc = normalizer(root.path("normalizer"), source);
        BpeModel bpe = new BpeModel(vocab(model, source), merges(model, source),
                new BpeModel.Options(model.path("byte_fallback").asBoolean(false), textOrNull(model.get("unk_token")),
                        model.path("fuse_unk").asBoolean(false), model.path("ignore_merges").asBoolean(false)));
        return new ByteLevelBpeTokenizer(bpe, added, split, nfc);
    }

    /** The Split regex of the pre-tokenizer; a bare ByteLevel with use_regex uses GPT-2's pattern. */
    private static SplitPattern splitPattern(JsonNode pre, String source) {
        List<JsonNode> steps = new ArrayList<>();
        if ("Sequence".equals(pre.path("type").asText())) pre.path("pretokenizers").forEach(steps::add);
        else steps.add(pre);
        SplitPattern split = null;
        for (JsonNode step : steps) {
            String type = step.path("type").asText();
            switch (type) {
                case "Split" -> {
                    if (!"Isolated".equals(step.path("behavior").asText()) || step.path("invert").asBoolean(false))
                        throw new LoadException(source + ": Split pre-tokenizer with behavior " + step.path("behavior")
                                + " invert " + step.path("invert") + " is not supported (supported: Isolated, not inverted)");
                    JsonNode regex = step.path("pattern").path("Regex");
                    if (!regex.isTextual()) throw new LoadException(source + ": Split pre-tokenizer needs a Regex pattern");
                    split = new SplitPattern(regex.textValue());
                }
                case "ByteLevel" -> {
                    if (step.path("add_prefix_space").asBoolean(false))
                        throw new LoadException(source + ": ByteLevel add_prefix_space=true is not supported");
                    if (step.path("use_regex").asBoolean(true)) split = new SplitPattern(GPT2_PATTERN);
                }
                default -> throw new LoadException(source + ": unsupported pre-tokenizer " + type);
            }
        }
        if (split == null) throw new LoadException(source + ": byte-level tokenizer without a Split regex");
        return split;
    }

    private static final String GPT2_PATTERN = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

    /** True for NFC, false for none; others are refused. */
    private static boolean normalizer(JsonNode normalizer, String source) {
        if (normalizer.isMissingNode() || normalizer.isNull()) return false;
        String type = normalizer.path("type").asText();
        if (type.equals("NFC")) return true;
        throw new LoadException(source + ": unsupported normalizer " + type + " for a byte-level tokenizer (supported: NFC)");
    }

    private static Tokenizer sentencePiece(JsonNode root, JsonNode model, List<AddedToken> added, String source) {
        SentencePieceBpeTokenizer.PrependScheme scheme = prependScheme(root, source);
        String decoders = root.path("decoder").toString();
        if (!decoders.contains("ByteFallback") && !decoders.contains("Metaspace"))
            throw new LoadException(source + ": unsupported decoder " + root.path("decoder").path("type")
                    + " (supported: ByteLevel, or the SentencePiece Replace/ByteFallback/Fuse/Strip sequence)");
        BpeModel bpe = new BpeModel(vocab(model, source), merges(model, source),
                new BpeModel.Options(model.path("byte_fallback").asBoolean(false), textOrNull(model.get("unk_token")),
                        model.path("fuse_unk").asBoolean(false), model.path("ignore_merges").asBoolean(false)));
        return new SentencePieceBpeTokenizer(bpe, added, scheme);
    }

    /**
     * LLaMA-2 files spell the SentencePiece normalisation as normalizer [Prepend "▁", Replace " " → "▁"];
     * newer ones as a Metaspace pre-tokenizer with a prepend_scheme.
     */
    private static SentencePieceBpeTokenizer.PrependScheme prependScheme(JsonNode root, String source) {
        JsonNode normalizer = root.path("normalizer");
        JsonNode pre = root.path("pre_tokenizer");
        if (hasComponent(pre, "pretokenizers", "Metaspace")) {
            JsonNode meta = findComponent(pre, "pretokenizers", "Metaspace");
            if (meta.path("split").asBoolean(false)) throw new LoadException(source + ": Metaspace split=true is not supported");
            return switch (meta.path("prepend_scheme").asText("always")) {
                case "always" -> SentencePieceBpeTokenizer.PrependScheme.ALWAYS;
                case "first" -> SentencePieceBpeTokenizer.PrependScheme.FIRST;
                default -> SentencePieceBpeTokenizer.PrependScheme.NEVER;
            };
        }
        if (!pre.isMissingNode() && !pre.isNull())
            throw new LoadException(source + ": unsupported pre-tokenizer " + pre.path("type").asText() + " for a SentencePiece-style tokenizer");
        JsonNode replace = findComponent(normalizer, "normalizers", "Replace");
        if (replace == null || !" ".equals(replace.path("pattern").path("String").asText()) || !"\u2581".equals(replace.path("content").asText()))
            throw new LoadException(source + ": unsupported normalizer " + normalizer.path("type").asText()
                    + " (supported: NFC for byte-level; Prepend/Replace ' ' -> '\u2581' for SentencePiece-style)");
        JsonNode prepend = findComponent(normalizer, "normalizers", "Prepend");
        return prepend != null && "\u2581".equals(prepend.path("prepend").asText())
                ? SentencePieceBpeTokenizer.PrependScheme.ALWAYS : SentencePieceBpeTokenizer.PrependScheme.NEVER;
    }

    /**
     * Applies the post_processor: a TemplateProcessing (alone or in a Sequence) wraps the tokenizer in its "single"
     * template; ByteLevel (offsets only) and none add nothing. Others (Bert, Roberta) are refused.
     */
    private static Tokenizer withPostProcessor(Tokenizer plain, JsonNode post, String source) {
        if (post.isMissingNode() || post.isNull()) return plain;
        List<JsonNode> steps = new ArrayList<>();
        if ("Sequence".equals(post.path("type").asText())) post.path("processors").forEach(steps::add);
        else steps.add(post);
        List<Integer> prefix = new ArrayList<>(), suffix = new ArrayList<>();
        for (JsonNode step : steps) {
            String type = step.path("type").asText();
            switch (type) {
                case "ByteLevel" -> { } // only adjusts offsets
                case "TemplateProcessing" -> {
                    // A later template wraps what the earlier ones produced.
                    Template t = singleTemplate(step, plain, source);
                    prefix.addAll(0, t.prefix());
                    suffix.addAll(t.suffix());
                }
                default -> throw new LoadException(source + ": unsupported post_processor " + type
                        + " (supported: TemplateProcessing, ByteLevel, or a Sequence of them)");
            }
        }
        if (prefix.isEmpty() && suffix.isEmpty()) return plain;
        return new TemplatedTokenizer(plain, toInts(prefix), toInts(suffix));
    }

    private record Template(List<Integer> prefix, List<Integer> suffix) {}

    /** The "single" template: special tokens, then exactly one Sequence A, then special tokens. */
    private static Template singleTemplate(JsonNode processor, Tokenizer plain, String source) {
        JsonNode single = processor.path("single");
        if (!single.isArray()) throw new LoadException(source + ": post_processor TemplateProcessing has no \"single\" template list");
        List<Integer> prefix = new ArrayList<>(), suffix = new ArrayList<>();
        boolean seenA = false;
        for (JsonNode piece : single) {
            if (piece.has("Sequence")) {
                String which = piece.path("Sequence").path("id").asText();
                if (!"A".equals(which) || seenA)
                    throw new LoadException(source + ": post_processor TemplateProcessing \"single\" template " + single
                            + " is not supported (supported: special tokens around one Sequence A)");
                seenA = true;
            } else if (piece.has("SpecialToken")) {
                (seenA ? suffix : prefix).addAll(specialTokenIds(piece.path("SpecialToken").path("id").asText(), processor, plain, source));
            } else {
                throw new LoadException(source + ": post_processor TemplateProcessing piece " + piece + " is neither SpecialToken nor Sequence");
            }
        }
        if (!seenA) throw new LoadException(source + ": post_processor TemplateProcessing \"single\" template " + single + " has no Sequence A");
        return new Template(prefix, suffix);
    }

    /** A template's special token: its ids in the processor's "special_tokens" table, else its vocabulary id. */
    private static List<Integer> specialTokenIds(String name, JsonNode processor, Tokenizer plain, String source) {
        JsonNode entry = processor.path("special_tokens").path(name);
        List<Integer> ids = new ArrayList<>();
        if (entry.path("ids").isArray()) {
            for (JsonNode id : entry.path("ids")) {
                if (!id.canConvertToInt() || !id.isIntegralNumber())
                    throw new LoadException(source + ": post_processor special token '" + name + "' has a non-integer id " + id);
                ids.add(id.intValue());
            }
            return ids;
        }
        int id = plain.tokenId(name);
        if (id < 0) throw new LoadException(source + ": post_processor special token '" + name + "' is neither in special_tokens nor in the vocabulary");
        ids.add(id);
        return ids;
    }

    private static int[] toInts(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }

    private static boolean hasComponent(JsonNode node, String listKey, String type) {
        return findComponent(node, listKey, type) != null;
    }

    /** The component of this type: the node itself, or a member of its Sequence list. */
    private static JsonNode findComponent(JsonNode node, String listKey, String type) {
        if (type.equals(node.path("type").asText())) return node;
        for (JsonNode step : node.path(listKey)) if (type.equals(step.path("type").asText())) return step;
        return null;
    }

    private static Map<String, Integer> vocab(JsonNode model, String source) {
        JsonNode vocab = model.path("vocab");
        if (!vocab.isObject()) throw new LoadException(source + ": model.vocab is not a JSON object");
        Map<String, Integer> out = new HashMap<>(vocab.size() * 2);
        for (Map.Entry<String, JsonNode> e : vocab.properties()) {
            if (!e.getValue().canConvertToInt() || !e.getValue().isIntegralNumber())
                throw new LoadException(source + ": vocab id of '" + e.getKey() + "' is not an integer");
            out.put(e.getKey(), e.getValue().intValue());
        }
        return out;
    }

    /** Merges in rank order, stored either as "a b" strings or as [a, b] pairs. */
    private static List<String[]> merges(JsonNode model, String source) {
        JsonNode merges = model.path("merges");
        List<String[]> out = new ArrayList<>(merges.size());
        for (JsonNode m : merges) {
            if (m.isTextual()) {
                String s = m.textValue();
                int space = s.indexOf(' ', 1); // a token never starts with a plain space in byte-level vocabularies
                if (space < 0) throw new LoadException(source + ": merge \"" + s + "\" is not two tokens separated by a space");
                out.add(new String[] {s.substring(0, space), s.substring(space + 1)});
            } else if (m.isArray() && m.size() == 2 && m.get(0).isTextual() && m.get(1).isTextual()) {
                out.add(new String[] {m.get(0).textValue(), m.get(1).textValue()});
            } else {
                throw new LoadException(source + ": merge " + m + " is neither \"a b\" nor [a, b]");
            }
        }
        return out;
    }

    private static List<AddedToken> addedTokens(JsonNode list, String source) {
        List<AddedToken> out = new ArrayList<>();
        for (JsonNode t : list) {
            if (!t.path("id").canConvertToInt() || !t.path("content").isTextual())
                throw new LoadException(source + ": added token " + t + " needs an integer id and a content string");
            out.add(new AddedToken(t.path("id").intValue(), t.path("content").textValue(), t.path("special").asBoolean(false),
                    t.path("lstrip").asBoolean(false), t.path("rstrip").asBoolean(false)));
        }
        return out;
    }

    private static void requireEmpty(JsonNode model, String key, String source) {
        String value = textOrNull(model.get(key));
        if (value != null && !value.isEmpty()) throw new LoadException(source + ": BPE " + key + " '" + value + "' is not supported");
    }

    private static String textOrNull(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }
}
