import CadangCore
import CadangHost
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// The HTTP API (DESIGN §8): orders in from the tills, and for the manager the list, stats,
/// import, cleanup and sets — each the host's operation, its report as the command's `--json`.
struct APIRoutes: Sendable {
    let service: HostService
    let tokens: Tokens
    let maxBodyBytes: Int
    /// How long an operation waits for the repository lock before answering 409.
    let lockWait: Double
    let logger: Logger

    /// The bodies of import and cleanup are a few keys; anything larger is not one.
    static let maxOperationBody = 1 << 20

    func add(to router: Router<BasicRequestContext>) {
        let api = router.group("api/v1")
        api.post("sources/:source/orders") { request, context in
            try await answer(request, role: .ingest) { try await ingest(request, source: context.parameters.require("source")) }
        }
        api.get("sources/:source/orders") { request, context in
            try await answer(request, role: .manager) { try await orders(request, source: context.parameters.require("source")) }
        }
        api.get("sources/:source/orders/:key") { request, context in
            try await answer(request, role: .manager) {
                let source = try context.parameters.require("source"), key = try context.parameters.require("key")
                guard let record = try await BlockingWork.run({ try service.record(source: source, key: key) }) else {
                    throw HTTPFailure(.notFound, "source '\(source)' has no record '\(key)'")
                }
                return try Responses.json(record)
            }
        }
        api.get("sources/:source/stats") { request, context in
            try await answer(request, role: .manager) {
                try await operation(.stats, source: context.parameters.require("source"), options: [:], dryRun: false)
            }
        }
        api.post("sources/:source/import") { request, context in
            try await answer(request, role: .manager) { try await operation(.restore, request, source: context.parameters.require("source")) }
        }
        api.post("sources/:source/cleanup") { request, context in
            try await answer(request, role: .manager) { try await operation(.prune, request, source: context.parameters.require("source")) }
        }
        api.get("sets") { request, _ in
            try await answer(request, role: .manager) { try Responses.json(try await BlockingWork.run { service.sets() }) }
        }
        for method in [HTTPRequest.Method.get, .post, .put, .delete, .patch] {
            api.on("**", method: method) { request, _ in
                try await answer(request, role: .ingest) { throw HTTPFailure(.notFound, "no API endpoint \(request.method) \(request.uri.path)") }
            }
        }
        router.get("healthz") { _, _ in
            do {
                try await BlockingWork.run { try service.checkHealth() }
                return try Responses.json(["status": "ok"])
            } catch {
                let failure = HTTPFailure.from(error)
                logger.warning("healthz: \(failure.message)")
                return Responses.json(HTTPFailure(.serviceUnavailable, failure.message))
            }
        }
    }

    /// Checks the token (401 without a valid one, 403 without the right), runs `body`, and turns
    /// what it throws into a JSON error; logs one line per request, never the token.
    private func answer(_ request: Request, role needed: Role, _ body: () async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let response: Response
        do {
            guard let header = request.headers[.authorization], header.hasPrefix("Bearer "),
                  let role = tokens.role(of: String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)) else {
                throw HTTPFailure(.unauthorized, "this endpoint needs 'Authorization: Bearer TOKEN' with the ingest or manager token of serve.tokens")
            }
            if needed == .manager, role != .manager {
                throw HTTPFailure(.forbidden, "the ingest token may only add orders; this needs the manager token")
            }
            response = try await body()
        } catch {
            let failure = HTTPFailure.from(error)
            if failure.status == .internalServerError { logger.error("\(request.method) \(request.uri.path): \(failure.message)") }
            response = Responses.json(failure)
        }
        let elapsed = ContinuousClock.now - started
        logger.info("\(request.method) \(request.uri.path) \(response.status.code) \(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000) ms")
        return response
    }

    /// Reads the body, refusing one over `limit` (413) before more of it is read than that.
    private func collect(_ request: Request, limit: Int) async throws -> [UInt8] {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw HTTPFailure(.contentTooLarge, "the body is \(length) bytes; serve.max_body_bytes allows \(limit)")
        }
        do {
            var buffer = try await request.body.collect(upTo: limit)
            return buffer.readBytes(length: buffer.readableBytes) ?? []
        } catch is NIOTooManyBytesError {
            throw HTTPFailure(.contentTooLarge, "the body is over \(limit) bytes, which serve.max_body_bytes allows")
        }
    }

    private func ingest(_ request: Request, source: String) async throws -> Response {
        let body = try await collect(request, limit: maxBodyBytes)
        let origin = "request \(request.headers[HTTPField.Name("X-Request-Id")!] ?? UUID().uuidString.prefix(8).lowercased())"
        let results = try await BlockingWork.run { try service.ingest(source: source, body: body, origin: origin) }
        return try Responses.json(["results": results])
    }

    private func orders(_ request: Request, source: String) async throws -> Response {
        var parameters: [String: String] = [:]
        var page = 1
        for (name, value) in FormFields(request.uri.query).pairs {
            if name == "page" {
                guard let number = Int(value), number >= 1 else { throw HTTPFailure(.badRequest, "page must be a whole number from 1, not '\(value)'") }
                page = number
            } else {
                parameters[name] = value
            }
        }
        let result = try await BlockingWork.run { [parameters, page] in try service.browse(source: source, parameters: parameters, page: page) }
        return try Responses.json(result)
    }

    /// `{"select": [keys], other options…, "dry_run": bool}` → the operation's options.
    private func operation(_ verb: OperationVerb, _ request: Request, source: String) async throws -> Response {
        let body = try await collect(request, limit: Self.maxOperationBody)
        let (options, dryRun) = try OperationBody.parse(body)
        return try await operation(verb, source: source, options: options, dryRun: dryRun)
    }

    private func operation(_ verb: OperationVerb, source: String, options: [String: String], dryRun: Bool) async throws -> Response {
        let reply = try await BlockingWork.run { [lockWait] in
            try service.perform(verb, source: source, options: options, dryRun: dryRun, lockWait: lockWait)
        }
        guard let report = reply.report else {
            // The operation ran and had nothing to say (a cleanup with no rule to apply): the request's to mend.
            throw HTTPFailure(.badRequest, reply.lines.first ?? "source '\(source)' gave no \(verb.rawValue) report")
        }
        return try Responses.json(AnyReport(report))
    }
}

/// An operation's report of whatever type, as JSON.
struct AnyReport: Encodable, Sendable {
    let report: any Encodable & Sendable
    init(_ report: any Encodable & Sendable) { self.report = report }
    func encode(to encoder: any Encoder) throws { try report.encode(to: encoder) }
}
