package dev.gmsa.compress.pipeline;

import dev.gmsa.compress.data.QaExample;
import dev.gmsa.compress.train.KeftTraining;
import dev.gmsa.transformer.tokenizer.Tokenizer;

/**
 * How a question and its answer are written for the decoder, the same in training and evaluation:
 * [context or soft tokens] " Question: {question} Answer:" then " {answer}" EOS.
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

    /** A training example with the first gold answer as the target. */
    public KeftTraining.Example trainingExample(Tokenizer t, QaExample ex) {
        if (ex.answers().isEmpty()) throw new IllegalArgumentException("KEFT: question without an answer: " + ex.question());
        return new KeftTraining.Example(context(t, ex), question(t, ex.question()), answer(t, ex.answers().get(0)));
    }
}
