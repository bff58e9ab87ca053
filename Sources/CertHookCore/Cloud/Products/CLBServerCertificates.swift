import AlibabaCloud
import Foundation

/// The mapping between the engine's CAS identifiers (`<CertId>-<region>`) and the SLB server certificates CLB
/// listeners reference, in one region: finding the server certificate copied from a CAS certificate, creating it
/// when there is none, and naming a server certificate the way the engine speaks.
///
/// Rules it keeps: a CAS certificate has at most one server certificate created for it by certhook, reused by every
/// listener of the region (any existing copy of that CAS certificate is reused first); what certhook creates is
/// named `certhook-…` (so `prune` can tell it apart) and made by reference (`AliCloudCertificateId`), never from a
/// PEM or key; a server certificate that is no copy of a CAS certificate is named `slb:<ServerCertificateId>`, an
/// identifier the engine never takes for one of its own; the CAS site's region suffix is learnt from CAS's own
/// `CertIdentifier`, never guessed while CAS can answer.
public struct CLBServerCertificates: Sendable {
  /// The prefix of the identifier of a server certificate that is no copy of a CAS certificate.
  public static let foreignPrefix = "slb:"
  /// The name prefix of every server certificate certhook creates.
  public static let createdNamePrefix = "certhook-"

  /// The SLB client (the listener's region).
  public let slb: SLBClient
  /// The CAS client (names and identifiers of CAS certificates).
  public let cas: CASClient
  private let memory = CASFactsMemory()
  private let creations = CLBServerCertificateCreations()

  /// Creates the mapping.
  public init(slb: SLBClient, cas: CASClient) {
    self.slb = slb
    self.cas = cas
  }

  /// What certhook needs of a CAS certificate: its identifier, its name and the names it serves.
  public struct CASFacts: Sendable, Equatable {
    /// The numeric CAS `CertId`.
    public var certId: Int
    /// CAS's `CertIdentifier`, `<CertId>-<site region>`.
    public var identifier: String
    /// The CAS name.
    public var name: String
    /// The DNS names it serves (its SANs, else its common name), lowercased, each once.
    public var names: [String]
  }

  /// A certificate the engine named, resolved against the region's server certificates.
  public struct Target: Sendable, Equatable {
    /// The engine's identifier.
    public var identifier: String
    /// The CAS facts (nil for an `slb:` identifier).
    public var cas: CASFacts?
    /// The region's server certificates that serve it (copies of the CAS certificate, or the `slb:` one).
    public var serverCertificateIds: [String]
    /// The DNS names it serves.
    public var names: [String]
  }

  // MARK: - Identifiers

  /// The engine's identifier of a server certificate: `<AliCloudCertificateId>-<CAS site region>` for a copy of a
  /// CAS certificate, `slb:<ServerCertificateId>` otherwise.
  public func identifier(of server: SLBServerCertificate) async throws -> String {
    guard server.isAliCloudCertificate, let text = server.aliCloudCertificateId, let casId = Int(text) else {
      return Self.foreignPrefix + server.id
    }
    return "\(casId)-\(try await siteRegion(probing: casId))"
  }

  /// The identifier of server certificate `id` among `servers` (`slb:<id>` when the region does not list it).
  public func identifier(ofServerCertificate id: String, in servers: [String: SLBServerCertificate]) async throws
    -> String
  {
    guard let server = servers[id] else { return Self.foreignPrefix + id }
    return try await identifier(of: server)
  }

  /// Whether `server` serves the engine certificate `identifier`.
  public static func serves(_ server: SLBServerCertificate, _ identifier: String) -> Bool {
    if identifier.hasPrefix(foreignPrefix) { return server.id == identifier.dropFirst(foreignPrefix.count) }
    guard let parsed = CASReference(identifier) else { return false }
    return server.isAliCloudCertificate && server.aliCloudCertificateId.flatMap { Int($0) } == parsed.certId
  }

  /// The region's server certificates by ID.
  public func regionServerCertificates() async throws -> [String: SLBServerCertificate] {
    Dictionary(
      try await slb.describeServerCertificates().map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
  }

  // MARK: - Resolving and creating

  /// Resolves an engine identifier: its CAS facts and the server certificates that already serve it. Throws
  /// `invalidArgument` for an identifier that is neither `<CertId>-<region>` nor a known `slb:` one, and CAS's error
  /// when CAS does not know the certificate: nothing is written.
  public func resolve(_ identifier: String, servers: [String: SLBServerCertificate]) async throws -> Target {
    if identifier.hasPrefix(Self.foreignPrefix) {
      let id = String(identifier.dropFirst(Self.foreignPrefix.count))
      guard let server = servers[id] else {
        throw CertHookError.invalidArgument(
          "\(identifier): no server certificate \(id) in CLB region \(slb.region)")
      }
      let names = Self.names(server.subjectAlternativeNames, commonName: server.commonName)
      return Target(identifier: identifier, cas: nil, serverCertificateIds: [id], names: names)
    }
    guard let parsed = CASReference(identifier) else {
      throw CertHookError.invalidArgument(
        "certificate \"\(identifier)\": a CLB listener takes a CAS certificate written <CertId>-<region>")
    }
    let facts = try await casFacts(parsed.certId)
    guard !facts.names.isEmpty else {
      throw CertHookError.invalidArgument(
        "\(identifier): CAS reports no domain name for it, so no CLB domain extension can serve it")
    }
    let copies = servers.values.filter { Self.serves($0, identifier) }.sorted { a, b in
      // certhook's own copy first, then the oldest: the same choice on every run.
      let key = { (s: SLBServerCertificate) in
        (s.name.hasPrefix(Self.createdNamePrefix) ? 0 : 1, s.createTime ?? .distantFuture, s.id)
      }
      return key(a) < key(b)
    }
    return Target(identifier: identifier, cas: facts, serverCertificateIds: copies.map(\.id), names: facts.names)
  }

  /// The server certificate to bind for `target`: the first existing copy, else the copy this driver already made
  /// (or is making, for another listener of the same run: one copy per CAS certificate, never one per listener) while
  /// the region still lists it, else a new one created from the CAS certificate (`created` true for its creator;
  /// another writer's copy made at the same moment is adopted instead, see `createOrAdopt`).
  /// The region's server-certificate quota refusal is thrown with what to do about it.
  public func serverCertificate(for target: Target) async throws -> (id: String, created: Bool) {
    if let existing = target.serverCertificateIds.first { return (existing, false) }
    guard let facts = target.cas, let parsed = CASReference(target.identifier) else {
      throw CertHookError.invalidArgument("\(target.identifier): no server certificate serves it")
    }
    // `target` was resolved from a listing that may predate a copy made since: check the remembered one still exists.
    if let made = await creations.made(facts.certId), try await regionServerCertificates()[made] == nil {
      await creations.forget(made)
    }
    let mapping = self
    return try await creations.serverCertificate(certId: facts.certId) {
      try await mapping.createOrAdopt(target, facts: facts, casRegion: parsed.region)
    }
  }

  /// Creates a copy of the CAS certificate, then lists the region again: when another writer (a second certhook run
  /// at the same moment) made one too, both keep the same one, the first in `resolve`'s order (certhook's copies,
  /// the oldest first), and the loser's own copy, which nothing uses yet, is deleted again.
  private func createOrAdopt(_ target: Target, facts: CASFacts, casRegion: String) async throws -> (
    id: String, created: Bool
  ) {
    let created = try await Self.create(slb: slb, facts: facts, casRegion: casRegion)
    guard let servers = try? await regionServerCertificates(), servers[created] != nil,
      let first = try? await resolve(target.identifier, servers: servers).serverCertificateIds.first,
      first != created
    else { return (created, true) }
    try? await slb.deleteServerCertificate(serverCertificateId: created)
    return (first, false)
  }

  /// Forgets a copy this driver made and took back again (deleted), so it is never handed out afterwards.
  public func forgetCreated(_ serverCertificateId: String) async {
    await creations.forget(serverCertificateId)
  }

  private static func create(slb: SLBClient, facts: CASFacts, casRegion: String) async throws -> String {
    do {
      return try await slb.uploadServerCertificate(
        casCertificateId: facts.certId, casCertificateName: facts.name, casRegion: casRegion,
        name: createdName(casId: facts.certId, casName: facts.name)
      ).id
    } catch var error as AlibabaCloudError where error.code == Self.serverCertificateQuotaCode {
      error.message +=
        " (CLB server certificates of region \(slb.region) are at their quota: delete unused ones, e.g. with"
        + " `certhook prune`, or raise the quota; nothing was changed on the listener)"
      throw error
    }
  }

  /// The code of the region's server-certificate quota refusal (the emulator's; the real one is unconfirmed).
  public static let serverCertificateQuotaCode = "QuotaExceeded.ServerCertificate"

  /// `certhook-<CertId>-<CAS name>`, cut to the API's 80 characters.
  public static func createdName(casId: Int, casName: String) -> String {
    String("\(createdNamePrefix)\(casId)-\(casName)".prefix(SLBClient.maxNameLength))
  }

  // MARK: - CAS

  /// The CAS facts of `certId` (`GetUserCertificateDetail` without PEM), asked once per driver.
  public func casFacts(_ certId: Int) async throws -> CASFacts {
    if let known = await memory.facts[certId] { return known }
    let detail = try await cas.getUserCertificateDetail(certId: certId, includePEM: false)
    let facts = CASFacts(
      certId: detail.id, identifier: detail.certIdentifier, name: detail.name,
      names: Self.names(detail.sans, commonName: detail.commonName))
    await memory.remember(facts)
    return facts
  }

  /// The CAS site's region: learnt from the `CertIdentifier` of any CAS certificate seen (asking CAS about
  /// `casId` when none was); the site rule (`cn-*` regions on the China site `cn-hangzhou`, others on
  /// `ap-southeast-1`) only when CAS does not know `casId` either.
  func siteRegion(probing casId: Int) async throws -> String {
    if let known = await memory.siteRegion { return known }
    do {
      let facts = try await casFacts(casId)
      if let region = CASReference(facts.identifier)?.region { return region }
    } catch let error as AlibabaCloudError where error.kind == .api && (error.code ?? "").hasPrefix("NotFound") {
      // CAS no longer holds the certificate this server certificate was copied from.
    }
    return slb.region.hasPrefix("cn-") ? "cn-hangzhou" : "ap-southeast-1"
  }

  static func names(_ sans: [String], commonName: String?) -> [String] {
    var seen = Set<String>()
    let all = sans.isEmpty ? [commonName ?? ""] : sans
    return all.map { $0.lowercased() }.filter { !$0.isEmpty && seen.insert($0).inserted }
  }
}

/// A CAS identifier `<CertId>-<region>` taken apart.
struct CASReference: Equatable {
  var certId: Int
  var region: String

  init?(_ identifier: String) {
    guard let dash = identifier.firstIndex(of: "-"), let id = Int(identifier[..<dash]), id > 0 else { return nil }
    let region = String(identifier[identifier.index(after: dash)...])
    guard !region.isEmpty else { return nil }
    certId = id
    self.region = region
  }
}

/// What a driver learnt of CAS: certificate facts by `CertId` and the site's region suffix.
actor CASFactsMemory {
  var facts: [Int: CLBServerCertificates.CASFacts] = [:]
  var siteRegion: String?

  func remember(_ f: CLBServerCertificates.CASFacts) {
    facts[f.certId] = f
    if siteRegion == nil { siteRegion = CASReference(f.identifier)?.region }
  }
}
