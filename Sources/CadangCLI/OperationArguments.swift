import ArgumentParser

/// The words of `verify`, `restore` and `prune` that ArgumentParser does not know: the optional
/// JOB and the options of the job's sources' operation, which plugins declare and the host checks
/// (`cadang verify pos --states done --deep`).
///
/// The command declares them as one `@Argument(parsing: .allUnrecognized)` array, with no
/// `@Argument var job` beside it: ArgumentParser fills such a positional first and then reports
/// an unknown option before it (`verify --deep pos`) as an error, so JOB is taken from the same
/// array, where the words keep their order.
///
/// Grammar, without the plugins' declarations: `--name=value`; `--name value` when the next word
/// does not start with `-`; otherwise `--name` is a flag, "true". So a flag is written after JOB,
/// or as `--name=true`. Once JOB is known, more words after a value are more values of that
/// option (`restore pos --select K1 K2`), kept one per line for the host, which takes them as a
/// list where the option is one and refuses them elsewhere. After `--` every word is JOB.
struct OperationArguments: Equatable {
    /// The job, if one is named.
    var job: String?
    /// Operation options by their declared name (`--older-than 30d` → `older_than: 30d`).
    var options: [String: String] = [:]

    /// No job and no options.
    init() {}

    init(parsing words: [String]) throws {
        var index = words.startIndex
        var terminated = false
        // The option whose value was the last word, while more values may follow.
        var taking: String?
        while index < words.endIndex {
            let word = words[index]
            index += 1
            if !terminated && word == "--" {
                terminated = true
                taking = nil
            } else if !terminated && word.hasPrefix("--") {
                taking = nil
                let body = word.dropFirst(2)
                let flag = String(body.prefix { $0 != "=" })
                guard !flag.isEmpty else { throw ValidationError("'\(word)' has no option name") }
                // Flags are spelt with dashes, declarations with underscores.
                let name = flag.replacingOccurrences(of: "-", with: "_")
                guard options[name] == nil else { throw ValidationError("'--\(flag)' is given twice") }
                if flag.count < body.count {
                    options[name] = String(body.dropFirst(flag.count + 1))
                    taking = job == nil ? nil : name
                } else if index < words.endIndex, !words[index].hasPrefix("-") {
                    options[name] = words[index]
                    index += 1
                    taking = job == nil ? nil : name
                } else {
                    options[name] = "true"
                }
            } else if !terminated && word.hasPrefix("-") && word != "-" {
                // Operation options are long ones; the wording is ArgumentParser's.
                throw ValidationError("Unknown option '\(word)'")
            } else if let name = taking, !terminated, let value = options[name] {
                options[name] = value + "\n" + word
            } else if job == nil {
                job = word
            } else {
                throw ValidationError("Unexpected argument '\(word)'")
            }
        }
    }
}

/// The words a generic verb takes after its own options: JOB, then the options of the job's
/// sources' operation for that verb (see `OperationArguments`); checked when parsed.
struct OperationWords: ParsableArguments {
    @Argument(parsing: .allUnrecognized,
              help: ArgumentHelp("Only this job. Then options of its sources' operation (see 'cadang plugins'): --name value, --name=value, --flag.",
                                 valueName: "job"))
    var words: [String] = []

    /// JOB and the options; `validate()` has thrown if they are malformed.
    private var parsed: OperationArguments { (try? OperationArguments(parsing: words)) ?? OperationArguments() }

    /// The job, if one is named.
    var job: String? { parsed.job }

    /// The operation options by declared name (`--flag` → "true"), checked by the host against the declarations.
    var options: [String: String] { parsed.options }

    func validate() throws {
        _ = try OperationArguments(parsing: words)
    }
}
