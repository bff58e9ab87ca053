import CertificateKit
import CloudEmulator
import Foundation

/// The throwaway world `certhook demo` runs in: a CA, certificate files on disk in a certbot-like layout,
/// and the emulator seed with two ALB instances (three HTTPS/QUIC listeners), an NLB, a Global Accelerator and a CLB.
struct DemoWorld {
  static let accessKeyId = "demo-key"
  static let accessKeySecret = "demo-secret-not-real"
  static let domains = ["example.test", "www.example.test"]
  /// The target listeners by the emulator's own IDs (its state and event log name them so).
  static let targets = ["lsr-demo-1-https", "lsr-demo-1-quic", "lsr-demo-2-https", "lsn-demo-tls", "lsr-ga-demo", "lb-demo:443"]

  let directory: URL
  let caKey: PrivateKey
  let ca: Certificate

  /// Creates the CA in a fresh directory.
  init(directory: URL, now: Date) throws {
    self.directory = directory
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    caKey = try PrivateKey.generate(.ecP256)
    ca = try CertificateFactory.issue(
      .init(
        commonName: "certhook demo CA", notBefore: now.addingTimeInterval(-3600),
        notAfter: now.addingTimeInterval(5 * 365 * 86400), isCA: true, pathLength: 0, extendedKeyUsages: nil),
      subjectKey: caKey, issuer: nil)
  }

  /// The emulator's world: alb-demo-1 (Standard) with an HTTPS and a QUIC listener, alb-demo-2 (Basic) with an
  /// HTTPS and an HTTP listener, nlb-demo with a TCPSSL listener, the accelerator ga-demo with an HTTPS listener
  /// and the CLB lb-demo with an HTTPS listener on 443. The emulator gives every certificate-carrying listener a
  /// self-signed default certificate.
  var seed: EmulatorSeed {
    EmulatorSeed(
      region: "cn-hangzhou",
      accessKeys: [.init(id: Self.accessKeyId, secret: Self.accessKeySecret)],
      loadBalancers: [
        .init(
          id: "alb-demo-1", edition: .standard,
          listeners: [
            .init(id: "lsr-demo-1-https", protocol: "HTTPS", port: 443),
            .init(id: "lsr-demo-1-quic", protocol: "QUIC", port: 443),
          ]),
        .init(
          id: "alb-demo-2", edition: .basic,
          listeners: [
            .init(id: "lsr-demo-2-https", protocol: "HTTPS", port: 443),
            .init(id: "lsr-demo-2-http", protocol: "HTTP", port: 80),
          ]),
        .init(id: "nlb-demo", product: .nlb, listeners: [.init(id: "lsn-demo-tls", protocol: "TCPSSL", port: 443)]),
        .init(id: "ga-demo", product: .ga, listeners: [.init(id: "lsr-ga-demo", protocol: "HTTPS", port: 443)]),
        .init(id: "lb-demo", product: .clb, listeners: [.init(id: "", protocol: "HTTPS", port: 443)]),
      ])
  }

  /// Issues a leaf for `names` valid from `notBefore` for `days`, and writes it as
  /// `<name>/fullchain.pem` + `<name>/privkey.pem` (mode 0600), like a certbot lineage.
  func issue(_ name: String, names: [String], notBefore: Date, days: Double) throws -> (lineage: URL, leaf: Certificate) {
    let key = try PrivateKey.generate(.ecP256)
    let leaf = try CertificateFactory.issue(
      .init(
        commonName: names[0], dnsNames: names, notBefore: notBefore,
        notAfter: notBefore.addingTimeInterval(days * 86400)),
      subjectKey: key, issuer: (ca, caKey))
    let lineage = directory.appendingPathComponent(name)
    try FileManager.default.createDirectory(at: lineage, withIntermediateDirectories: true)
    try Data((leaf.pem + ca.pem).utf8).write(to: lineage.appendingPathComponent("fullchain.pem"))
    let keyURL = lineage.appendingPathComponent("privkey.pem")
    _ = FileManager.default.createFile(
      atPath: keyURL.path, contents: Data(try key.pkcs8PEM().utf8), attributes: [.posixPermissions: 0o600])
    return (lineage, leaf)
  }
}
