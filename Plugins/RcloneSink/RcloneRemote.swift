import CadangCore

/// The `remote` option as rclone reads it: `name:path`, `:backend:path`, either with connection
/// parameters (`name,key=value,key2='a,b':path`), or a local path.
struct RcloneRemote: Equatable {
    /// The text as configured; what rclone gets.
    let spec: String
    /// `name` or `:backend` (empty for a local path).
    let prefix: String
    /// The connection parameters, in order.
    let parameters: [(key: String, value: String)]
    /// The folder on the remote.
    let path: String

    static func == (a: RcloneRemote, b: RcloneRemote) -> Bool { a.spec == b.spec }

    init(_ spec: String) {
        self.spec = spec
        // A path that starts like one is local for rclone too, whatever colons follow.
        guard !spec.hasPrefix("/"), !spec.hasPrefix("."), let parsed = Self.split(spec) else {
            prefix = ""
            parameters = []
            path = spec
            return
        }
        (prefix, parameters, path) = parsed
    }

    /// For logs and messages: the remote without its connection parameters, e.g. `:webdav:Cadang/Toko`.
    var display: String {
        prefix.isEmpty && parameters.isEmpty ? path : "\(prefix):\(path)"
    }

    /// The remote path of a file in the folder.
    func file(_ name: String) -> String {
        spec + (spec.hasSuffix(":") || spec.hasSuffix("/") ? "" : "/") + name
    }

    /// The file as messages show it.
    func displayFile(_ name: String) -> String {
        display + (display.hasSuffix(":") || display.hasSuffix("/") ? "" : "/") + name
    }

    /// Parameters that hold a secret, which must not reach rclone's command line (where any user
    /// of the machine can read it in `ps`): their names.
    var secretParameters: [String] {
        parameters.filter { Self.isSecret(key: $0.key, value: $0.value) }.map(\.key)
    }

    private static func isSecret(key: String, value: String) -> Bool {
        let key = key.lowercased().replacingOccurrences(of: "-", with: "_")
        if ["pass", "secret", "token", "credentials", "sas_url"].contains(where: key.contains) { return true }
        // `key_file`, `pubkey_file`: paths to keys, not keys.
        if key.contains("key") && !key.hasSuffix("_file") { return true }
        // A password inside an address: `https://user:password@host`.
        if let scheme = value.range(of: "://") {
            let authority = value[scheme.upperBound...].prefix { $0 != "/" }
            if let at = authority.lastIndex(of: "@"), authority[..<at].contains(":") { return true }
        }
        return false
    }

    /// `(prefix, parameters, path)`, or nil when the text has no remote part (a relative local path).
    private static func split(_ spec: String) -> (String, [(key: String, value: String)], String)? {
        let characters = Array(spec)
        var index = 0
        var prefix = ""
        if characters.first == ":" {
            prefix = ":"
            index = 1
        }
        while index < characters.count, characters[index] != ",", characters[index] != ":" {
            prefix.append(characters[index])
            index += 1
        }
        guard index < characters.count, prefix != ":" || index > 1 else { return nil }
        var parameters: [(key: String, value: String)] = []
        while index < characters.count, characters[index] == "," {
            index += 1
            var key = ""
            while index < characters.count, !"=,:".contains(characters[index]) {
                key.append(characters[index])
                index += 1
            }
            var value = ""
            if index < characters.count, characters[index] == "=" {
                index += 1
                if index < characters.count, characters[index] == "'" || characters[index] == "\"" {
                    // Quoted: a doubled quote stands for itself (rclone's connection-string rule).
                    let quote = characters[index]
                    index += 1
                    while index < characters.count {
                        if characters[index] == quote {
                            if index + 1 < characters.count, characters[index + 1] == quote {
                                value.append(quote)
                                index += 2
                                continue
                            }
                            index += 1
                            break
                        }
                        value.append(characters[index])
                        index += 1
                    }
                } else {
                    while index < characters.count, characters[index] != ",", characters[index] != ":" {
                        value.append(characters[index])
                        index += 1
                    }
                }
            }
            parameters.append((key, value))
        }
        guard index < characters.count, characters[index] == ":" else { return nil }
        return (prefix, parameters, String(characters[(index + 1)...]))
    }
}
