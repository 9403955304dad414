import CadangCore
import CadangHost
import HTTPTypes

/// A request the server answers with an error status and one line saying why (`{"error": …}`
/// from the API, a page from the console).
struct HTTPFailure: Error, Sendable {
    var status: HTTPResponse.Status
    var message: String

    init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }

    /// The failure a thrown error stands for: a usage error is the request's fault (400), an
    /// unknown source 404, a held lock 409, a body that is not JSON 400, anything else the server's (500).
    static func from(_ error: any Error) -> HTTPFailure {
        switch error {
        case let failure as HTTPFailure: return failure
        case let unknown as UnknownSourceError: return HTTPFailure(.notFound, unknown.description)
        case let body as IngestBodyError: return HTTPFailure(.badRequest, body.reason)
        case let config as ConfigError: return HTTPFailure(.internalServerError, config.description)
        case let cadang as CadangError:
            switch cadang.status {
            case .usage: return HTTPFailure(.badRequest, cadang.description)
            case .locked: return HTTPFailure(.conflict, cadang.description)
            case .unavailable: return HTTPFailure(.serviceUnavailable, cadang.description)
            default: return HTTPFailure(.internalServerError, cadang.description)
            }
        default: return HTTPFailure(.internalServerError, CadangError.from(error, while: "the request").description)
        }
    }
}
