import Foundation

/// The restore operation of a source whose backup is one file dataset (a database snapshot): pick
/// the set, verify the snapshot, say what will happen, ask unless `--yes`, then `Restorer` puts it
/// back under the repository lock. A source adopts it by calling `perform` from its restore
/// operation; it knows the format through `RestorableSource`.
public struct SnapshotRestore {
    /// The source that knows the format.
    public var source: any RestorableSource

    /// Creates the operation for `source`.
    public init(source: any RestorableSource) {
        self.source = source
    }

    /// Runs `cadang restore` for the source; exit 1 when the user declines.
    public func perform(_ context: OperationContext) throws -> OperationResult {
        guard let request = context.restore else {
            throw CadangError(.failure, "restore of source '\(context.source)' was called without a restore request")
        }
        let restorer = Restorer(repository: context.repository, source: source, tool: request.tool, logger: context.logger)
        let set: BackupSet
        let artifact: Artifact
        let origin: String
        switch request.origin {
        case .repository(let id):
            (set, artifact) = try restorer.pick(id: id, job: context.job)
            origin = "set \(set.id)"
        case .archive(let unpacked, let path):
            if let job = context.job, job != unpacked.job {
                throw CadangError(.usage, "archive \(path) holds a set of job '\(unpacked.job)', not '\(job)'", fix: "leave out the job name")
            }
            guard let found = unpacked.manifest.artifacts.first(where: { $0.dataset == source.restorableDataset }) else {
                throw CadangError(.usage, "archive \(path) holds no \(source.restorableDataset) snapshot", fix: "pick an archive of a job that backs it up")
            }
            (set, artifact, origin) = (unpacked, found, "archive \(path)")
        }
        try restorer.verify(set, artifact)
        let plan = restorer.plan(set, artifact, target: target(request.destination))

        if context.dryRun {
            context.output.say(plan.description)
            context.output.say("(dry run: nothing changed; the snapshot's SHA-256 and format check passed)")
            return OperationResult()
        }
        if !context.yes {
            guard OperationOutput.isYes(context.output.ask(plan.description + "\nRestore now? [y/N] ")) else {
                context.output.say("not restored")
                return OperationResult(status: .failure)
            }
        }
        let outcome = try restorer.restore(plan, force: request.force, lockWait: context.lockWait)
        context.output.say("restored \(plan.target.path) from \(origin) (\(set.manifest.time))")
        for line in outcome.lines(target: plan.target) { context.output.say(line) }
        return OperationResult()
    }

    /// The file to restore: the source's own, or `--to` (a folder means the same name inside it).
    public func target(_ destination: String?) -> URL {
        guard let destination else { return source.restoreTarget }
        let url = URL(fileURLWithPath: (destination as NSString).expandingTildeInPath).standardizedFileURL
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            return url.appendingPathComponent(source.restoreTarget.lastPathComponent)
        }
        return url
    }
}
