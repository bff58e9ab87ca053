import Foundation

/// A snapshot of the emulated world without private keys (`GET /_emulator/state`).
public struct EmulatorState: Codable, Sendable, Equatable {
  /// The region.
  public var region: String
  /// ALB instances with their listeners and certificates.
  public var loadBalancers: [LoadBalancer]
  /// CAS certificates (no keys).
  public var certificates: [Certificate]
  /// Asynchronous jobs, oldest first.
  public var jobs: [Job]
  /// With `--serve-tls`: each load balancer DNS name -> the loopback address serving it.
  public var dns: [String: String]? = nil
  /// CLB server certificates (no keys); nil when there are none.
  public var serverCertificates: [ServerCertificate]? = nil

  /// One CLB server certificate.
  public struct ServerCertificate: Codable, Sendable, Equatable {
    /// The `ServerCertificateId`.
    public var id: String
    /// The `ServerCertificateName`.
    public var name: String
    /// Lowercase colon-separated SHA-1 of the leaf.
    public var fingerprint: String
    /// The CAS certificate it was created from, nil for an uploaded PEM pair.
    public var aliCloudCertificateId: Int?
    /// Subject alternative names.
    public var sans: [String]
    /// Validity end.
    public var notAfter: Date
    /// Listeners that use it (default certificate or domain extension).
    public var usedBy: [String]
  }

  /// One ALB instance.
  public struct LoadBalancer: Codable, Sendable, Equatable {
    /// The instance ID.
    public var id: String
    /// `Basic`, `Standard` or `StandardWithWaf`.
    public var edition: String
    /// Additional certificates allowed, summed over the listeners.
    public var certificateQuota: Int
    /// Additional certificates in use (any status).
    public var certificateUsage: Int
    /// The listeners.
    public var listeners: [Listener]
    /// What clients name it by: `<id>.<region>.alb.aliyuncs.com` as ALB's `GetLoadBalancerAttribute` reports it
    /// (NLB's `DNSName`, GA's `DnsName` alike); a CLB's public `Address` from `DescribeLoadBalancerAttribute`.
    public var dnsName: String? = nil
    /// `nlb`, `ga` or `clb`; nil for an ALB instance.
    public var product: String? = nil
  }

  /// One listener.
  public struct Listener: Codable, Sendable, Equatable {
    /// The listener ID.
    public var id: String
    /// `HTTP`, `HTTPS` or `QUIC`.
    public var `protocol`: String
    /// The port.
    public var port: Int
    /// `Running` or `Configuring`.
    public var status: String
    /// The default certificate (`<CertId>-<region>`), nil for HTTP listeners.
    public var defaultCertificateId: String?
    /// Additional certificates.
    public var certificates: [Association]
    /// With `--serve-tls`: `ADDRESS:PORT` where the listener terminates TLS.
    public var tlsEndpoint: String? = nil
  }

  /// One additional certificate on a listener.
  public struct Association: Codable, Sendable, Equatable {
    /// `<CertId>-<region>`.
    public var certificateId: String
    /// `Associating`, `Associated` or `Diassociating`.
    public var status: String
    /// GA: the domain the certificate is bound to; CLB: the domain extension's domain.
    public var domain: String? = nil
    /// CLB: the domain extension ID.
    public var domainExtensionId: String? = nil
  }

  /// One CAS certificate.
  public struct Certificate: Codable, Sendable, Equatable {
    /// The numeric CAS id.
    public var certId: Int
    /// `<CertId>-<region>`, the ALB identifier.
    public var certIdentifier: String
    /// The unique CAS name.
    public var name: String
    /// Subject common name.
    public var commonName: String
    /// Subject alternative names.
    public var sans: [String]
    /// SHA-1 of the leaf DER, uppercase hex.
    public var fingerprint: String
    /// SHA-256 of the leaf DER, uppercase hex.
    public var sha2: String
    /// Serial number, lowercase hex.
    public var serialNo: String
    /// Validity start.
    public var notBefore: Date
    /// Validity end.
    public var notAfter: Date
    /// True when the emulator generated it as a listener's default.
    public var generated: Bool
    /// Listeners that use it (as default or additional certificate).
    public var usedBy: [String]
  }

  /// One asynchronous job.
  public struct Job: Codable, Sendable, Equatable {
    /// The JobId.
    public var id: String
    /// The API that created it.
    public var apiName: String
    /// The listener.
    public var listenerId: String
    /// `Processing`, `Succeeded` or `Failed`.
    public var status: String
    /// Creation time.
    public var createTime: Date
    /// When it finishes (or finished).
    public var completeAt: Date
  }

  /// The CAS identifier a listener's certificate ID stands for: a CLB's SLB server certificate copied from CAS
  /// stands for that CAS certificate; any other ID stands for itself (nil: a server certificate not copied from CAS).
  public func casIdentifier(of certificateId: String) -> String? {
    guard let copy = serverCertificates?.first(where: { $0.id == certificateId }) else { return certificateId }
    return copy.aliCloudCertificateId.flatMap { id in certificates.first { $0.certId == id }?.certIdentifier }
  }

  /// The listener with `id`, searching every load balancer.
  public func listener(_ id: String) -> Listener? {
    for lb in loadBalancers {
      if let l = lb.listeners.first(where: { $0.id == id }) { return l }
    }
    return nil
  }
}
