#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Schema {
    /// The version of `keyProbe`; renumber it, not the SQL, when merging another branch's migration.
    static let keyProbeVersion: Int32 = 10

    /// v10 (issue 17, bytes written per record). `UNIQUE(key)` on conversations was an 80-byte
    /// entry per row inserted at a random place (`sha256:` + 64 hex), ~60 % of the bytes a flood
    /// wrote. It becomes a non-unique index on a compact probe of the key (`keyProbeSQL`: the
    /// last 12 hex digits of a content hash, other keys whole); every lookup compares the full key
    /// on the rows the probe finds, and the one writer checks before it inserts
    /// (`ConversationStore.insert`). Dropping a UNIQUE column constraint is a table rebuild, so
    /// the table is copied as it is (same columns in the same order, same row ids) and its
    /// other indexes are created again. Frozen as literal SQL.
    static let keyProbe = """
        CREATE TABLE conversations_v10 (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL,
            external_id TEXT,
            date INTEGER NOT NULL,
            utc_offset INTEGER NOT NULL,
            employee TEXT NOT NULL,
            channel TEXT NOT NULL,
            customer TEXT,
            department TEXT,
            outcome TEXT,
            duration_s INTEGER,
            value_cents INTEGER,
            currency TEXT,
            satisfaction INTEGER,
            sentiment TEXT,
            response_time_s INTEGER,
            subject TEXT,
            text TEXT,
            tags TEXT,
            extras TEXT,
            source_file TEXT NOT NULL,
            source_line INTEGER NOT NULL,
            ingested_at INTEGER NOT NULL,
            department_final TEXT,
            outcome_final TEXT,
            duration_s_effective INTEGER,
            cost_cents INTEGER,
            value_cents_effective INTEGER,
            department_source TEXT,
            department_confidence INTEGER,
            outcome_source TEXT,
            outcome_confidence INTEGER,
            sentiment_final TEXT,
            sentiment_source TEXT,
            sentiment_confidence INTEGER,
            raw_department TEXT,
            raw_outcome TEXT,
            raw_channel TEXT,
            site TEXT NOT NULL DEFAULT '',
            revision INTEGER NOT NULL DEFAULT 0,
            site_revision INTEGER
        ) STRICT;
        INSERT INTO conversations_v10 SELECT * FROM conversations ORDER BY id;
        DROP TABLE conversations;
        ALTER TABLE conversations_v10 RENAME TO conversations;
        CREATE INDEX conversations_date ON conversations(date);
        CREATE INDEX conversations_revision ON conversations(revision);
        CREATE INDEX conversations_customer_date ON conversations(customer, date) WHERE customer IS NOT NULL;
        CREATE INDEX conversations_key_probe ON conversations(CASE WHEN substr(key, -71, 7) = 'sha256:' THEN substr(key, -12) ELSE key END);
        """

    /// The expression `conversations_key_probe` indexes, of `key` or a bound parameter: the last
    /// 12 hex digits (48 bits) when it ends in a content hash, else the key whole (`id:` keys are
    /// the writer's and may share any part, so a part of them could pile many rows on one probe).
    static func keyProbeSQL(_ key: String) -> String {
        "(CASE WHEN substr(\(key), -71, 7) = 'sha256:' THEN substr(\(key), -12) ELSE \(key) END)"
    }

    /// `keyProbeSQL`'s value of `key`, computed here as SQLite computes it, so a lookup binds its
    /// probe instead of evaluating the expression on its parameter: two `substr` calls that walk
    /// the key, ≈ 3,000 instructions per record on the loop (issue 17). `substr` with a negative
    /// start counts characters (Unicode scalars in valid UTF-8) of the text before its first NUL.
    static func keyProbe(of key: String) -> String {
        var text = key
        let probe = text.withUTF8 { bytes -> String? in
            // memchr for the NUL and memcmp for the prefix: the generic search and comparison on
            // the buffer were most of the 1,750 instructions a lookup took on the loop (now 1,300).
            guard let base = bytes.baseAddress else { return nil }
            let end = memchr(base, 0, bytes.count).map { UnsafeRawPointer($0) - UnsafeRawPointer(base) } ?? bytes.count
            guard end >= 71 else { return nil }  // 71 characters take at least 71 bytes
            // Walked back over bytes, a character starts at every byte that is not 10xxxxxx.
            var characters = 0, last12 = end, index = end
            while index > 0, characters < 71 {
                index -= 1
                guard base[index] & 0xC0 != 0x80 else { continue }
                characters += 1
                if characters == 12 { last12 = index }
            }
            guard characters == 71, end - index >= 7, memcmp(base + index, Self.hashPrefix.utf8Start, 7) == 0 else { return nil }
            return String(decoding: UnsafeBufferPointer(start: base + last12, count: end - last12), as: UTF8.self)
        }
        return probe ?? key
    }

    private static let hashPrefix: StaticString = "sha256:"

    /// The WHERE term that finds the conversation whose key is parameter `key` (`?1`) through
    /// `conversations_key_probe`, with the key's probe (`keyProbe(of:)`) bound as parameter
    /// `probe`; the full key is compared on the rows the probe finds. The `+` keeps SQLite from
    /// substituting the parameter for `key` in the index's expression (constant propagation),
    /// which would no longer match the index and scan the table.
    static func conversationKeyMatch(_ key: String, probe: String) -> String {
        keyProbeSQL("key") + " = \(probe) AND +key = \(key)"
    }

    /// A key lookup's arguments for `conversationKeyMatch("?1", probe: "?2")`.
    static func keyArguments(_ key: String) -> [(any SQLValue)?] { [key, keyProbe(of: key)] }
}
