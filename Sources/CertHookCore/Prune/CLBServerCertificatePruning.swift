import AlibabaCloud
import Foundation

/// The CLB part of `certhook prune`: deletes the SLB server certificates certhook created (`certhook-` name) that no
/// CLB listener (default certificate) or domain extension of the scope uses, and only those.
///
/// Rules it keeps: when any listener of the scope cannot be read, nothing is deleted (usage unknown); a dry run
/// only plans; a deletion the API refuses because the certificate is still referenced (by a load balancer outside
/// the scope) is reported `inUse`, not as a failure.
struct CLBServerCertificatePruning: Sendable {
  let scope: CLBPruneScope

  /// What was found and done, and the CAS certificates whose copies are in use.
  struct Result: Sendable {
    var entries: [PrunedServerCertificate] = []
    var errors: [String] = []
    /// CAS `CertId`s copied by server certificates a CLB listener uses (CAS pruning keeps them).
    var usedCASIds: Set<Int> = []
  }

  func run(dryRun: Bool) async -> Result {
    var result = Result()
    let slb = scope.driver.slb
    let servers: [SLBServerCertificate]
    let used: Set<String>
    do {
      servers = try await slb.describeServerCertificates()
      used = try await usedServerCertificateIds()
    } catch {
      result.errors.append("CLB server certificate deletion skipped: usage in region \(slb.region) unknown: \(error)")
      return result
    }
    for s in servers where used.contains(s.id) && s.isAliCloudCertificate {
      if let casId = s.aliCloudCertificateId.flatMap({ Int($0) }) { result.usedCASIds.insert(casId) }
    }
    let unused = servers.filter { $0.name.hasPrefix(CLBServerCertificates.createdNamePrefix) && !used.contains($0.id) }
    for s in unused.sorted(by: { $0.id < $1.id }) {
      var entry = PrunedServerCertificate(
        id: s.id, name: s.name, region: slb.region, casCertificateId: s.aliCloudCertificateId.flatMap { Int($0) },
        notAfter: s.expireTime, outcome: .planned, error: nil)
      if !dryRun {
        do {
          try await slb.deleteServerCertificate(serverCertificateId: s.id)
          entry.outcome = .deleted
        } catch let error as AlibabaCloudError where error.code == "CertificateAndPrivateKeyIsRefered" {
          entry.outcome = .inUse
          entry.error = "\(error)"
        } catch {
          entry.outcome = .failed
          entry.error = "\(error)"
        }
      }
      result.entries.append(entry)
    }
    return result
  }

  /// The server certificates the scope's HTTPS listeners use, as default certificate or in a domain extension.
  private func usedServerCertificateIds() async throws -> Set<String> {
    let slb = scope.driver.slb
    var used = Set<String>()
    let listeners = try await scope.driver.listListeners(loadBalancerKeys: scope.loadBalancerKeys)
    for l in listeners where l.carriesCertificates {
      let address = try ListenerAddress(key: l.id)
      guard let lbId = address.loadBalancerId, let port = address.port else { continue }
      let https = try await slb.describeHTTPSListener(loadBalancerId: lbId, port: port)
      if let id = https.serverCertificateId { used.insert(id) }
      used.formUnion(https.domainExtensions.map(\.serverCertificateId))
    }
    return used
  }
}
