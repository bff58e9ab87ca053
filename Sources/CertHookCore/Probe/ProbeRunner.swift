import CertificateKit
import Foundation

/// `certhook probe`: one TLS handshake per (listener, domain) pair, judged against what the API says
/// the listener holds. A failing pair is a result, never an abort.
public struct ProbeRunner: Sendable {
  /// Cloud, clock value, windows and concurrency.
  public var context: RunnerContext
  /// DNS names of load balancers.
  public var directory: any LoadBalancerDirectory
  /// The TLS client.
  public var fetcher: any ServedChainFetcher
  /// Trusted roots for the chain check.
  public var trust: TrustEvaluator
  /// `--resolve` and `--port-offset`.
  public var resolution: ProbeResolution
  /// Bound on one handshake (connect included).
  public var timeout: Duration

  /// Creates a runner.
  public init(
    context: RunnerContext, directory: any LoadBalancerDirectory, fetcher: any ServedChainFetcher = TLSChainFetcher(),
    trust: TrustEvaluator = TrustEvaluator(roots: .system), resolution: ProbeResolution = ProbeResolution(),
    timeout: Duration = .seconds(5)
  ) {
    self.context = context
    self.directory = directory
    self.fetcher = fetcher
    self.trust = trust
    self.resolution = resolution
    self.timeout = timeout
  }

  /// Forms the pairs of `selection` and probes them.
  public func run(_ selection: ProbeSelection) async -> ProbeReport {
    let (targets, errors) = await self.targets(selection)
    return ProbeReport(results: await probe(targets), errors: errors)
  }

  /// Handshakes every pair (at most `context.concurrency` at once); results keep the input order.
  public func probe(_ targets: [ProbeTarget]) async -> [ProbeResult] {
    let fetcher = self.fetcher
    let resolution = self.resolution
    let timeout = self.timeout
    let judge = ProbeJudge(now: context.now, policy: context.checkPolicy, trust: trust)
    return await boundedConcurrentMap(targets, limit: context.concurrency) { target in
      let address = resolution.address(for: target.host)
      let port = target.port + resolution.portOffset
      let endpoint = address.contains(":") ? "[\(address)]:\(port)" : "\(address):\(port)"
      do {
        let chain = try await fetcher.fetch(address: address, port: port, serverName: target.domain, timeout: timeout)
        return judge.evaluate(target, endpoint: endpoint, chain: chain)
      } catch {
        return ProbeResult(target: target, endpoint: endpoint, error: "\(error)", status: "unreachable")
      }
    }
  }

  /// The (listener, domain) pairs of a selection, in listener then domain order, without duplicates.
  public func targets(_ selection: ProbeSelection) async -> ([ProbeTarget], [String]) {
    var errors: [String] = []
    var targets: [ProbeTarget] = []
    var seen = Set<String>()
    var hosts: [String: String] = [:]
    for group in selection.groups {
      let (listeners, listenerErrors) = await self.listeners(group.targets)
      errors += listenerErrors
      for listener in listeners {
        let host: String
        if let known = hosts[listener.loadBalancerId] {
          host = known
        } else {
          do {
            host = try await directory.dnsName(loadBalancerId: listener.loadBalancerId)
            hosts[listener.loadBalancerId] = host
          } catch {
            errors.append("load balancer \(listener.loadBalancerId): \(error)")
            continue
          }
        }
        let listed: [CloudListenerCertificate]
        do {
          listed = try await context.backend.listListenerCertificates(listener.id)
        } catch {
          errors.append("listener \(listener.id): \(error)")
          continue
        }
        var fingerprints: [String: String] = [:]
        var names: [String] = []
        for certificate in listed {
          let facts = await context.catalog.lookup(certificate.certificateId)
          if let sha = facts.sha256 { fingerprints[sha.uppercased()] = certificate.certificateId }
          names += facts.dnsNames
        }
        for domain in group.domains ?? Self.probeNames(names) {
          guard seen.insert(listener.id + " " + domain.lowercased()).inserted else { continue }
          targets.append(
            ProbeTarget(
              loadBalancerId: listener.loadBalancerId, listenerId: listener.id, port: listener.port, host: host,
              domain: domain, listed: fingerprints))
        }
      }
    }
    return (targets, errors)
  }

  /// SNI names for SANs: each DNS name once; a wildcard `*.example.com` is probed as
  /// `certhook-probe.example.com` (any name it covers would do).
  static func probeNames(_ sans: [String]) -> [String] {
    var seen = Set<String>()
    var names: [String] = []
    for san in sans {
      let name = san.hasPrefix("*.") ? "certhook-probe." + san.dropFirst(2) : san
      guard IPAddressCheck.isDNSName(name), seen.insert(name.lowercased()).inserted else { continue }
      names.append(name)
    }
    return names
  }

  private func listeners(_ targets: [DeploymentTarget]) async -> ([CloudListener], [String]) {
    var result: [CloudListener] = []
    var errors: [String] = []
    for target in targets {
      switch target {
      case .listener(let id):
        do {
          let listener = try await context.backend.getListener(id)
          if listener.carriesCertificates {
            result.append(listener)
          } else {
            errors.append(TargetProblem.carriesNoCertificates(id, listener))
          }
        } catch {
          errors.append("listener \(id): \(error)")
        }
      case .loadBalancer(let id, let protocols, let ports):
        do {
          let listeners = try await context.backend.listListeners(loadBalancerIds: [id]).filter { l in
            l.carriesCertificates
              && (protocols.map { $0.map { $0.uppercased() }.contains(l.listenerProtocol.uppercased()) } ?? true)
              && (ports.map { $0.contains(l.port) } ?? true)
          }
          if listeners.isEmpty { errors.append(TargetProblem.noMatchingListener(id)) }
          result += listeners.sorted { $0.id < $1.id }
        } catch {
          errors.append("load balancer \(id): \(error)")
        }
      }
    }
    var seen = Set<String>()
    return (result.filter { seen.insert($0.id).inserted }, errors)
  }
}

/// A name usable as SNI: not an IP literal, not empty.
enum IPAddressCheck {
  static func isDNSName(_ name: String) -> Bool {
    !name.isEmpty && !name.contains(":") && !name.allSatisfy { $0.isNumber || $0 == "." }
  }
}
