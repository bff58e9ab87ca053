import Foundation

/// Checks, before anything is uploaded or changed, that every named listener exists and carries certificates
/// (ALB HTTPS or QUIC, NLB TCPSSL, GA and CLB HTTPS) and that every named load balancer has such a listener.
///
/// Reads only. Many listener IDs are checked against one paged listing of the account's listeners instead of one
/// call each; an ID missing from it is then asked about on its own, so the answer names the API's error code.
public struct TargetCheck: Sendable {
  /// The cloud (reads only).
  public let backend: any CloudBackend
  /// Listeners read at the same time.
  public let concurrency: Int
  /// From this many listener IDs on, one listing of every listener replaces the calls per listener.
  public let listingThreshold: Int
  /// Where a listing is remembered for the planners of the same run (nil: nowhere).
  public var directory: ListenerDirectory? = nil

  /// Creates a check.
  public init(backend: any CloudBackend, concurrency: Int = 16, listingThreshold: Int = 20) {
    self.backend = backend
    self.concurrency = max(1, concurrency)
    self.listingThreshold = listingThreshold
  }

  /// What one target list resolved to.
  public struct Resolution: Sendable, Equatable {
    /// Why targets are unusable: empty when every target is usable.
    public var problems: [String]
    /// The listeners the targets name (load balancers expanded to their matching listeners).
    public var listenerIds: Set<String>
  }

  /// The problems of each target list (same order as `targetLists`): empty when every target is usable.
  public func problems(_ targetLists: [[DeploymentTarget]]) async -> [[String]] {
    await resolve(targetLists).map(\.problems)
  }

  /// Each target list's problems and listeners (same order as `targetLists`).
  public func resolve(_ targetLists: [[DeploymentTarget]]) async -> [Resolution] {
    var listenerIds: [String] = []
    var balancers: [String] = []
    var seen: Set<String> = []
    for target in targetLists.joined() {
      switch target {
      case .listener(let id): if seen.insert("l:" + id).inserted { listenerIds.append(id) }
      case .loadBalancer(let id, _, _): if seen.insert("b:" + id).inserted { balancers.append(id) }
      }
    }
    var known: [String: CloudListener] = [:]
    var failures: [String: String] = [:]
    // Why each load balancer could not be listed (every one of them when the account-wide listing failed).
    var unlisted: [String: any Error] = [:]
    if !balancers.isEmpty || listenerIds.count >= listingThreshold {
      if listenerIds.count >= listingThreshold {
        do {
          let all = try await backend.listListeners(loadBalancerIds: [])
          await directory?.record(all, loadBalancerIds: [])
          for l in all { known[l.id] = l }
        } catch {
          for id in balancers { unlisted[id] = error }
        }
        // The account-wide listing is ALB's: the other products' load balancers are listed on their own.
        let others = balancers.filter { ListenerProduct(key: $0) != .alb && unlisted[$0] == nil }.sorted()
        if !others.isEmpty { await listEach(others, into: &known, failures: &unlisted) }
      } else {
        await listEach(balancers.sorted(), into: &known, failures: &unlisted)
      }
    }
    let unknown = listenerIds.filter { known[$0] == nil }
    let backend = self.backend
    let singles: [(CloudListener?, String?)] = await boundedConcurrentMap(unknown, limit: concurrency) { id in
      do { return (try await backend.getListener(id), nil) } catch { return (nil, Self.describe(listener: id, error)) }
    }
    for (id, (listener, failure)) in zip(unknown, singles) {
      if let listener { known[id] = listener }
      if let failure { failures[id] = failure }
    }
    return targetLists.map { targets -> Resolution in
      var problems: [String] = []
      var ids: Set<String> = []
      for target in targets {
        switch target {
        case .listener(let id):
          ids.insert(id)
          if let failure = failures[id] {
            problems.append(failure)
          } else if let l = known[id], !l.carriesCertificates {
            problems.append(TargetProblem.carriesNoCertificates(id, l))
          }
        case .loadBalancer(let id, let protocols, let ports):
          if let error = unlisted[id] {
            problems.append("cannot list the listeners of \(id): \(error)")
            ids.insert(id)
            continue
          }
          let matching = known.values.filter { l in
            l.loadBalancerId == id && l.carriesCertificates
              && (protocols.map { $0.contains(l.listenerProtocol.uppercased()) } ?? true)
              && (ports.map { $0.contains(l.port) } ?? true)
          }
          ids.formUnion(matching.map(\.id))
          if matching.isEmpty {
            problems.append(TargetProblem.noMatchingListener(id))
          }
        }
      }
      return Resolution(problems: problems, listenerIds: ids)
    }
  }

  /// Lists `ids` (each load balancer's failure its own) and remembers what was found.
  private func listEach(_ ids: [String], into known: inout [String: CloudListener], failures: inout [String: any Error])
    async
  {
    let (found, failed) = await LoadBalancerListing.list(ids, backend: backend, concurrency: concurrency)
    await directory?.record(found, loadBalancerIds: ids.filter { failed[$0] == nil })
    for l in found { known[l.id] = l }
    failures.merge(failed) { a, _ in a }
  }

  /// One line per missing listener: `listener X does not exist in this account and region (Code)`.
  static func describe(listener id: String, _ error: Error) -> String {
    if let code = (error as? CertHookError)?.apiCode, code.hasPrefix("ResourceNotFound") {
      return "listener \(id) does not exist in this account and region (\(code))"
    }
    return "listener \(id) cannot be read: \(error)"
  }
}
