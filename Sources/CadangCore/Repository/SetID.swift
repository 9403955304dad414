import Foundation

/// Set ids: the set's UTC time to the microsecond, then random hex, e.g.
/// `20261121T151510.123456Z-9f3a1c20b7e4`. They sort by time; 48 random bits keep them unique for
/// equal times (and `Repository.beginSet` still checks).
public enum SetID {
    /// A new id for a set made at `time`.
    public static func make(time: Date) -> String {
        let p = Timestamp.components(of: time, in: TimeZone(identifier: "UTC")!)
        let stamp = String(format: "%04d%02d%02dT%02d%02d%02d.%06dZ", p.year, p.month, p.day, p.hour, p.minute, p.second, p.micros)
        var random = SystemRandomNumberGenerator()
        let suffix = (0..<6).map { _ in UInt8.random(in: 0...255, using: &random) }
        return stamp + "-" + Hex.encode(suffix)
    }

    /// Whether `text` looks like a set id (also guards path joins against traversal).
    public static func isValid(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 36, bytes[8] == UInt8(ascii: "T"), bytes[15] == UInt8(ascii: "."),
              bytes[22] == UInt8(ascii: "Z"), bytes[23] == UInt8(ascii: "-") else { return false }
        let hex = Set("0123456789abcdef".utf8)
        return bytes.enumerated().allSatisfy { index, byte in
            switch index {
            case 8, 15, 22, 23: true
            case 24...: hex.contains(byte)
            default: byte >= 48 && byte <= 57
            }
        }
    }

    /// The UTC time an id was made for (to the microsecond), or nil when `text` is no set id.
    public static func time(of text: String) -> Date? {
        guard isValid(text) else { return nil }
        let b = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int { range.reduce(0) { $0 * 10 + Int(b[$1] - 48) } }
        var components = DateComponents()
        components.year = number(0..<4)
        components.month = number(4..<6)
        components.day = number(6..<8)
        components.hour = number(9..<11)
        components.minute = number(11..<13)
        components.second = number(13..<15)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(from: components).map { $0.addingTimeInterval(Double(number(16..<22)) / 1_000_000) }
    }
}
