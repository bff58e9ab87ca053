import Foundation

/// The listeners of several load balancers, each load balancer's failure kept to itself.
///
/// Rule it keeps: one listing call serves them all while it succeeds; when it fails (one unknown CLB, one product
/// the caller may not read), each load balancer is listed on its own, so the others still resolve and only the
/// failing ones carry an error.
enum LoadBalancerListing {
  /// The listeners found, and the error of each load balancer that could not be listed.
  static func list(_ ids: [String], backend: any CloudBackend, concurrency: Int) async -> (
    listeners: [CloudListener], failures: [String: any Error]
  ) {
    do {
      return (try await backend.listListeners(loadBalancerIds: ids), [:])
    } catch {
      guard ids.count > 1 else { return ([], Dictionary(uniqueKeysWithValues: ids.map { ($0, error) })) }
    }
    let each: [Result<[CloudListener], any Error>] = await boundedConcurrentMap(ids, limit: concurrency) { id in
      do { return .success(try await backend.listListeners(loadBalancerIds: [id])) } catch { return .failure(error) }
    }
    var listeners: [CloudListener] = []
    var failures: [String: any Error] = [:]
    for (id, result) in zip(ids, each) {
      switch result {
      case .success(let found): listeners += found
      case .failure(let error): failures[id] = error
      }
    }
    return (listeners, failures)
  }
}
