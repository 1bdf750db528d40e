package org.tinyice.adapters.persistence.config;

import jakarta.json.JsonException;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParser.Event;
import jakarta.json.stream.JsonParserFactory;
import jakarta.json.stream.JsonParsingException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON document read with JSON-P's streaming parser into values that remember their line, so that a
 * configuration mistake reads "tinyice.json line 12: ..." rather than a stack trace. The streaming
 * parser, unlike JSON-P's object model, lets duplicate keys be seen and refused. Its own messages name
 * tokens ("Invalid token=STRING ... Expected tokens are: [COMMA]"); the problem is told again in words
 * a person editing the file knows, from what the parser was reading and the text where it stopped.
 */
final class JsonTree {

    sealed interface Value permits Obj, Arr, Str, Num, Bool, Null {
        int line();
    }

    record Member(String key, int line, Value value) { }

    record Obj(Map<String, Member> members, int line) implements Value { }

    record Arr(List<Value> items, int line) implements Value { }

    record Str(String value, int line) implements Value { }

    record Num(BigDecimal value, int line) implements Value { }

    record Bool(boolean value, int line) implements Value { }

    record Null(int line) implements Value { }

    /** A syntax error at a line. */
    static final class SyntaxException extends Exception {
        final int line;

        SyntaxException(int line, String message) {
            super(message);
            this.line = line;
        }
    }

    /** What the parser was about to read when it stopped: the words for the problem depend on it. */
    private enum Expecting { VALUE, MEMBER_VALUE, FIRST_KEY, COMMA_OR_OBJECT_END, FIRST_ITEM, COMMA_OR_ARRAY_END, END }

    private static final JsonParserFactory PARSERS = JsonProvider.provider().createParserFactory(Map.of());

    private final String text;
    private final JsonParser parser;
    private Expecting expecting = Expecting.VALUE;
    private long readTo;

    private JsonTree(String text, JsonParser parser) {
        this.text = text;
        this.parser = parser;
    }

    static Value parse(String text) throws SyntaxException {
        try (JsonParser parser = PARSERS.createParser(new StringReader(text))) {
            JsonTree tree = new JsonTree(text, parser);
            try {
                Value root = tree.value(tree.next());
                tree.expecting = Expecting.END;
                if (parser.hasNext()) {
                    throw new SyntaxException(tree.line(), tree.problem());
                }
                return root;
            } catch (JsonParsingException e) {
                throw new SyntaxException(Math.max(1, (int) e.getLocation().getLineNumber()), tree.problem());
            } catch (JsonException e) {
                throw new SyntaxException(tree.line(), e.getMessage());
            }
        }
    }

    private Event next() throws SyntaxException {
        if (!parser.hasNext()) {
            throw new SyntaxException(line(), "unexpected end of file");
        }
        Event event = parser.next();
        readTo = parser.getLocation().getStreamOffset();
        return event;
    }

    /** The line the parser stands on; tokens never span lines, so it is also the line of the last one. */
    private int line() {
        return Math.max(1, (int) parser.getLocation().getLineNumber());
    }

    private Value value(Event event) throws SyntaxException {
        int line = line();
        return switch (event) {
            case START_OBJECT -> object(line);
            case START_ARRAY -> array(line);
            case VALUE_STRING -> new Str(parser.getString(), line);
            case VALUE_NUMBER -> new Num(parser.getBigDecimal(), line);
            case VALUE_TRUE -> new Bool(true, line);
            case VALUE_FALSE -> new Bool(false, line);
            case VALUE_NULL -> new Null(line);
            default -> throw new SyntaxException(line, "unexpected " + event);
        };
    }

    private Obj object(int line) throws SyntaxException {
        Map<String, Member> members = new LinkedHashMap<>();
        expecting = Expecting.FIRST_KEY;
        for (Event event = next(); event != Event.END_OBJECT; event = next()) {
            String key = parser.getString();
            int keyLine = line();
            expecting = Expecting.MEMBER_VALUE;
            Value value = value(next());
            if (members.put(key, new Member(key, keyLine, value)) != null) {
                throw new SyntaxException(keyLine, "duplicate key \"" + key + "\"");
            }
            expecting = Expecting.COMMA_OR_OBJECT_END;
        }
        return new Obj(members, line);
    }

    private Arr array(int line) throws SyntaxException {
        List<Value> items = new ArrayList<>();
        expecting = Expecting.FIRST_ITEM;
        for (Event event = next(); event != Event.END_ARRAY; event = next()) {
            expecting = Expecting.VALUE;
            items.add(value(event));
            expecting = Expecting.COMMA_OR_ARRAY_END;
        }
        return new Arr(items, line);
    }

    /** The problem with the text after the last token read, in the file editor's words. */
    private String problem() {
        int at = skipSpace((int) Math.max(0, readTo));
        if (at >= text.length()) {
            return "unexpected end of file";
        }
        char c = text.charAt(at);
        return switch (expecting) {
            case END -> "unexpected text after the end of the JSON value";
            case VALUE, FIRST_ITEM -> valueProblem(at);
            case FIRST_KEY -> keyProblem(at);
            case MEMBER_VALUE -> c == ':' ? valueProblem(skipSpace(at + 1)) : "expected ':' after a key";
            case COMMA_OR_OBJECT_END -> c == ',' ? keyProblem(skipSpace(at + 1)) : "expected ',' or '}' after a value";
            case COMMA_OR_ARRAY_END -> c == ',' ? valueProblem(skipSpace(at + 1)) : "expected ',' or ']' after a value";
        };
    }

    private String keyProblem(int at) {
        if (at >= text.length()) {
            return "unexpected end of file";
        }
        return text.charAt(at) == '"' ? stringProblem() : "expected a quoted key";
    }

    private String valueProblem(int at) {
        if (at >= text.length()) {
            return "unexpected end of file";
        }
        char c = text.charAt(at);
        if (c == '"') {
            return stringProblem();
        }
        if (c == 't' || c == 'f' || c == 'n') {
            return "unexpected word (strings need double quotes)";
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            return "bad number (a number is written like 12, -3 or 1.5)";
        }
        return "unexpected character '" + c + "'";
    }

    private static String stringProblem() {
        return "bad string: a line break, a control character or a bad \\ escape (missing closing quote?)";
    }

    private int skipSpace(int at) {
        while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) {
            at++;
        }
        return at;
    }
}
