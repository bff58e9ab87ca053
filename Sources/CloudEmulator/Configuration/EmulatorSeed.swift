import Foundation
import Yams

/// The initial world of an emulator: region, access keys, load balancers with listeners, and
/// certificates preloaded into CAS. Read from YAML or JSON (see docs/emulator.md).
public struct EmulatorSeed: Codable, Sendable, Equatable {
  /// The region of the ALB instances.
  public var region: String
  /// The region of the CAS site, the suffix of every certificate identifier; nil follows `region`: `cn-hangzhou`
  /// (China site) for `cn-*` regions, `ap-southeast-1` (international site) for the others.
  public var casRegion: String?
  /// Access keys the emulator accepts.
  public var accessKeys: [AccessKey]
  /// ALB instances and their listeners.
  public var loadBalancers: [LoadBalancer]
  /// Certificates uploaded to CAS at start.
  public var certificates: [CertificateFiles]
  /// RAM roles STS lets callers assume (`AssumeRole`, `AssumeRoleWithOIDC`), with their trust.
  public var roles: [Role]
  /// Further accounts served by the same process, each with its own keys and isolated world.
  public var accounts: [Account]

  /// Creates a seed.
  public init(
    region: String = "cn-hangzhou", accessKeys: [AccessKey], loadBalancers: [LoadBalancer] = [],
    certificates: [CertificateFiles] = [], casRegion: String? = nil, roles: [Role] = [], accounts: [Account] = []
  ) {
    self.accounts = accounts
    self.region = region
    self.casRegion = casRegion
    self.accessKeys = accessKeys
    self.loadBalancers = loadBalancers
    self.certificates = certificates
    self.roles = roles
  }

  enum CodingKeys: String, CodingKey {
    case region, casRegion, accessKeys, loadBalancers, certificates, roles, accounts
  }

  /// The account of a key that names none.
  public static let defaultAccountId = "1234567890123456"


  /// Decodes a seed; every key except `accessKeys` may be omitted.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    region = try c.decodeIfPresent(String.self, forKey: .region) ?? "cn-hangzhou"
    casRegion = try c.decodeIfPresent(String.self, forKey: .casRegion)
    accessKeys = try c.decodeIfPresent([AccessKey].self, forKey: .accessKeys) ?? EmulatorSeed.defaultAccessKeys
    loadBalancers = try c.decodeIfPresent([LoadBalancer].self, forKey: .loadBalancers) ?? []
    certificates = try c.decodeIfPresent([CertificateFiles].self, forKey: .certificates) ?? []
    roles = try c.decodeIfPresent([Role].self, forKey: .roles) ?? []
    accounts = try c.decodeIfPresent([Account].self, forKey: .accounts) ?? []
  }

  /// One access key; `securityToken` makes it an STS key that must send that token.
  public struct AccessKey: Codable, Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The AccessKey ID.
    public var id: String
    /// The AccessKey secret (never printed by `description`).
    public var secret: String
    /// The STS token that must accompany requests signed with this key.
    public var securityToken: String?
    /// The account that owns the key (STS `GetCallerIdentity`); nil means `EmulatorSeed.defaultAccountId`.
    public var accountId: String?

    /// Creates an access key.
    public init(id: String, secret: String, securityToken: String? = nil, accountId: String? = nil) {
      self.id = id
      self.secret = secret
      self.securityToken = securityToken
      self.accountId = accountId
    }

    /// The id with the secret and token redacted.
    public var description: String {
      "AccessKey(id: \(id), secret: <redacted>\(securityToken == nil ? "" : ", securityToken: <redacted>"))"
    }

    /// Same as `description`.
    public var debugDescription: String { description }
  }

  /// The ALB edition, which sets the default additional-certificate quota.
  public enum Edition: String, Codable, Sendable, Equatable {
    /// Basic: 10 additional certificates per instance.
    case basic = "Basic"
    /// Standard: 25 additional certificates per instance.
    case standard = "Standard"
    /// WAF-enabled: 25 additional certificates per instance.
    case standardWithWaf = "StandardWithWaf"

    /// The default quota of additional certificates for the instance.
    public var defaultCertificateQuota: Int { self == .basic ? 10 : 25 }
  }

  /// One ALB instance.
  public struct LoadBalancer: Codable, Sendable, Equatable {
    /// The instance ID (`alb-...`).
    public var id: String
    /// The edition.
    public var edition: Edition
    /// Overrides the edition's quota of additional certificates.
    public var certificateQuota: Int?
    /// The listeners.
    public var listeners: [Listener]

    /// Creates a load balancer.
    public init(id: String, edition: Edition = .standard, certificateQuota: Int? = nil, listeners: [Listener] = []) {
      self.id = id
      self.edition = edition
      self.certificateQuota = certificateQuota
      self.listeners = listeners
    }

    enum CodingKeys: String, CodingKey {
      case id, edition, certificateQuota, listeners
    }

    /// Decodes a load balancer; `edition` defaults to Standard.
    public init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      id = try c.decode(String.self, forKey: .id)
      edition = try c.decodeIfPresent(Edition.self, forKey: .edition) ?? .standard
      certificateQuota = try c.decodeIfPresent(Int.self, forKey: .certificateQuota)
      listeners = try c.decodeIfPresent([Listener].self, forKey: .listeners) ?? []
    }
  }

  /// One listener of an ALB instance.
  public struct Listener: Codable, Sendable, Equatable {
    /// The listener ID (`lsr-...`).
    public var id: String
    /// `HTTP`, `HTTPS` or `QUIC`.
    public var `protocol`: String
    /// The port.
    public var port: Int
    /// An optional description.
    public var description: String?
    /// PEM files of the default certificate; HTTPS/QUIC listeners without one get a generated one.
    public var defaultCertificate: CertificateFiles?

    /// Creates a listener.
    public init(
      id: String, protocol: String, port: Int, description: String? = nil, defaultCertificate: CertificateFiles? = nil
    ) {
      self.id = id
      self.protocol = `protocol`
      self.port = port
      self.description = description
      self.defaultCertificate = defaultCertificate
    }
  }

  /// A certificate and key as PEM file paths (relative paths are relative to the seed file).
  public struct CertificateFiles: Codable, Sendable, Equatable {
    /// The CAS name (defaults to the certificate file's base name).
    public var name: String?
    /// Path of the PEM certificate (leaf first, chain after).
    public var cert: String
    /// Path of the PEM private key.
    public var key: String

    /// Creates a certificate reference.
    public init(name: String? = nil, cert: String, key: String) {
      self.name = name
      self.cert = cert
      self.key = key
    }
  }

  /// The default key `testid` / `testsecret`.
  public static let defaultAccessKeys = [AccessKey(id: "testid", secret: "testsecret")]

  /// One key `testid`/`testsecret`, region `cn-hangzhou`, and one Standard ALB `alb-emulator01`
  /// with listeners `lsr-emulator-443` (HTTPS 443), `lsr-emulator-quic` (QUIC 443) and
  /// `lsr-emulator-80` (HTTP 80).
  public static let `default` = EmulatorSeed(
    region: "cn-hangzhou",
    accessKeys: defaultAccessKeys,
    loadBalancers: [
      LoadBalancer(
        id: "alb-emulator01", edition: .standard,
        listeners: [
          Listener(id: "lsr-emulator-443", protocol: "HTTPS", port: 443),
          Listener(id: "lsr-emulator-quic", protocol: "QUIC", port: 443),
          Listener(id: "lsr-emulator-80", protocol: "HTTP", port: 80),
        ])
    ])

  /// Loads a YAML or JSON seed file; relative certificate paths are resolved against its folder.
  public static func load(path: String) throws -> EmulatorSeed {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw EmulatorError("seed file \(path): cannot be read")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw EmulatorError("seed file \(path): not UTF-8 text")
    }
    var seed: EmulatorSeed
    do {
      if text.drop(while: { $0.isWhitespace }).first == "{" {
        seed = try JSONDecoder().decode(EmulatorSeed.self, from: data)
      } else {
        seed = try YAMLDecoder().decode(EmulatorSeed.self, from: text)
      }
    } catch let error as DecodingError {
      throw EmulatorError("seed file \(path): \(describe(error))")
    } catch {
      throw EmulatorError("seed file \(path): \(error)")
    }
    let base = URL(fileURLWithPath: path).deletingLastPathComponent()
    seed.resolvePaths(relativeTo: base)
    try seed.validate(source: path)
    return seed
  }

  /// Checks that IDs are unique, protocols known and quotas sane.
  public func validate(source: String = "seed") throws {
    if accessKeys.isEmpty { throw EmulatorError("\(source): accessKeys must name at least one key") }
    try validateAccounts(source: source)
    var roleArns = Set<String>()
    for (i, role) in roles.enumerated() {
      guard role.accountId != nil else {
        throw EmulatorError("\(source): roles[\(i)].arn '\(role.arn)' is not acs:ram::<account>:role/<name>")
      }
      guard roleArns.insert(role.arn.lowercased()).inserted else {
        throw EmulatorError("\(source): roles[\(i)].arn '\(role.arn)' is used twice")
      }
      guard (3600...43200).contains(role.maxSessionDuration) else {
        throw EmulatorError("\(source): roles[\(i)].maxSessionDuration must be between 3600 and 43200 seconds")
      }
    }
    var listenerIds = Set<String>()
    var lbIds = Set<String>()
    for (i, lb) in loadBalancers.enumerated() {
      guard lbIds.insert(lb.id).inserted else {
        throw EmulatorError("\(source): loadBalancers[\(i)].id '\(lb.id)' is used twice")
      }
      if let q = lb.certificateQuota, q < 0 {
        throw EmulatorError("\(source): loadBalancers[\(i)].certificateQuota must not be negative")
      }
      for (j, l) in lb.listeners.enumerated() {
        guard listenerIds.insert(l.id).inserted else {
          throw EmulatorError("\(source): loadBalancers[\(i)].listeners[\(j)].id '\(l.id)' is used twice")
        }
        guard ["HTTP", "HTTPS", "QUIC"].contains(l.protocol) else {
          throw EmulatorError("\(source): loadBalancers[\(i)].listeners[\(j)].protocol must be HTTP, HTTPS or QUIC")
        }
      }
    }
  }

  mutating func resolvePaths(relativeTo base: URL) {
    func resolve(_ p: String) -> String {
      p.hasPrefix("/") ? p : base.appendingPathComponent(p).path
    }
    for i in certificates.indices {
      certificates[i].cert = resolve(certificates[i].cert)
      certificates[i].key = resolve(certificates[i].key)
    }
    for a in accounts.indices {
      for i in accounts[a].certificates.indices {
        accounts[a].certificates[i].cert = resolve(accounts[a].certificates[i].cert)
        accounts[a].certificates[i].key = resolve(accounts[a].certificates[i].key)
      }
      for i in accounts[a].loadBalancers.indices {
        for j in accounts[a].loadBalancers[i].listeners.indices {
          if var files = accounts[a].loadBalancers[i].listeners[j].defaultCertificate {
            files.cert = resolve(files.cert)
            files.key = resolve(files.key)
            accounts[a].loadBalancers[i].listeners[j].defaultCertificate = files
          }
        }
      }
    }
    for i in loadBalancers.indices {
      for j in loadBalancers[i].listeners.indices {
        if var files = loadBalancers[i].listeners[j].defaultCertificate {
          files.cert = resolve(files.cert)
          files.key = resolve(files.key)
          loadBalancers[i].listeners[j].defaultCertificate = files
        }
      }
    }
  }

  private static func describe(_ error: DecodingError) -> String {
    func path(_ keys: [any CodingKey]) -> String {
      var out = ""
      for key in keys {
        if let index = key.intValue {
          out += "[\(index)]"
        } else {
          out += out.isEmpty ? key.stringValue : ".\(key.stringValue)"
        }
      }
      return out.isEmpty ? "(top level)" : out
    }
    switch error {
    case .keyNotFound(let key, let ctx): return "\(path(ctx.codingPath + [key])): missing"
    case .typeMismatch(_, let ctx): return "\(path(ctx.codingPath)): \(ctx.debugDescription.lowercased())"
    case .valueNotFound(_, let ctx): return "\(path(ctx.codingPath)): missing value"
    case .dataCorrupted(let ctx): return "\(path(ctx.codingPath)): \(ctx.debugDescription.lowercased())"
    @unknown default: return "\(error)"
    }
  }
}
