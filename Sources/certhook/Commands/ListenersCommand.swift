import AlibabaCloud
import ArgumentParser
import CertHookCore
import Foundation

/// `certhook listeners`: lists ALB listeners with status, protocol, port and their certificates.
struct ListenersCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "listeners",
    abstract: "List ALB listeners with status, protocol, port and certificates (default marked). Read-only.",
    discussion: """
      Credentials: explicit configuration, then ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET (or ALICLOUD_*), \
      ~/.aliyun/config.json, ~/.alibabacloud/credentials, then the ECS instance RAM role. -v shows which.

      Region, endpoints and credentials: flags, then CERTHOOK_* variables, then the configuration file (--config), \
      then ALIBABA_CLOUD_* variables and the aliyun CLI profile. Text from the API is shown with control \
      characters escaped.

      Exit status: 0 listed; 1 an API or network error; 64 usage, configuration or credential error.
      """
  )

  @Option(name: .customLong("load-balancer"), help: "Only listeners of this ALB instance (repeatable).")
  var loadBalancers: [String] = []

  @Option(name: .customLong("protocol"), help: "Only HTTPS or QUIC listeners.")
  var listenerProtocol: String?

  @OptionGroup var output: OutputOptions

  /// True with `--json` or `--format json`.
  var json: Bool { output.isJSON }

  @Option(
    name: .long,
    help: "Configuration file whose region, endpoints and credentials to use (default: CERTHOOK_CONFIG, else /etc/certhook/config.yaml when present).")
  var config: String?

  @OptionGroup var cloud: CloudOptions

  func validate() throws {
    if let config, config.isEmpty { throw ValidationError("--config must not be empty") }
    if let p = listenerProtocol, !["HTTPS", "QUIC"].contains(p.uppercased()) {
      throw ValidationError("--protocol must be HTTPS or QUIC, got '\(p)'")
    }
    for lb in loadBalancers where lb.isEmpty {
      throw ValidationError("--load-balancer must not be empty")
    }
  }

  func run() async throws {
    let environment = ProcessInfo.processInfo.environment
    let rows: [ListenerRow]
    do {
      let loaded = try ConfigurationLoader.load(explicitPath: config, environment: environment, required: false)
      for warning in loaded?.warnings ?? [] { Diagnostics.warning(warning) }
      let request = SessionRequestBuilder.request(
        cloud: cloud.choices, configuration: loaded?.configuration, configurationPath: loaded?.path, retries: RetryLine.terminal)
      let logger = StandardErrorLogger.make(verbosity: cloud.verbose)
      rows = try await CloudSession.with(request, environment: environment, runtime: .system, logger: logger) { session in
        try await Self.collect(
          alb: session.alb, loadBalancerIds: loadBalancers, protocol: listenerProtocol?.uppercased())
      }
    } catch {
      Diagnostics.error(LifecycleExit.message(for: error))
      throw ExitCode(LifecycleExit.code(for: error))
    }
    let text = json ? try ListenerRow.renderJSON(rows) : ListenerRow.renderTable(rows)
    FileHandle.standardOutput.write(Data(text.utf8))
  }

  /// Lists the listeners, then the certificates of every HTTPS/QUIC one (up to 4 at a time).
  static func collect(alb: ALBClient, loadBalancerIds: [String], protocol: String?) async throws -> [ListenerRow] {
    let listeners = try await alb.listListeners(loadBalancerIds: loadBalancerIds, protocol: `protocol`)
    var certificates: [String: [ListenerCertificate]] = [:]
    let withCerts = listeners.filter(\.acceptsCertificates)
    try await withThrowingTaskGroup(of: (String, [ListenerCertificate]).self) { group in
      var next = 0
      func addNext() {
        guard next < withCerts.count else { return }
        let id = withCerts[next].id
        next += 1
        group.addTask { (id, try await alb.listListenerCertificates(listenerId: id, certificateType: "Server")) }
      }
      for _ in 0..<4 { addNext() }
      while let (id, certs) = try await group.next() {
        certificates[id] = certs
        addNext()
      }
    }
    return listeners
      .sorted { ($0.loadBalancerId, $0.port, $0.id) < ($1.loadBalancerId, $1.port, $1.id) }
      .map { ListenerRow(listener: $0, certificates: certificates[$0.id] ?? []) }
  }
}

/// One listener and its certificates, rendered as a table block or JSON.
struct ListenerRow: Sendable, Encodable {
  let listener: Listener
  let certificates: [ListenerCertificate]

  private enum CodingKeys: String, CodingKey {
    case id, loadBalancerId, `protocol`, port, status, description, certificates
  }

  private struct CertificateJSON: Encodable {
    let certificateId: String
    let type: String
    let isDefault: Bool
    let status: String
  }

  func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(listener.id, forKey: .id)
    try c.encode(listener.loadBalancerId, forKey: .loadBalancerId)
    try c.encode(listener.protocol, forKey: .protocol)
    try c.encode(listener.port, forKey: .port)
    try c.encode(listener.status, forKey: .status)
    try c.encode(listener.description ?? "", forKey: .description)
    try c.encode(
      certificates.map {
        CertificateJSON(certificateId: $0.certificateId, type: $0.type, isDefault: $0.isDefault, status: "\($0.status)")
      }, forKey: .certificates)
  }

  /// `{"listeners": [...]}`, pretty-printed with sorted keys.
  static func renderJSON(_ rows: [ListenerRow]) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let data = try encoder.encode(["listeners": rows])
    return String(decoding: data, as: UTF8.self) + "\n"
  }

  /// A table of listeners; each certificate on its own indented line, the default marked `*`.
  static func renderTable(_ rows: [ListenerRow]) -> String {
    guard !rows.isEmpty else { return "no listeners found\n" }
    let header = ["LISTENER", "LOAD BALANCER", "PROTOCOL", "PORT", "STATUS", "DESCRIPTION"]
    let cells = rows.map {
      [$0.listener.id, $0.listener.loadBalancerId, $0.listener.protocol, String($0.listener.port), $0.listener.status,
       $0.listener.description ?? ""].map(NetworkText.escaped)
    }
    var widths = header.map(\.count)
    for row in cells {
      for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) }
    }
    func line(_ row: [String]) -> String {
      row.enumerated().map { i, cell in
        i == row.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
      }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
    }
    var out = line(header) + "\n"
    for (row, cell) in zip(rows, cells) {
      out += line(cell) + "\n"
      let sorted = row.certificates.sorted { ($0.isDefault ? 0 : 1, $0.certificateId) < ($1.isDefault ? 0 : 1, $1.certificateId) }
      for cert in sorted {
        let marker = cert.isDefault ? "*" : " "
        let note = cert.isDefault ? "  (default)" : ""
        out += "  \(marker) \(NetworkText.escaped(cert.certificateId))  \(NetworkText.escaped("\(cert.status)"))\(note)\n"
      }
      if row.listener.acceptsCertificates && row.certificates.isEmpty {
        out += "    (no certificates)\n"
      }
    }
    return out
  }
}
