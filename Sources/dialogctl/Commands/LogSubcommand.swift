#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import DialogCore
import Foundation

/// `log`: an employee logs one conversation — by flags, or by answering prompts on a terminal
/// (with the classifier's suggestion when the daemon is reachable). The record is checked
/// with the daemon's own parser before anything is written, then dropped via `tmp/` into `new/`.
struct LogSubcommand: DirectSubcommand {
    static let name = "log"
    static let abstract = "Log one customer conversation into the spool (flags, or prompts on a terminal)."
    static let usage = "dialogctl log [--employee <name>] [--channel <name>] [--department <name>] [--outcome <name>] [--duration <time>] [--value <money>] [--text <text>] [… | --interactive] [--spool <dir>]"
    static let options = """
          --employee <name>       Who talked (default: $SUDO_USER, else $USER, else the Unix user name).
          --date <time>           When: 2026-11-28 14:05 (records.timezone), RFC 3339, … (default: now).
          --channel <name>        email, phone, chat, twitter, xing, … (default: email)
          --customer <name>       The customer or their handle.
          --department <name>     sales, marketing, service, product (empty: the daemon classifies).
          --outcome <name>        won, lead, resolved, idea, … (empty: the daemon classifies).
          --duration <time>       Your time: 25m, 1h30m, 90 (minutes) (empty: the channel's default).
          --value <money>         Money gained or saved: 1.200,00 €, 1200 EUR (empty: the outcome's default).
          --satisfaction <1-5>    The customer's rating.
          --sentiment <word>      positive, neutral or negative.
          --response-time <time>  Time to the first answer.
          --subject <text>        One line.
          --text <text>           What was said and agreed.
          --tags <list>           Comma-separated.
          --id <text>             Your system's id for it (logging it twice is then harmless).
          --interactive           Ask on standard input for what the flags did not give: channel,
                                  text, department, outcome, time and value (automatic on a
                                  terminal when no field is given). The date is now and the
                                  employee the caller unless --date/--employee say otherwise.
          --spool <dir>           The spool (default: spool.dir of --config or /etc/dialogd/dialogd.conf).
        """

    static let flags: [String: Field] = [
        "--id": .id, "--date": .date, "--employee": .employee, "--channel": .channel, "--customer": .customer,
        "--department": .department, "--outcome": .outcome, "--duration": .duration, "--value": .value,
        "--satisfaction": .satisfaction, "--sentiment": .sentiment, "--response-time": .responseTime,
        "--subject": .subject, "--text": .text, "--tags": .tags,
    ]

    private var given: [Field: String] = [:]
    private var interactive = false
    private var spool: String?

    init(_ arguments: inout ArgumentCursor) throws(UsageError) {
        while let token = arguments.next() {
            guard case .option(let name, let inline) = token else { throw arguments.unexpected(token) }
            if let field = Self.flags[name] {
                guard given[field] == nil else { throw arguments.error("\(name) given twice") }
                given[field] = try arguments.value(of: name, inline: inline)
            } else if name == "--interactive" {
                try arguments.flag(name, inline: inline)
                interactive = true
            } else if name == "--spool" {
                spool = try arguments.value(of: name, inline: inline)
            } else {
                throw arguments.unexpected(token)
            }
        }
    }

    func run(_ session: Session) -> Int32 {
        // From a script or cron, no flags would log an empty conversation made of defaults.
        if given.isEmpty, !interactive, isatty(0) != 1 {
            return Session.fail(SessionError(message: "nothing to log: give fields such as --text and --outcome, or --interactive", exitCode: 64))
        }
        do throws(SessionError) {
            let drop = try SpoolDrop.locate(spool: spool, configPath: session.configPath)
            let now = Int64(Date().timeIntervalSince1970)
            let config = drop.config ?? DialogConfig(layout: .system)
            let settings = config.parseSettings(now: now)
            var values = defaults(now: now).merging(given) { $1 }
            let prompting = interactive || (given.isEmpty && isatty(0) == 1)
            var record: ConversationRecord
            if prompting {
                var prompter = LogPrompter(session: session, settings: settings, valuation: drop.config?.valuation)
                guard let answered = prompter.ask(values, given: Set(given.keys)) else { return 1 }
                (values, record) = answered
            } else {
                do { record = try Self.entry(values).validate(settings: settings, valuation: drop.config?.valuation) } catch {
                    return Session.fail(SessionError(message: "refused, nothing written: \(Self.explain(error))", exitCode: 64))
                }
            }
            for note in Self.entry(values).notes(settings: settings) {
                Terminal.note("note: \(note)")
            }
            let name = LogEntry.fileName(at: now, suffix: Self.suffix())
            let path = try drop.drop(Self.entry(values).bytes, name: name)
            if session.json {
                print("{\"file\":\(JSONValue.quote(path)),\"key\":\(JSONValue.quote(RecordKey.make(for: record)))}")
            } else {
                Terminal.show("logged: \(path)")
            }
            return 0
        } catch {
            return Session.fail(error)
        }
    }

    func defaults(now: Int64) -> [Field: String] {
        let environment = ProcessInfo.processInfo.environment
        let account = getpwuid(getuid()).flatMap { $0.pointee.pw_name }.map { String(cString: $0) }
        let user = [environment["SUDO_USER"], environment["USER"], environment["LOGNAME"], account].compactMap { $0 }.first { !$0.isEmpty && $0 != "root" }
        let offset = Int32(TimeZone.current.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(now))))
        var out: [Field: String] = [.date: RFC3339.string(now, offset: offset), .channel: "email"]
        out[.employee] = user
        return out
    }

    /// The fields in record order.
    static func entry(_ values: [Field: String]) -> LogEntry {
        LogEntry(Field.allCases.compactMap { field in values[field].map { (field, $0) } })
    }

    /// A rejection in the terms of this command: the flag, what was expected, what was found.
    static func explain(_ rejection: RecordRejection) -> String {
        var text = rejection.field.map { field in
            let flag = flags.first { $0.value.rawValue == Field(header: field)?.rawValue }?.key ?? field
            return "\(flag): "
        } ?? ""
        text += "expected " + rejection.expected
        if let found = rejection.found { text += ", found " + found }
        return text
    }

    static func suffix() -> String {
        String((0..<6).map { _ in "abcdefghijklmnopqrstuvwxyz0123456789".randomElement()! })
    }
}
