package dev.gmsa.compress.data;

import java.util.List;
import java.util.Objects;

/**
 * One question-answering example: the documents to read (to be compressed), the question, and
 * the gold answers (any of them counts as correct; empty for an unanswerable question).
 */
public record QaExample(List<String> docs, String question, List<String> answers) {
    public QaExample {
        docs = List.copyOf(Objects.requireNonNull(docs, "docs"));
        Objects.requireNonNull(question, "question");
        answers = List.copyOf(Objects.requireNonNull(answers, "answers"));
    }
}
