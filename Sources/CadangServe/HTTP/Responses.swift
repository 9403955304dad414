import Foundation
import HTTPTypes
import Hummingbird

/// The responses the server writes: JSON for the API, HTML for the console.
enum Responses {
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// `value` as JSON with `status`.
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        var data = try encoder.encode(value)
        data.append(0x0A)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// `{"error": message}` with the failure's status.
    static func json(_ failure: HTTPFailure) -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"]
        if failure.status == .unauthorized { headers[.wwwAuthenticate] = "Bearer realm=\"cadang\"" }
        let data = (try? encoder.encode(["error": failure.message])) ?? Data("{\"error\":\"internal error\"}".utf8)
        return Response(status: failure.status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data + [0x0A])))
    }

    /// An HTML page, never cached, never framed, running no script but the console's own file.
    static func html(_ page: HTML, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) -> Response {
        var headers: HTTPFields = [
            .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
            .contentSecurityPolicy: "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
            HTTPField.Name("X-Content-Type-Options")!: "nosniff", HTTPField.Name("Referrer-Policy")!: "same-origin",
        ]
        for field in extra { headers.append(field) }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: page.text)))
    }

    /// A static file of the console (stylesheet, script).
    static func asset(_ text: String, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .cacheControl: "max-age=300", HTTPField.Name("X-Content-Type-Options")!: "nosniff"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// A redirect after a form (303: the browser then GETs `location`).
    static func redirect(_ location: String, headers extra: HTTPFields = [:]) -> Response {
        var headers: HTTPFields = [.location: location, .cacheControl: "no-store"]
        for field in extra { headers.append(field) }
        return Response(status: .seeOther, headers: headers)
    }
}
