import Foundation

/// The computer's time zone as a tz database name (`Asia/Jakarta`): `TZ`, then `/etc/timezone`,
/// then the target of the `/etc/localtime` link; nil when none names a zone installed in
/// `/usr/share/zoneinfo` (systemd refuses calendar zones it cannot load).
enum MachineTimeZone {
    static func name(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        var candidates: [String?] = [environment["TZ"].map { $0.hasPrefix(":") ? String($0.dropFirst()) : $0 }]
        candidates.append((try? String(contentsOfFile: "/etc/timezone", encoding: .utf8))?.split(whereSeparator: \.isNewline).first.map(String.init))
        if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/etc/localtime"), let range = target.range(of: "zoneinfo/") {
            candidates.append(String(target[range.upperBound...]))
        }
        return candidates.compactMap { $0?.trimmingCharacters(in: .whitespaces) }.first(where: isInstalled)
    }

    /// A plain relative name with a zone file behind it (not `UTC0` or `../x`).
    private static func isInstalled(_ name: String) -> Bool {
        guard !name.isEmpty, !name.hasPrefix("/"), !name.split(separator: "/").contains(".."),
              name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "/_-+".contains($0)) }) else { return false }
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: "/usr/share/zoneinfo/" + name, isDirectory: &isFolder) && !isFolder.boolValue
    }
}
