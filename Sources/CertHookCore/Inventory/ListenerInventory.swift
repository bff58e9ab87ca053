import AlibabaCloud
import Foundation

/// `certhook listeners`: the listeners of the chosen load balancers (all, without a choice) with the server
/// certificates of every HTTPS/QUIC one, read over one session and sorted by load balancer, port and ID. Read-only.
public enum ListenerInventory {
  /// Opens the session `options` describes (no state cache) and lists the listeners.
  public static func collect(
    _ options: RunSessionOptions, loadBalancerIds: [String], protocol: String?
  ) async throws -> [ListenerRow] {
    let request = SessionRequestBuilder.request(
      cloud: options.cloud, configuration: options.configuration, configurationPath: options.configurationPath,
      retries: options.onRetry)
    return try await CloudSession.with(
      request, environment: options.environment, runtime: .system, logger: options.logger
    ) { session in
      // ALB's own listing (with descriptions) for ALB load balancers, or all of them when none is named; the other
      // products' through their drivers.
      let others = loadBalancerIds.filter { ListenerProduct(key: $0) != .alb }
      let albIds = loadBalancerIds.filter { ListenerProduct(key: $0) == .alb }
      var rows: [ListenerRow] = []
      if loadBalancerIds.isEmpty || !albIds.isEmpty {
        rows += try await collect(alb: session.alb, loadBalancerIds: albIds, protocol: `protocol`)
      }
      if !others.isEmpty {
        let backend = try session.backend(pollInterval: options.pollInterval)
        rows += try await collect(backend: backend, loadBalancerKeys: others, protocol: `protocol`)
      }
      return rows
    }
  }

  /// The listeners of NLB, GA and CLB load balancers (engine keys) and their certificates, through the backend.
  static func collect(backend: any CloudBackend, loadBalancerKeys: [String], protocol: String?) async throws
    -> [ListenerRow]
  {
    let listeners = try await backend.listListeners(loadBalancerIds: loadBalancerKeys).filter {
      `protocol` == nil || $0.listenerProtocol.uppercased() == `protocol`
    }
    var rows: [ListenerRow] = []
    for listener in listeners.sorted(by: { ($0.loadBalancerId, $0.port, $0.id) < ($1.loadBalancerId, $1.port, $1.id) }) {
      let certificates = listener.carriesCertificates ? try await backend.listListenerCertificates(listener.id) : []
      rows.append(ListenerRow(listener: listener, certificates: certificates))
    }
    return rows
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
