import Testing
@testable import Calc

@Suite("Regex engine (anchored label regexes)")
struct RegexEngineTests {
    /// Every pattern is matched against the whole value, as Prometheus's `^(?s:re)$`.
    @Test(arguments: [
        // The config's own patterns.
        ("5..", "500", true), ("5..", "503", true), ("5..", "5000", false), ("5..", "50", false), ("5..", "404", false),
        ("2..|3..", "204", true), ("2..|3..", "302", true), ("2..|3..", "404", false), ("2..|3..", "2000", false),
        ("api|web", "api", true), ("api|web", "web", true), ("api|web", "apiweb", false), ("api|web", "ap", false),
        ("(GET|POST)", "GET", true), ("(GET|POST)", "POST", true), ("(GET|POST)", "PUT", false), ("(GET|POST)", "GETPOST", false),
        // Literals, dot, escapes.
        ("", "", true), ("", "a", false),
        ("a.c", "abc", true), ("a.c", "ac", false),
        ("a.c", "a\nc", true),                       // Prometheus's (?s): the dot matches a newline
        ("(?-s:a.c)", "a\nc", false),
        ("a\\.c", "a.c", true), ("a\\.c", "abc", false),
        ("\\x41\\x{263a}", "A☺", true), ("\\t", "\t", true), ("\\012", "\n", true),
        ("é+", "éé", true),                          // scalars, not bytes
        // Repetition.
        ("colou?r", "color", true), ("colou?r", "colour", true), ("colou?r", "colouur", false),
        ("[0-9]+", "123", true), ("[0-9]+", "", false), ("[0-9]+", "12a", false), ("[0-9]*", "", true),
        ("(ab)+", "ababab", true), ("(ab)+", "aba", false), ("(?:ab)*c", "c", true),
        ("a{2,3}", "a", false), ("a{2,3}", "aa", true), ("a{2,3}", "aaa", true), ("a{2,3}", "aaaa", false),
        ("a{2}", "aa", true), ("a{2,}", "aaaaa", true), ("a{2,}", "a", false), ("a{0}", "", true),
        ("x{", "x{", true), ("x{a}", "x{a}", true),  // not a repeat: a literal brace, as in RE2
        ("a*?", "aaa", true), ("a+?b", "aab", true), // lazy forms match the same values
        (".*", "", true), (".*", "anything at all", true), (".+", "", false),
        // Alternation and groups.
        ("a|", "", true), ("a|", "a", true), ("|b", "b", true),
        ("(a|b)(c|d)", "bd", true), ("(a|b)(c|d)", "ab", false),
        ("(?P<code>5)..", "599", true), ("(?<code>5)..", "599", true),
        // Classes.
        ("[^a]", "b", true), ("[^a]", "a", false), ("[^a]", "bb", false), ("[^a]", "\n", true),
        ("[a-cx]", "b", true), ("[a-cx]", "x", true), ("[a-cx]", "d", false),
        ("[-a]", "-", true), ("[a-]", "-", true), ("[]a]", "]", true), ("[\\]]", "]", true),
        ("[[:digit:]]{3}", "200", true), ("[[:^digit:]]", "x", true), ("[[:alpha:]_]+", "a_b", true),
        ("\\d{3}", "200", true), ("\\d", "x", false), ("\\D", "1", false), ("\\w+", "a_1", true),
        ("\\s", " ", true), ("\\S", " ", false), ("[\\d.]+", "0.25", true),
        // Case folding (ASCII).
        ("(?i)get", "GeT", true), ("(?i:g)et", "Get", true), ("(?i:g)et", "GET", false), ("(?i)[a-c]", "B", true),
        ("(?i)[^a]", "A", false),
        // Anchors inside the pattern.
        ("^api$", "api", true), ("a^b", "ab", false), ("a$b", "ab", false), ("\\Aapi\\z", "api", true),
        // Pathological for a backtracking engine; linear here.
        ("(a*)*b", String(repeating: "a", count: 40) + "c", false),
        ("(a|aa)*c", String(repeating: "a", count: 60), false),
    ])
    func matches(pattern: String, value: String, expected: Bool) throws {
        #expect(try LabelRegex(pattern).matches(value) == expected)
    }

    /// (pattern, offset of the error in the pattern, the start of the reason)
    @Test(arguments: [
        ("(", 0, "missing closing ')'"),
        ("(a|b", 0, "missing closing ')'"),
        (")", 0, "unexpected ')'"),
        ("a)|(b", 1, "unexpected ')'"),             // the pattern must stand on its own, as Prometheus checks
        ("[a", 0, "missing closing ']'"),
        ("*a", 0, "missing argument to repetition operator"),
        ("a|+", 2, "missing argument to repetition operator"),
        ("{2}", 0, "missing argument to repetition operator"),
        ("a**", 2, "bad repetition operator"),
        ("a{2}{3}", 4, "bad repetition operator"),
        ("a{3,2}", 1, "invalid repeat count"),
        ("a{1001}", 1, "bad repetition count"),
        ("\\", 0, "trailing backslash"),
        ("\\1", 0, "backreferences"),
        ("\\b", 0, "word boundaries"),
        ("\\pL", 0, "Unicode classes"),
        ("\\q", 0, "invalid escape sequence"),
        ("\\x4", 0, "invalid escape sequence"),
        ("[z-a]", 1, "invalid character class range"),
        ("[a-b-c]", 4, "invalid character class range"),
        ("[[:foo:]]", 1, "invalid character class range: unknown class"),
        ("(?m)^a", 2, "unsupported regex flag 'm'"),
        ("(?x)", 0, "invalid or unsupported Perl syntax"),
        ("(?)", 0, "invalid or unsupported Perl syntax"),
        ("(?P<>a)", 0, "invalid named capture"),
        ("((a{1000}){1000})", 0, "regex too large"),
    ])
    func rejects(pattern: String, offset: Int, reason: String) {
        do {
            _ = try LabelRegex(pattern)
            Issue.record("\(pattern) compiled")
        } catch {
            #expect(error.offset == offset, "\(error)")
            #expect(error.reason.hasPrefix(reason), "\(error)")
        }
    }

    @Test func errorsReadWell() {
        #expect(RegexSyntaxError(offset: 1, reason: "missing closing ')'").description
                == "missing closing ')' at offset 1 of the regex")
    }
}
