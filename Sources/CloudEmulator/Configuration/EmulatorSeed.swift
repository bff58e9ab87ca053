import Foundation

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
  /// CLB server certificates allowed per region (SLB's quota, 100 by default).
  public var clbServerCertificateQuota: Int?

  /// Creates a seed.
  public init(
    region: String = "cn-hangzhou", accessKeys: [AccessKey], loadBalancers: [LoadBalancer] = [],
    certificates: [CertificateFiles] = [], casRegion: String? = nil, roles: [Role] = [], accounts: [Account] = [],
    clbServerCertificateQuota: Int? = nil
  ) {
    self.accounts = accounts
    self.clbServerCertificateQuota = clbServerCertificateQuota
    self.region = region
    self.casRegion = casRegion
    self.accessKeys = accessKeys
    self.loadBalancers = loadBalancers
    self.certificates = certificates
    self.roles = roles
  }

  enum CodingKeys: String, CodingKey {
    case region, casRegion, accessKeys, loadBalancers, certificates, roles, accounts, clbServerCertificateQuota
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
    clbServerCertificateQuota = try c.decodeIfPresent(Int.self, forKey: .clbServerCertificateQuota)
  }

  /// The product a seeded load balancer belongs to; each serves its own API on the same port.
  public enum Product: String, Codable, Sendable, Equatable, CaseIterable {
    /// Application Load Balancer (2020-06-16): HTTPS and QUIC listeners.
    case alb
    /// Network Load Balancer (2022-04-30): TCPSSL listeners.
    case nlb
    /// Global Accelerator (2019-11-20): an accelerator with HTTPS listeners.
    case ga
    /// Classic Load Balancer (SLB 2014-05-15): HTTPS listeners with domain extensions.
    case clb

    /// Listener protocols the product's seed may name.
    public var protocols: [String] {
      switch self {
      case .alb: return ["HTTP", "HTTPS", "QUIC"]
      case .nlb: return ["TCP", "UDP", "TCPSSL"]
      case .ga: return ["TCP", "UDP", "HTTP", "HTTPS"]
      case .clb: return ["TCP", "UDP", "HTTP", "HTTPS"]
      }
    }

    /// The default of `certificateQuota`: additional certificates per instance (ALB by edition, NLB 25), per GA
    /// listener (3), or domain extensions per CLB listener (3).
    func defaultCertificateQuota(edition: Edition) -> Int {
      switch self {
      case .alb: return edition.defaultCertificateQuota
      case .nlb: return 25
      case .ga, .clb: return 3
      }
    }

    /// The listener status while no change is applied.
    var idleListenerStatus: String {
      switch self {
      case .alb, .nlb: return "Running"
      case .ga: return "active"
      case .clb: return "running"
      }
    }
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

  /// One load balancer: an ALB instance (default), an NLB instance, a GA accelerator or a CLB instance.
  public struct LoadBalancer: Codable, Sendable, Equatable {
    /// The instance ID (`alb-...`, `nlb-...`, `ga-...`, `lb-...`).
    public var id: String
    /// The product (`alb` when omitted).
    public var product: Product
    /// The edition.
    public var edition: Edition
    /// Overrides the edition's quota of additional certificates.
    public var certificateQuota: Int?
    /// The listeners.
    public var listeners: [Listener]

    /// Creates a load balancer.
    public init(
      id: String, product: Product = .alb, edition: Edition = .standard, certificateQuota: Int? = nil,
      listeners: [Listener] = []
    ) {
      self.id = id
      self.product = product
      self.edition = edition
      self.certificateQuota = certificateQuota
      self.listeners = listeners
    }

    enum CodingKeys: String, CodingKey {
      case id, product, edition, certificateQuota, listeners
    }

    /// Decodes a load balancer; `product` defaults to ALB, `edition` to Standard.
    public init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      id = try c.decode(String.self, forKey: .id)
      product = try c.decodeIfPresent(Product.self, forKey: .product) ?? .alb
      edition = try c.decodeIfPresent(Edition.self, forKey: .edition) ?? .standard
      certificateQuota = try c.decodeIfPresent(Int.self, forKey: .certificateQuota)
      listeners = try c.decodeIfPresent([Listener].self, forKey: .listeners) ?? []
    }
  }

  /// One listener of a load balancer.
  public struct Listener: Codable, Sendable, Equatable {
    /// The listener ID (`lsr-...`); CLB listeners have none (the API names them by port) and take
    /// `<load balancer ID>:<port>`.
    public var id: String
    /// `HTTP`, `HTTPS` or `QUIC` (ALB); `TCP`, `UDP` or `TCPSSL` (NLB); `TCP`, `UDP`, `HTTP` or `HTTPS` (GA, CLB).
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

    enum CodingKeys: String, CodingKey {
      case id, `protocol`, port, description, defaultCertificate
    }

    /// Decodes a listener; `id` may be omitted (CLB listeners are named by port).
    public init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      id = try c.decodeIfPresent(String.self, forKey: .id) ?? ""
      `protocol` = try c.decode(String.self, forKey: .protocol)
      port = try c.decode(Int.self, forKey: .port)
      description = try c.decodeIfPresent(String.self, forKey: .description)
      defaultCertificate = try c.decodeIfPresent(CertificateFiles.self, forKey: .defaultCertificate)
    }

    /// The listener's ID in the emulator's world: the seeded one, or `<load balancer ID>:<port>` for CLB.
    func resolvedId(loadBalancerId: String, product: Product) -> String {
      product == .clb ? "\(loadBalancerId):\(port)" : id
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
}
