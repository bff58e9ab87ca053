import AlibabaCloud
import Foundation

/// A scripted transport: a handler answers each request; every request is recorded.
final class FakeTransport: HTTPTransport, @unchecked Sendable {
  typealias Handler = @Sendable (_ request: HTTPRequestSpec, _ index: Int) throws -> HTTPResponseSpec
  private let lock = NSLock()
  private var recorded: [HTTPRequestSpec] = []
  private let handler: Handler

  init(_ handler: @escaping Handler) {
    self.handler = handler
  }

  var requests: [HTTPRequestSpec] { lock.withLock { recorded } }

  func send(_ request: HTTPRequestSpec) async throws -> HTTPResponseSpec {
    let index = lock.withLock {
      recorded.append(request)
      return recorded.count - 1
    }
    return try handler(request, index)
  }

  static func json(_ object: [String: Any], status: Int = 200, headers: [(String, String)] = []) -> HTTPResponseSpec {
    let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
    return HTTPResponseSpec(status: status, headers: headers + [("content-type", "application/json")], body: Array(data))
  }

  static func error(_ status: Int, code: String, message: String = "m", headers: [(String, String)] = []) -> HTTPResponseSpec {
    json(
      ["RequestId": "req-\(code)", "HostId": "alb.cn-hangzhou.aliyuncs.com", "Code": code, "Message": message,
       "Recommend": "https://api.aliyun.com/troubleshoot?q=\(code)"],
      status: status, headers: headers)
  }
}

extension HTTPRequestSpec {
  /// Query parameters decoded from the URL (and a form body, if any).
  var parameters: [String: String] {
    var result: [String: String] = [:]
    var texts: [String] = []
    if let q = url.query(percentEncoded: true) { texts.append(q) }
    if header("content-type")?.hasPrefix("application/x-www-form-urlencoded") == true {
      texts.append(String(decoding: body, as: UTF8.self))
    }
    for text in texts {
      for pair in text.split(separator: "&") {
        let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        let key = AcsPercentEncoding.decode(String(parts[0]), plusAsSpace: true) ?? ""
        let value = parts.count > 1 ? AcsPercentEncoding.decode(String(parts[1]), plusAsSpace: true) ?? "" : ""
        result[key] = value
      }
    }
    return result
  }

  var action: String { header("x-acs-action") ?? "" }
}
