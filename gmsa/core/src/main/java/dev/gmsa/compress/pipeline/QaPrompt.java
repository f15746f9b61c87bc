package dev.gmsa.compress.pipeline;

import dev.gmsa.compress.data.QaExample;
import dev.gmsa.compress.train.KeftTraining;
import dev.gmsa.transformer.tokenizer.Tokenizer;

/**
 * How a question and its answer are written for the decoder, the same in KEFT, evaluation and
 * {@link GmsaSystem#ask}: [context or soft tokens] " Question: {question} Answer:" then " {answer}" EOS.
 */
public record QaPrompt(String questionPrefix, String answerPrefix) {
    public static QaPrompt defaults() {
        return new QaPrompt(" Question: ", " Answer:");
    }

    public int[] question(Tokenizer t, String question) {
        return t.encode(questionPrefix + question + answerPrefix);
    }

    public int[] answer(Tokenizer t, String answer) {
        return t.encode(" " + answer.strip());
    }

    /** The documents joined with spaces, as one context. */
    public int[] context(Tokenizer t, QaExample ex) {
        return t.encode(String.join(" ", ex.docs()));
    }

    /** A training example with the first gold answer as the target, everything in one tokenizer's ids. */
    public KeftTraining.Example trainingExample(Tokenizer t, QaExample ex) {
        return trainingExample(t, t, ex);
    }

    /**
     * A training example whose context is in contextTokenizer's ids (the encoder's, when a compressor reads it)
     * and whose question and answer are in the decoder tokenizer's ids.
     */
    public KeftTraining.Example trainingExample(Tokenizer contextTokenizer, Tokenizer decoderTokenizer, QaExample ex) {
        if (ex.answers().isEmpty()) throw new IllegalArgumentException("KEFT: question without an answer: " + ex.question());
        return new KeftTraining.Example(context(contextTokenizer, ex), question(decoderTokenizer, ex.question()),
                answer(decoderTokenizer, ex.answers().get(0)));
    }

    /**
     * A drill: examples that share one context (the same documents, as {@link dev.gmsa.compress.data.SyntheticMultiDocQa#drill}
     * makes them) as one example with a turn per question, so one forward scores every answer.
     */
    public KeftTraining.Example drillExample(Tokenizer contextTokenizer, Tokenizer decoderTokenizer, java.util.List<QaExample> sameContext) {
        if (sameContext.isEmpty()) throw new IllegalArgumentException("KEFT: an empty drill");
        java.util.List<KeftTraining.Turn> turns = new java.util.ArrayList<>();
        for (QaExample ex : sameContext) {
            if (!ex.docs().equals(sameContext.get(0).docs()))
                throw new IllegalArgumentException("KEFT: a drill's questions must share their documents: " + ex.question());
            if (ex.answers().isEmpty()) throw new IllegalArgumentException("KEFT: question without an answer: " + ex.question());
            turns.add(new KeftTraining.Turn(question(decoderTokenizer, ex.question()), answer(decoderTokenizer, ex.answers().get(0))));
        }
        return new KeftTraining.Example(context(contextTokenizer, sameContext.get(0)), turns);
    }
}
