package dev.gmsa.compress.data;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Short English stories made from templates with random names, places, things and numbers, so the
 * embedded default model has unlimited training text and held-out text it has never seen, with no
 * download. The random slots are what a compressor has to carry: a decoder cannot guess them.
 */
public final class SyntheticStories {
    private static final List<String> NAMES = List.of(
            "Mia", "Tom", "Lily", "Ben", "Anna", "Max", "Zoe", "Sam", "Lucy", "Leo", "Ella", "Jack",
            "Nora", "Finn", "Ruby", "Owen", "Ivy", "Noah", "Maya", "Eli");
    private static final List<String> PLACES = List.of(
            "the park", "the forest", "the beach", "the old mill", "the garden", "the river", "the market",
            "the hill", "the library", "the farm", "the lake", "the bridge", "the castle", "the school");
    private static final List<String> THINGS = List.of(
            "kite", "ball", "book", "cat", "dog", "hat", "box", "key", "boat", "cake", "shell", "map",
            "lamp", "bell", "drum", "cup", "bird", "coin", "rope", "flag");
    private static final List<String> COLORS = List.of(
            "red", "blue", "green", "yellow", "small", "big", "old", "shiny", "soft", "tiny", "brown", "white");
    private static final List<String> FEELINGS = List.of(
            "happy", "sad", "tired", "proud", "scared", "calm", "surprised", "angry", "excited", "sleepy");
    private static final List<String> VERBS = List.of(
            "found", "lost", "painted", "carried", "hid", "washed", "fixed", "dropped", "saw", "opened");
    private static final List<String> NUMBERS = List.of(
            "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twelve");
    private static final List<String> DAYS = List.of(
            "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday");

    private SyntheticStories() {}

    /** One sentence from a random template. */
    public static String sentence(RandomGenerator rng) {
        String name = pick(NAMES, rng), other = pick(NAMES, rng), place = pick(PLACES, rng);
        String thing = pick(THINGS, rng), color = pick(COLORS, rng), feeling = pick(FEELINGS, rng);
        String verb = pick(VERBS, rng), number = pick(NUMBERS, rng), day = pick(DAYS, rng);
        return switch (rng.nextInt(8)) {
            case 0 -> name + " " + verb + " a " + color + " " + thing + " at " + place + ".";
            case 1 -> "On " + day + ", " + name + " went to " + place + " with " + other + ".";
            case 2 -> name + " was " + feeling + " because " + other + " " + verb + " the " + thing + ".";
            case 3 -> "There were " + number + " " + thing + "s near " + place + ".";
            case 4 -> name + " gave " + other + " a " + color + " " + thing + ".";
            case 5 -> "The " + thing + " was " + color + ", and " + name + " felt " + feeling + ".";
            case 6 -> other + " asked " + name + " to bring " + number + " " + thing + "s to " + place + ".";
            default -> "At " + place + ", " + name + " and " + other + " " + verb + " a " + thing + ".";
        };
    }

    /** A story of {@code sentences} sentences separated by spaces. */
    public static String story(RandomGenerator rng, int sentences) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < sentences; i++) {
            if (i > 0) sb.append(' ');
            sb.append(sentence(rng));
        }
        return sb.toString();
    }

    private static String pick(List<String> options, RandomGenerator rng) {
        return options.get(rng.nextInt(options.size()));
    }
}
