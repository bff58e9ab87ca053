import CertificateKit
import Foundation

/// The `ServingVerifier` of deployments with `verify: tls`: handshakes each domain with its SNI name
/// until the new certificate's leaf is presented, polling with exponential back-off on an injected
/// sleep, for at most the configured wait.
public struct TLSServingVerifier: ServingVerifier {
  /// One deployment's check.
  public struct Check: Sendable, Equatable {
    /// The SNI names to handshake.
    public var domains: [String]
    /// The setting from the configuration.
    public var setting: ServingVerification

    /// Creates a check.
    public init(domains: [String], setting: ServingVerification) {
      self.domains = domains
      self.setting = setting
    }
  }

  /// Deployment name -> check; other deployments are not verified.
  public var checks: [String: Check]
  /// The cloud (for the new certificate's fingerprint).
  public var backend: any CloudBackend
  /// DNS names of load balancers.
  public var directory: any LoadBalancerDirectory
  /// The TLS client.
  public var fetcher: any ServedChainFetcher
  /// Bound on one handshake.
  public var handshakeTimeout: Duration
  /// First pause between rounds; doubled each round up to `maxInterval`.
  public var initialInterval: Duration
  /// Longest pause between rounds.
  public var maxInterval: Duration
  /// The injected clock: waits `duration` (tests pass one that returns at once).
  public var sleep: @Sendable (Duration) async throws -> Void

  /// Creates a verifier.
  public init(
    checks: [String: Check], backend: any CloudBackend, directory: any LoadBalancerDirectory,
    fetcher: any ServedChainFetcher = TLSChainFetcher(), handshakeTimeout: Duration = .seconds(5),
    initialInterval: Duration = .milliseconds(250), maxInterval: Duration = .seconds(8),
    sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
  ) {
    self.checks = checks
    self.backend = backend
    self.directory = directory
    self.fetcher = fetcher
    self.handshakeTimeout = handshakeTimeout
    self.initialInterval = initialInterval
    self.maxInterval = maxInterval
    self.sleep = sleep
  }

  /// The checks of every deployment with `verify: tls`; nil when none asks for it.
  public static func checks(for configuration: CertHookConfiguration) -> [String: Check]? {
    var result: [String: Check] = [:]
    for deployment in configuration.deployments {
      guard let setting = deployment.verify else { continue }
      result[deployment.name] = Check(domains: deployment.domains, setting: setting)
    }
    return result.isEmpty ? nil : result
  }

  /// Handshakes until every domain is served `certificateId`, or throws `ServingNotVerified`.
  public func verifyServing(
    certificateId: String, listenerId: String, loadBalancerId: String?, port: Int?, deployment: String?
  ) async throws {
    guard let deployment, let check = checks[deployment], !check.domains.isEmpty else { return }
    let expected = try await fingerprint(certificateId)
    let listener = (loadBalancerId == nil || port == nil) ? try await backend.getListener(listenerId) : nil
    guard let lb = loadBalancerId ?? listener?.loadBalancerId, let listenerPort = port ?? listener?.port else {
      throw ServingNotVerified(
        listenerId: listenerId, certificateId: certificateId, served: ["*": "listener port unknown"], waited: .zero)
    }
    let host = try await directory.dnsName(loadBalancerId: lb)
    let resolution = try ProbeResolution.parse(check.setting.resolve, portOffset: check.setting.portOffset)
    let address = resolution.address(for: host)
    let target = listenerPort + resolution.portOffset
    let limit = Duration.milliseconds(Int64(check.setting.timeout * 1000))
    var pending = check.domains
    var served: [String: String] = [:]
    var waited = Duration.zero
    var interval = initialInterval
    while true {
      var still: [String] = []
      for domain in pending {
        do {
          let chain = try await fetcher.fetch(
            address: address, port: target, serverName: domain, timeout: handshakeTimeout)
          guard let leaf = chain.first else {
            served[domain] = "no certificate"
            still.append(domain)
            continue
          }
          if leaf.sha256Fingerprint.uppercased() == expected { continue }
          served[domain] = "served serial \(leaf.serialNumber) sha256 \(leaf.sha256Fingerprint.prefix(16))..."
          still.append(domain)
        } catch {
          served[domain] = "\(error)"
          still.append(domain)
        }
      }
      pending = still
      if pending.isEmpty { return }
      guard waited < limit else {
        throw ServingNotVerified(
          listenerId: listenerId, certificateId: certificateId,
          served: served.filter { pending.contains($0.key) }, waited: waited)
      }
      let pause = min(interval, limit - waited)
      try await sleep(pause)
      waited += pause
      interval = min(interval * 2, maxInterval)
    }
  }

  private func fingerprint(_ certificateId: String) async throws -> String {
    guard let casId = RemoteCertificate.casId(fromIdentifier: certificateId),
      let detail = try await backend.certificateDetail(certId: casId)
    else {
      throw ServingNotVerified(
        listenerId: "?", certificateId: certificateId, served: ["*": "CAS does not know the certificate"], waited: .zero)
    }
    if let pem = detail.certificatePEM, let leaf = try? Certificate.parseAll(Array(pem.utf8), source: certificateId).first {
      return leaf.sha256Fingerprint.uppercased()
    }
    guard let sha = detail.sha256 else {
      throw ServingNotVerified(
        listenerId: "?", certificateId: certificateId, served: ["*": "CAS gave no fingerprint"], waited: .zero)
    }
    return sha.uppercased()
  }
}
