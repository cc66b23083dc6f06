import Foundation

/// Independent readers of what dialogd writes out: Python's `html.parser` and `csv` (a browser's
/// tokenisation and a spreadsheet's CSV reading, not our code), `promtool` when installed, and
/// an exposition-format lexer written here from the format's specification.
enum OutputOracles {
    static let python: String? = ["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }
        ?? which("python3")
    static let promtool: String? = which("promtool")

    static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Tokenises an HTML file as a browser does; prints JSON: every start tag with its
    /// attribute names and values, the text nodes, and the CSP meta tag's content.
    static let htmlScript = """
        import html.parser, json, sys
        class P(html.parser.HTMLParser):
            def __init__(self):
                super().__init__(convert_charrefs=True)
                self.tags, self.data, self.csp = [], [], []
            def handle_starttag(self, tag, attrs):
                self.tags.append([tag, [[k, v or ""] for k, v in attrs]])
                d = dict(attrs)
                if tag == "meta" and (d.get("http-equiv") or "").lower() == "content-security-policy":
                    self.csp.append(d.get("content") or "")
            def handle_startendtag(self, tag, attrs):
                self.handle_starttag(tag, attrs)
            def handle_data(self, data):
                self.data.append(data)
        p = P()
        p.feed(open(sys.argv[1], encoding="utf-8").read())
        p.close()
        print(json.dumps({"tags": p.tags, "data": p.data, "csp": p.csp}))
        """

    /// Reads a CSV file with Python's `csv` module; prints JSON: the rows as lists of cells.
    static let csvScript = """
        import csv, json, sys
        with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
            print(json.dumps(list(csv.reader(f))))
        """

    struct HTML: Decodable {
        var tags: [[Tag]]
        var data: [String]
        var csp: [String]
        enum Tag: Decodable {
            case name(String), attributes([[String]])
            init(from decoder: Decoder) throws {
                let c = try decoder.singleValueContainer()
                if let s = try? c.decode(String.self) { self = .name(s) } else { self = .attributes(try c.decode([[String]].self)) }
            }
        }
        /// (tag, sorted attribute names) per start tag.
        var shapes: [String] {
            tags.map { pair in
                var name = "", attributes: [String] = []
                for part in pair {
                    switch part {
                    case .name(let n): name = n
                    case .attributes(let a): attributes = a.map { $0.first ?? "" }.sorted()
                    }
                }
                return name + "(" + attributes.joined(separator: " ") + ")"
            }
        }
        var attributeValues: [String] {
            tags.flatMap { $0.flatMap { part -> [String] in if case .attributes(let a) = part { a.map { $0.last ?? "" } } else { [] } } }
        }
    }

    static func run(_ script: String, on file: String) throws -> Data {
        guard let python else { throw ClientError.failed("python3 is not installed") }
        let dir = TestDirectory("oracle")
        dir.write("script.py", script)
        let status = try spawnAndWait([python, dir.sub("script.py"), file], environment: nil, stdout: dir.sub("out"), stderr: dir.sub("err"))
        guard status == 0 else { throw ClientError.failed("python3 exited \(status): \(dir.read("err") ?? "")") }
        return FileManager.default.contents(atPath: dir.sub("out")) ?? Data()
    }

    static func html(_ file: String) throws -> HTML { try JSONDecoder().decode(HTML.self, from: try run(htmlScript, on: file)) }
    static func csv(_ file: String) throws -> [[String]] { try JSONDecoder().decode([[String]].self, from: try run(csvScript, on: file)) }

    /// `promtool check metrics` on the text; nil when promtool is not installed, else its
    /// exit status and output. It lints (help texts, units) besides parsing: callers look for
    /// parse errors in the output.
    static func promtool(_ text: String) throws -> (status: Int32, output: String)? {
        guard let promtool else { return nil }
        let dir = TestDirectory("promtool")
        dir.write("metrics.txt", text)
        let status = try spawnAndWait([promtool, "check", "metrics"], environment: nil, stdin: dir.sub("metrics.txt"), stdout: dir.sub("out"), stderr: dir.sub("err"))
        return (status, (dir.read("out") ?? "") + (dir.read("err") ?? ""))
    }
}

/// The Prometheus text exposition format 0.0.4, lexed from its specification: `# HELP`,
/// `# TYPE` and sample lines `name{label="value",…} number`, where a label value's only escapes
/// are `\\`, `\"` and `\n`. Returns the problems found and the label values read back.
struct ExpositionCheck {
    var problems: [String] = []
    var labelValues: [String: [String]] = [:]

    init(_ text: String) {
        guard text.hasSuffix("\n") else { problems.append("the text does not end with a line feed"); return }
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().enumerated() {
            let bytes = Array(line.utf8)
            if bytes.first == UInt8(ascii: "#") {
                let words = line.split(separator: " ", maxSplits: 3)
                if words.count >= 3, words[1] == "HELP" || words[1] == "TYPE", Self.isName(Array(words[2].utf8)) { continue }
                problems.append("line \(n + 1): a comment that is not HELP/TYPE: \(line)")
                continue
            }
            if let problem = sample(bytes) { problems.append("line \(n + 1): \(problem): \(line.debugDescription)") }
        }
    }

    static func isName(_ b: [UInt8]) -> Bool {
        guard let first = b.first, first == 0x5F || first == 0x3A || (0x41...0x5A).contains(first | 0) || (0x61...0x7A).contains(first) else { return false }
        return b.allSatisfy { $0 == 0x5F || $0 == 0x3A || (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }
    }

    private mutating func sample(_ b: [UInt8]) -> String? {
        var i = 0
        while i < b.count, b[i] != UInt8(ascii: "{"), b[i] != 0x20 { i += 1 }
        guard Self.isName(Array(b[0..<i])) else { return "a metric name" }
        if i < b.count, b[i] == UInt8(ascii: "{") {
            i += 1
            while true {
                let start = i
                while i < b.count, b[i] != UInt8(ascii: "=") { i += 1 }
                let name = String(decoding: b[start..<i], as: UTF8.self)
                guard i < b.count, Self.isName(Array(b[start..<i])) else { return "a label name" }
                i += 1
                guard i < b.count, b[i] == 0x22 else { return "a quote opening the value of \(name)" }
                i += 1
                var value: [UInt8] = []
                while true {
                    guard i < b.count else { return "a quote closing the value of \(name)" }
                    let c = b[i]
                    if c == 0x22 { i += 1; break }
                    if c == 0x5C {
                        guard i + 1 < b.count else { return "an escape in \(name)" }
                        switch b[i + 1] {
                        case 0x5C: value.append(0x5C)
                        case 0x22: value.append(0x22)
                        case UInt8(ascii: "n"): value.append(0x0A)
                        default: return "only \\\\, \\\" or \\n escapes in the value of \(name)"
                        }
                        i += 2
                        continue
                    }
                    value.append(c)
                    i += 1
                }
                guard let decoded = String(validating: value, as: UTF8.self) else { return "UTF-8 in the value of \(name)" }
                labelValues[name, default: []].append(decoded)
                guard i < b.count else { return "the end of the label set" }
                if b[i] == UInt8(ascii: ",") { i += 1; if i < b.count, b[i] == UInt8(ascii: "}") { i += 1; break }; continue }
                if b[i] == UInt8(ascii: "}") { i += 1; break }
                return "a ',' or '}' after the value of \(name)"
            }
        }
        guard i < b.count, b[i] == 0x20 else { return "a space before the value" }
        let rest = String(decoding: b[(i + 1)...], as: UTF8.self).split(separator: " ")
        guard rest.count == 1 || rest.count == 2, Double(rest[0]) != nil || ["NaN", "+Inf", "-Inf"].contains(rest[0]) else { return "a number" }
        if rest.count == 2, Int64(rest[1]) == nil { return "a timestamp" }
        return nil
    }
}
