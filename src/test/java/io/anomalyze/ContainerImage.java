package io.anomalyze;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The instructions of the project's {@code Dockerfile}, read the way an image builder reads them
 * (comments dropped, backslash continuations joined), so tests can check what the image will run.
 *
 * @param instructions every instruction in file order
 */
public record ContainerImage(List<Instruction> instructions) {

    /** One instruction: its keyword in upper case and the rest of the line. */
    public record Instruction(String keyword, String arguments) {
    }

    public static ContainerImage read() {
        try {
            return parse(Files.readString(Path.of("Dockerfile")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ContainerImage parse(String text) {
        List<Instruction> out = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String line : text.split("\r?\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || trimmed.isEmpty() && pending.isEmpty()) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                pending.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            pending.append(trimmed);
            String whole = pending.toString().strip();
            pending.setLength(0);
            int space = whole.indexOf(' ');
            out.add(new Instruction(whole.substring(0, space).toUpperCase(Locale.ROOT), whole.substring(space + 1).strip()));
        }
        return new ContainerImage(List.copyOf(out));
    }

    /** The arguments of every instruction with this keyword, in order. */
    public List<String> all(String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::arguments).toList();
    }

    /** The arguments of the last instruction with this keyword: the one that takes effect. */
    public String last(String keyword) {
        List<String> found = all(keyword);
        if (found.isEmpty()) {
            throw new AssertionError("the Dockerfile has no " + keyword);
        }
        return found.get(found.size() - 1);
    }

    /** The arguments of an instruction in exec form (a JSON array of strings); fails for the shell form. */
    public static List<String> execForm(String arguments) {
        JsonNode array;
        try {
            array = Json.MAPPER.readTree(arguments);
        } catch (IOException e) {
            throw new AssertionError("not in exec form: " + arguments, e);
        }
        if (array == null || !array.isArray()) {
            throw new AssertionError("not in exec form: " + arguments);
        }
        List<String> words = new ArrayList<>();
        array.forEach(w -> words.add(w.asText()));
        return words;
    }

    /** The command of the HEALTHCHECK, after its options. */
    public List<String> healthCommand() {
        String check = last("HEALTHCHECK");
        int cmd = check.indexOf("CMD ");
        if (cmd < 0) {
            throw new AssertionError("HEALTHCHECK without CMD: " + check);
        }
        return execForm(check.substring(cmd + 4).strip());
    }

    /** The file of the build context that a COPY (without --from) puts at {@code target} in the image. */
    public Path sourceOf(String target) {
        for (String copy : all("COPY")) {
            String[] words = copy.split("\\s+");
            if (words.length == 2 && words[1].equals(target)) {
                return Path.of(words[0]);
            }
        }
        throw new AssertionError("nothing is copied from the build context to " + target);
    }

    /** The instructions after the last FROM: those that make the image that runs. */
    public ContainerImage finalStage() {
        int from = 0;
        for (int i = 0; i < instructions.size(); i++) {
            if (instructions.get(i).keyword().equals("FROM")) {
                from = i;
            }
        }
        return new ContainerImage(instructions.subList(from, instructions.size()));
    }

    /** The value an ENV instruction of the final stage gives {@code name}, or null. */
    public String env(String name) {
        String value = null;
        for (String env : finalStage().all("ENV")) {
            for (String pair : env.split("\\s+")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).equals(name)) {
                    value = pair.substring(eq + 1);
                }
            }
        }
        return value;
    }
}
