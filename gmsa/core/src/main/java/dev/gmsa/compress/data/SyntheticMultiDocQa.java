package dev.gmsa.compress.data;

import dev.gmsa.compress.metrics.SquadNormalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * A multi-document QA set made on the spot, shaped like NaturalQuestions in "Lost in the Middle"
 * (one gold document among retrieved distractors), so QA training and evaluation need no download.
 *
 * <p>Each example has {@code documents} short documents of filler sentences
 * ({@link SyntheticStories#sentence}) with one fact sentence each. The gold document's fact
 * answers the question; every distractor carries a fact of the same template about a different
 * subject (the question does not apply to it) with a different answer, and no distractor contains
 * the answer anywhere (checked after SQuAD normalisation, as a substring, so even the lenient
 * Accuracy metric cannot be satisfied by copying from a distractor). Templates:
 * <ul>
 *   <li>WHERE: "Hugo keeps the red lantern in the attic." / "Where does Hugo keep the red lantern?" -> "the attic"</li>
 *   <li>WHO: "The red lantern in the attic belongs to Hugo." / "Who owns the red lantern in the attic?" -> "Hugo"</li>
 *   <li>WHAT: "Hugo put a red lantern under the sofa." / "What did Hugo put under the sofa?" -> "red lantern"</li>
 *   <li>HOW_MANY: "Hugo has fifteen lanterns in the attic." / "How many lanterns does Hugo have in the attic?" -> "fifteen"</li>
 * </ul>
 * Generation is a pure function of the seed and settings.
 */
public final class SyntheticMultiDocQa {
    private static final List<String> NAMES = List.of(
            "Hugo", "Clara", "Felix", "Iris", "Oscar", "Greta", "Milo", "Hazel", "Jonas", "Otto", "Luna", "Arthur",
            "Stella", "Victor", "Rosa", "Edgar");
    private static final List<String> COLORS = List.of(
            "red", "blue", "green", "yellow", "purple", "orange", "silver", "golden", "striped", "wooden");
    private static final List<String> THINGS = List.of(
            "umbrella", "lantern", "suitcase", "violin", "telescope", "teapot", "scarf", "compass", "notebook", "clock",
            "basket", "mirror");
    private static final List<String> PLACES = List.of(
            "the attic", "the garage", "the cellar", "the kitchen", "the tool shed", "the basement", "the hallway",
            "the pantry", "the closet", "the barn", "the workshop", "the greenhouse");
    private static final List<String> FURNITURE = List.of("bed", "table", "stairs", "sofa", "desk", "sink", "piano", "wardrobe");
    private static final List<String> NUMBERS = List.of(
            "eleven", "thirteen", "fifteen", "twenty", "thirty", "forty", "fifty", "sixty", "eighty", "ninety");
    private static final int MAX_TRIES = 1000;

    /** The question templates. */
    public enum QuestionKind { WHERE, WHO, WHAT, HOW_MANY }

    /**
     * @param documents       documents per example (1 gold + documents-1 distractors)
     * @param fillerSentences filler sentences per document besides its fact
     * @param goldPosition    index of the gold document, or empty for a random position per example
     * @param distractorFacts whether every distractor carries a competing fact of the question's template (else the
     *                        distractors are filler alone, and the gold fact is the one fact in the context)
     */
    public record Settings(int documents, int fillerSentences, OptionalInt goldPosition, boolean distractorFacts) {
        public Settings {
            if (documents < 1) throw new IllegalArgumentException("need at least 1 document per example, got " + documents);
            if (fillerSentences < 0) throw new IllegalArgumentException("filler sentences must be >= 0, got " + fillerSentences);
            if (goldPosition.isPresent() && (goldPosition.getAsInt() < 0 || goldPosition.getAsInt() >= documents)) {
                throw new IllegalArgumentException("gold position " + goldPosition.getAsInt() + " outside 0.." + (documents - 1));
            }
        }

        /** 5 documents of 3 filler sentences and a fact, gold at a random position. */
        public static Settings defaults() {
            return new Settings(5, 3, OptionalInt.empty(), true);
        }

        public Settings withDocuments(int n) {
            return new Settings(n, fillerSentences, goldPosition, distractorFacts);
        }

        public Settings withFillerSentences(int n) {
            return new Settings(documents, n, goldPosition, distractorFacts);
        }

        public Settings withGoldPosition(int index) {
            return new Settings(documents, fillerSentences, OptionalInt.of(index), distractorFacts);
        }

        public Settings withDistractorFacts(boolean on) {
            return new Settings(documents, fillerSentences, goldPosition, on);
        }
    }

    /** A generated example with what a test or an analysis needs to know about it. */
    public record Example(QaExample qa, int goldIndex, QuestionKind kind) {}

    /** The random slots a fact is made of. */
    private record Slots(String name, String color, String thing, String place, String furniture, String number) {
        static Slots draw(RandomGenerator rng) {
            return new Slots(pick(NAMES, rng), pick(COLORS, rng), pick(THINGS, rng), pick(PLACES, rng),
                    pick(FURNITURE, rng), pick(NUMBERS, rng));
        }
    }

    private SyntheticMultiDocQa() {}

    /** Where a document's sentences besides its fact come from. */
    @FunctionalInterface
    public interface Filler {
        List<String> sentences(RandomGenerator rng);
    }

    /** Generated filler: {@code n} sentences of {@link SyntheticStories}. */
    public static Filler syntheticFiller(int n) {
        return rng -> {
            List<String> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) out.add(SyntheticStories.sentence(rng));
            return out;
        };
    }

    public static List<Example> generate(long seed, int count, Settings settings) {
        return generate(seed, count, settings, syntheticFiller(settings.fillerSentences()));
    }

    /** Examples whose documents are {@code filler}'s sentences (e.g. real-text passages) with one fact each. */
    public static List<Example> generate(long seed, int count, Settings settings, Filler filler) {
        SplittableRandom root = new SplittableRandom(seed);
        List<Example> examples = new ArrayList<>(count);
        for (int i = 0; i < count; i++) examples.add(example(root.split(), settings, filler));
        return examples;
    }

    /** The examples without the bookkeeping, ready for {@link JsonlWriter#writeQa}. */
    public static List<QaExample> generateQa(long seed, int count, Settings settings) {
        return generate(seed, count, settings).stream().map(Example::qa).toList();
    }

    /**
     * A reading drill: {@code documents} documents with one fact each (all of one template, every fact about a
     * different subject and answer) and one question per fact, in random order, all sharing the same documents. Each question
     * is answered by exactly one document, so one context teaches as many look-ups as it has documents.
     */
    public static List<QaExample> drill(long seed, int documents, Filler filler) {
        if (documents < 1) throw new IllegalArgumentException("a drill needs at least 1 document, got " + documents);
        SplittableRandom rng = new SplittableRandom(seed);
        // answers must differ, so a kind takes part only if it has as many answers as there are documents
        List<QuestionKind> kinds = java.util.Arrays.stream(QuestionKind.values()).filter(k -> distinctAnswers(k) >= documents).toList();
        if (kinds.isEmpty()) throw new IllegalArgumentException("a drill of " + documents + " documents needs more than " + distinctAnswers(QuestionKind.WHAT) + " distinct answers");
        QuestionKind kind = kinds.get(rng.nextInt(kinds.size()));
        List<Slots> facts = new ArrayList<>(documents);
        java.util.Set<String> questions = new java.util.HashSet<>(), answers = new java.util.HashSet<>();
        for (int tries = 0; facts.size() < documents; tries++) {
            if (tries > MAX_TRIES * documents) throw new IllegalStateException("no " + documents + " different " + kind + " questions in " + tries + " tries");
            Slots s = Slots.draw(rng);
            // distinct answers too, so no document's fact also answers another document's question
            if (!questions.contains(question(kind, s)) && answers.add(answer(kind, s))) {
                questions.add(question(kind, s));
                facts.add(s);
            }
        }
        List<String> docs = new ArrayList<>(documents);
        for (Slots s : facts) docs.add(document(fact(kind, s), filler, rng));
        List<QaExample> out = new ArrayList<>(documents);
        for (Slots s : facts) out.add(new QaExample(docs, question(kind, s), List.of(answer(kind, s))));
        for (int i = out.size() - 1; i > 0; i--) java.util.Collections.swap(out, i, rng.nextInt(i + 1));
        return out;
    }

    /** How many different answers a question kind has. */
    static int distinctAnswers(QuestionKind kind) {
        return switch (kind) {
            case WHERE -> PLACES.size();
            case WHO -> NAMES.size();
            case WHAT -> COLORS.size() * THINGS.size();
            case HOW_MANY -> NUMBERS.size();
        };
    }

    private static Example example(SplittableRandom rng, Settings settings, Filler filler) {
        QuestionKind kind = QuestionKind.values()[rng.nextInt(QuestionKind.values().length)];
        Slots gold = Slots.draw(rng);
        String answer = answer(kind, gold);
        int goldIndex = settings.goldPosition().orElseGet(() -> rng.nextInt(settings.documents()));
        List<String> documents = new ArrayList<>(settings.documents());
        for (int d = 0; d < settings.documents(); d++) {
            documents.add(d == goldIndex
                    ? document(fact(kind, gold), filler, rng)
                    : settings.distractorFacts() ? distractor(kind, gold, answer, filler, rng) : plainDistractor(answer, filler, rng));
        }
        return new Example(new QaExample(documents, question(kind, gold), List.of(answer)), goldIndex, kind);
    }

    private static String fact(QuestionKind kind, Slots s) {
        return switch (kind) {
            case WHERE -> s.name + " keeps the " + s.color + " " + s.thing + " in " + s.place + ".";
            case WHO -> "The " + s.color + " " + s.thing + " in " + s.place + " belongs to " + s.name + ".";
            case WHAT -> s.name + " put " + indefiniteArticle(s.color) + " " + s.color + " " + s.thing + " under the " + s.furniture + ".";
            case HOW_MANY -> s.name + " has " + s.number + " " + s.thing + "s in " + s.place + ".";
        };
    }

    private static String question(QuestionKind kind, Slots s) {
        return switch (kind) {
            case WHERE -> "Where does " + s.name + " keep the " + s.color + " " + s.thing + "?";
            case WHO -> "Who owns the " + s.color + " " + s.thing + " in " + s.place + "?";
            case WHAT -> "What did " + s.name + " put under the " + s.furniture + "?";
            case HOW_MANY -> "How many " + s.thing + "s does " + s.name + " have in " + s.place + "?";
        };
    }

    private static String answer(QuestionKind kind, Slots s) {
        return switch (kind) {
            case WHERE -> s.place;
            case WHO -> s.name;
            case WHAT -> s.color + " " + s.thing;
            case HOW_MANY -> s.number;
        };
    }

    /** A document with a fact of the same template about another subject, free of the gold answer. */
    private static String distractor(QuestionKind kind, Slots gold, String goldAnswer, Filler filler, RandomGenerator rng) {
        String normalizedAnswer = SquadNormalizer.normalize(goldAnswer);
        for (int attempt = 0; attempt < MAX_TRIES; attempt++) {
            Slots other = Slots.draw(rng);
            // a different subject (so the question does not apply) and a different answer
            if (question(kind, other).equals(question(kind, gold)) || answer(kind, other).equals(goldAnswer)) continue;
            String document = document(fact(kind, other), filler, rng);
            if (!SquadNormalizer.normalize(document).contains(normalizedAnswer)) return document;
        }
        throw new IllegalStateException("no distractor free of the answer \"" + goldAnswer + "\" in " + MAX_TRIES + " tries");
    }

    /** A document of filler alone, free of the gold answer. */
    private static String plainDistractor(String goldAnswer, Filler filler, RandomGenerator rng) {
        String normalizedAnswer = SquadNormalizer.normalize(goldAnswer);
        for (int attempt = 0; attempt < MAX_TRIES; attempt++) {
            String document = String.join(" ", filler.sentences(rng));
            if (!SquadNormalizer.normalize(document).contains(normalizedAnswer)) return document;
        }
        throw new IllegalStateException("no filler free of the answer \"" + goldAnswer + "\" in " + MAX_TRIES + " tries");
    }

    /** Filler sentences with the fact at a random position among them. */
    private static String document(String fact, Filler filler, RandomGenerator rng) {
        List<String> sentences = new ArrayList<>(filler.sentences(rng));
        sentences.add(rng.nextInt(sentences.size() + 1), fact);
        return String.join(" ", sentences);
    }

    private static String indefiniteArticle(String word) {
        return "aeiou".indexOf(word.charAt(0)) >= 0 ? "an" : "a";
    }

    private static String pick(List<String> options, RandomGenerator rng) {
        return options.get(rng.nextInt(options.size()));
    }
}
