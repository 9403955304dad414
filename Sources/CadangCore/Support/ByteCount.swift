/// Human sizes: `912 B`, `1.2 MB` (powers of 1000, as file managers show).
public enum ByteCount {
    /// `bytes` in the largest unit that keeps the number at 1 or more.
    public static func format(_ bytes: Int64) -> String {
        if bytes < 1000 { return "\(bytes) B" }
        let units = ["kB", "MB", "GB", "TB"]
        var value = Double(bytes) / 1000
        var unit = 0
        while value >= 1000 && unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return String(format: value < 10 ? "%.1f %@" : "%.0f %@", value, units[unit])
    }
}

import Foundation
