import CertificateKit
import Foundation

/// Fixtures every test target shares: certificates issued in the test with CertificateKit, and temporary
/// directories. Each test target adds its own reference time and builders in an `extension Fixtures`.
public enum Fixtures {
  /// A self-signed certificate and its PKCS#8 key, both PEM.
  public static func selfSigned(
    commonName: String, dnsNames: [String], notBefore: Date, notAfter: Date, serialNumber: [UInt8]? = nil,
    key: PrivateKey? = nil
  ) throws -> (cert: String, key: String) {
    let subjectKey = try key ?? PrivateKey.generate(.ecP256)
    let request = CertificateFactory.Request(
      commonName: commonName, dnsNames: dnsNames, notBefore: notBefore, notAfter: notAfter,
      serialNumber: serialNumber)
    let cert = try CertificateFactory.issue(request, subjectKey: subjectKey, issuer: nil)
    return (cert.pem, try subjectKey.pkcs8PEM())
  }

  /// A self-signed certificate for `domains`, valid from an hour before `now` for `days` days.
  public static func issue(domains: [String], now: Date, days: Double = 90, key: PrivateKey? = nil) throws -> (
    cert: String, key: String
  ) {
    try selfSigned(
      commonName: domains.first ?? "example.test", dnsNames: domains, notBefore: now.addingTimeInterval(-3600),
      notAfter: now.addingTimeInterval(days * 86_400), key: key)
  }

  /// Creates a fresh directory `<prefix>-<UUID>` in the temporary directory.
  public static func makeTemporaryDirectory(prefix: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }
}

/// A temporary directory removed at the end of the test.
public final class TemporaryDirectory {
  public let url: URL

  public init(prefix: String = "certificatekit") throws {
    url = try Fixtures.makeTemporaryDirectory(prefix: prefix)
  }

  deinit { try? FileManager.default.removeItem(at: url) }

  /// Writes `contents` to `name` and returns the path.
  @discardableResult
  public func write(_ name: String, _ contents: [UInt8]) throws -> String {
    let path = url.appendingPathComponent(name).path
    try Data(contents).write(to: URL(fileURLWithPath: path))
    return path
  }

  @discardableResult
  public func write(_ name: String, _ text: String) throws -> String {
    try write(name, Array(text.utf8))
  }

  public func path(_ name: String) -> String { url.appendingPathComponent(name).path }

  public func read(_ name: String) throws -> [UInt8] {
    Array(try Data(contentsOf: url.appendingPathComponent(name)))
  }
}
