import DialogCore
import Testing

/// The stale warning names what changed in `[attribution]` (issue 14, finding 11).
@Suite("attribution: what changed since the stored shares")
struct AttributionChangesTests {
    @Test("a half-life change is named as such, not as another model")
    func halfLife() {
        let stored = AttributionConfig(modelName: "time_decay", halfLifeSeconds: 7 * 86_400).fingerprint
        let now = AttributionConfig(modelName: "time_decay", halfLifeSeconds: 10 * 86_400)
        #expect(now.changes(since: stored) == ["half_life 7 days → 10 days"])
    }

    @Test("model, lookback and touch cap each named with old and new value")
    func others() {
        let stored = AttributionConfig().fingerprint
        let now = AttributionConfig(modelName: "position", lookbackSeconds: 30 * 86_400, maxTouches: 5)
        #expect(now.changes(since: stored) == ["model linear → position", "lookback 90 days → 30 days", "max_touches 100 → 5"])
        #expect(AttributionConfig().changes(since: stored).isEmpty)
    }
}
