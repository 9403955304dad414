import CadangCore
import CadangHost
import Foundation
import Hummingbird
import Logging
import NIOCore

/// `cadang serve` (DESIGN §8): one process with the HTTP API the tills post orders to, the web
/// console, and the duties that run on a schedule inside it.
public struct CadangServer: Sendable {
    let service: HostService
    let host: String
    let port: Int
    let logger: Logger

    /// How long a request waits for the repository lock (a backup running) before it answers 409.
    static let lockWait = 30.0

    /// A server for `service`'s config; `listen` (`HOST:PORT`) overrides `serve.listen`.
    public init(service: HostService, listen: String?, logger: Logger) throws {
        self.service = service
        self.logger = logger
        var settings = service.settings
        if let listen {
            guard let (host, port) = ServeSettings.address(listen) else {
                throw CadangError(.usage, "--listen must be HOST:PORT, not '\(listen)'", fix: "e.g. --listen 127.0.0.1:8765")
            }
            (settings.host, settings.port) = (host, port)
        }
        guard settings.managerToken != nil || settings.ingestToken != nil else {
            throw CadangError(.usage, "\(service.configPath) gives cadang serve no token, so every request would be refused",
                              fix: "add serve: {tokens: {ingest: ${CADANG_INGEST_TOKEN}, manager: ${CADANG_MANAGER_TOKEN}}} and set both variables")
        }
        host = settings.host
        port = settings.port
    }

    /// Serves until SIGTERM or SIGINT; prints `listening on http://HOST:PORT` once the port is bound.
    public func run() async throws {
        let settings = service.settings
        let router = Router(context: BasicRequestContext.self)
        let tokens = Tokens(settings)
        APIRoutes(service: service, tokens: tokens, maxBodyBytes: settings.maxBodyBytes, lockWait: Self.lockWait, logger: logger)
            .add(to: router)
        let browsable = try await BlockingWork.run { [service] in service.sources(adopting: (any RecordBrowsing).self) }
        let checks = SetChecks()
        ConsoleRoutes(service: service, tokens: tokens, sessions: ConsoleSessions(), checks: checks, browsable: browsable,
                      lockWait: Self.lockWait, logger: logger).add(to: router)
        var quiet = logger
        quiet.logLevel = .warning
        let duties = DutyScheduler(service: service, intervals: settings.duties, checks: checks, logger: logger)
        let application = Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "cadang"),
            services: [duties],
            onServerRunning: { [logger] channel in
                let port = channel.localAddress?.port ?? 0
                // Tests and scripts wait for this line to learn the port (with --listen HOST:0).
                FileHandle.standardOutput.write(Data("listening on http://\(host):\(port)\n".utf8))
                logger.notice("cadang serve listening on \(host):\(port)")
            },
            logger: quiet)
        do {
            try await application.runService()
        } catch let error as IOError {
            throw CadangError(.failure, "cannot listen on \(host):\(port): \(String(cString: strerror(error.errnoCode)))",
                              fix: error.errnoCode == EADDRINUSE ? "another program (another cadang serve?) listens there; stop it or choose another port with --listen"
                                  : "check the address of serve.listen or --listen")
        }
    }
}
