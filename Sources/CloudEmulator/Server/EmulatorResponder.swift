import Foundation
import Hummingbird
import NIOCore

/// Routes every HTTP request: `/_emulator/*` observability routes, everything else to the API engine.
struct EmulatorResponder: HTTPResponder {
  typealias Context = EmulatorRequestContext

  let engine: EmulatorEngine
  let latency: Duration
  /// The longest a request body may take to arrive.
  let bodyTimeout: Duration
  static let maxBody = 4 << 20

  func respond(to request: Request, context: Context) async throws -> Response {
    let path = request.uri.path
    if path.hasPrefix("/_emulator/") {
      return await observability(path: path, method: request.method, query: request.uri.query)
    }
    let body: [UInt8]
    let channel = context.channel
    let outcome = await BodyReader.read(request.body, limit: EmulatorResponder.maxBody, deadline: bodyTimeout) {
      try? await channel.close()
    }
    switch outcome {
    case .complete(let bytes):
      body = bytes
    case .tooLarge(let drained):
      let answer = await engine.reject(ApiError.bodyTooLarge(limit: EmulatorResponder.maxBody))
      var headers = answer.headers
      if !drained { headers.append(("connection", "close")) }
      return Self.response(status: answer.status, body: answer.body, headers: headers)
    case .incomplete:
      try? await channel.close()
      throw CancellationError()
    }
    var headers: [(String, String)] = []
    if let authority = request.head.authority {
      headers.append(("host", authority))
    }
    for field in request.headers {
      headers.append((field.name.canonicalName, field.value))
    }
    let answer: EngineResponse
    do {
      let incoming = try IncomingRequest(
        method: request.method.rawValue, path: path, rawQuery: request.uri.query, headers: headers,
        body: body)
      answer = await engine.handle(incoming)
    } catch {
      answer = await engine.reject(error)
    }
    let delay = latency + answer.extraDelay
    if delay > .zero {
      try await Task.sleep(for: delay)
    }
    if answer.reset {
      try await context.channel.close()
      throw CancellationError()
    }
    return Self.response(status: answer.status, body: answer.body, headers: answer.headers)
  }

  private func observability(path: String, method: HTTPRequest.Method, query: String?) async -> Response {
    guard method == .get else {
      return Self.response(
        status: 405, body: "{\"error\":\"use GET\"}", headers: [("content-type", "application/json")])
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    switch path {
    case "/_emulator/state":
      encoder.dateEncodingStrategy = .custom { date, enc in
        var c = enc.singleValueContainer()
        try c.encode(TimeFormats.rfc3339Milliseconds(date))
      }
      let account = (query ?? "").split(separator: "&").first { $0.hasPrefix("account=") }.map { String($0.dropFirst(8)) }
      let snapshot: EmulatorState?
      if let account { snapshot = await engine.snapshot(account: account) } else { snapshot = await engine.snapshot() }
      guard let snapshot else {
        return Self.response(
          status: 404, body: "{\"error\":\"no such account in the seed\"}", headers: [("content-type", "application/json")])
      }
      let data = (try? encoder.encode(snapshot)) ?? Data("{}".utf8)
      return Self.response(
        status: 200, body: String(decoding: data, as: UTF8.self), headers: [("content-type", "application/json")])
    case "/_emulator/events":
      let lines = await engine.eventLog().compactMap { try? encoder.encode($0) }.map {
        String(decoding: $0, as: UTF8.self) + "\n"
      }
      return Self.response(status: 200, body: lines.joined(), headers: [("content-type", "application/x-ndjson")])
    case "/_emulator/requests":
      encoder.dateEncodingStrategy = .custom { date, enc in
        var c = enc.singleValueContainer()
        try c.encode(TimeFormats.rfc3339Milliseconds(date))
      }
      let lines = await engine.requestLog().compactMap { try? encoder.encode($0) }.map {
        String(decoding: $0, as: UTF8.self) + "\n"
      }
      return Self.response(status: 200, body: lines.joined(), headers: [("content-type", "application/x-ndjson")])
    default:
      return Self.response(
        status: 404, body: "{\"error\":\"unknown emulator route\"}", headers: [("content-type", "application/json")])
    }
  }

  static func response(status: Int, body: String, headers: [(String, String)]) -> Response {
    typealias Field = HTTPFields.Element
    var fields = HTTPFields()
    for (name, value) in headers {
      if let field = Field.Name(name) { fields.append(Field(name: field, value: value)) }
    }
    return Response(
      status: HTTPResponse.Status(code: status), headers: fields,
      body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
  }
}
