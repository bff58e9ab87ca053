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

  @Option(
    name: .customLong("load-balancer"),
    help: "Only listeners of this load balancer: an ALB ID, or nlb-…, ga-…, lb-… for NLB, Global Accelerator, CLB (repeatable).")
  var loadBalancers: [String] = []

  @Option(name: .customLong("protocol"), help: "Only listeners of this protocol: HTTPS, QUIC or TCPSSL.")
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
    if let p = listenerProtocol, !["HTTPS", "QUIC", "TCPSSL"].contains(p.uppercased()) {
      throw ValidationError("--protocol must be HTTPS, QUIC or TCPSSL, got '\(p)'")
    }
    _ = try ProductTargetOptions.loadBalancerKeys(loadBalancers)
  }

  func run() async throws {
    let environment = ProcessInfo.processInfo.environment
    let rows: [ListenerRow]
    do {
      let loaded = try ConfigurationLoader.load(explicitPath: config, environment: environment, required: false)
      for warning in loaded?.warnings ?? [] { Diagnostics.warning(warning) }
      rows = try await ListenerInventory.collect(
        LifecycleSession.cloudOptions(cloud: cloud, loaded: loaded, environment: environment),
        loadBalancerIds: try ProductTargetOptions.loadBalancerKeys(loadBalancers), protocol: listenerProtocol?.uppercased())
    } catch {
      Diagnostics.error(LifecycleExit.message(for: error))
      throw ExitCode(LifecycleExit.code(for: error))
    }
    let text = json ? try ListenerTable.renderJSON(rows) : ListenerTable.renderTable(rows)
    FileHandle.standardOutput.write(Data(text.utf8))
  }
}

/// `certhook listeners` output: the rows as a table block each or as JSON.
enum ListenerTable {
  /// One listener in the JSON document.
  private struct ListenerJSON: Encodable {
    let row: ListenerRow

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
      try c.encode(row.listener.id, forKey: .id)
      try c.encode(row.listener.loadBalancerId, forKey: .loadBalancerId)
      try c.encode(row.listener.listenerProtocol, forKey: .protocol)
      try c.encode(row.listener.port, forKey: .port)
      try c.encode(row.listener.status, forKey: .status)
      try c.encode(row.description ?? "", forKey: .description)
      try c.encode(
        row.certificates.map {
          CertificateJSON(certificateId: $0.certificateId, type: $0.type, isDefault: $0.isDefault, status: $0.status)
        }, forKey: .certificates)
    }
  }

  /// `{"listeners": [...]}`, pretty-printed with sorted keys.
  static func renderJSON(_ rows: [ListenerRow]) throws -> String {
    let data = try SortedJSONEncoder(prettyPrinted: true, escapesSlashes: false)
      .encode(["listeners": rows.map(ListenerJSON.init(row:))])
    return String(decoding: data, as: UTF8.self) + "\n"
  }

  /// A table of listeners; each certificate on its own indented line, the default marked `*`.
  static func renderTable(_ rows: [ListenerRow]) -> String {
    guard !rows.isEmpty else { return "no listeners found\n" }
    let header = ["LISTENER", "LOAD BALANCER", "PROTOCOL", "PORT", "STATUS", "DESCRIPTION"]
    let cells = rows.map {
      [
        $0.listener.id, $0.listener.loadBalancerId, $0.listener.listenerProtocol, String($0.listener.port),
        $0.listener.status, $0.description ?? "",
      ].map(Diagnostics.escaped)
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
        out += "  \(marker) \(Diagnostics.escaped(cert.certificateId))  \(Diagnostics.escaped(cert.status))\(note)\n"
      }
      if row.listener.carriesCertificates && row.certificates.isEmpty {
        out += "    (no certificates)\n"
      }
    }
    return out
  }
}
