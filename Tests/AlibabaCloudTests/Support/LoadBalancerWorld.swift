import AlibabaCloud
import CertHookTestSupport
import CloudEmulator
import Foundation

/// A world with an NLB, a GA accelerator and a CLB beside the default ALB, and the product clients on the harness's
/// clock, limiter and transport (issue 13).
enum LoadBalancerWorld {
  static let nlb = "nlb-client01"
  static let nlbListener = "lsn-client-443"
  static let ga = "ga-client01"
  static let gaListener = "lsr-ga-client-443"
  static let clb = "lb-client01"

  /// `extraNLBListeners` more TCPSSL listeners on a second NLB (`nlb-client02`, `lsn-many-N`), for paging.
  static func seed(
    nlbQuota: Int? = 40, gaQuota: Int? = 10, clbQuota: Int? = 3, serverCertificates: Int? = nil,
    extraNLBListeners: Int = 0
  ) -> EmulatorSeed {
    var seed = EmulatorSeed.default
    seed.loadBalancers += [
      .init(
        id: nlb, product: .nlb, certificateQuota: nlbQuota,
        listeners: [
          .init(id: nlbListener, protocol: "TCPSSL", port: 443), .init(id: "lsn-client-80", protocol: "TCP", port: 80),
        ]),
      .init(
        id: ga, product: .ga, certificateQuota: gaQuota,
        listeners: [
          .init(id: gaListener, protocol: "HTTPS", port: 443),
          .init(id: "lsr-ga-client-80", protocol: "HTTP", port: 80),
        ]),
      .init(
        id: clb, product: .clb, certificateQuota: clbQuota,
        listeners: [.init(id: "", protocol: "HTTPS", port: 443), .init(id: "", protocol: "HTTP", port: 80)]),
    ]
    if extraNLBListeners > 0 {
      seed.loadBalancers.append(
        .init(
          id: "nlb-client02", product: .nlb,
          listeners: (1...extraNLBListeners).map { .init(id: "lsn-many-\($0)", protocol: "TCPSSL", port: 1000 + $0) }))
    }
    seed.clbServerCertificateQuota = serverCertificates
    return seed
  }
}

extension EmulatorHarness {
  var clientCredentials: StaticCredentialProvider {
    StaticCredentialProvider(AccessCredentials(accessKeyId: "testid", accessKeySecret: "testsecret"))
  }

  /// An NLB client on this emulator (the harness's configuration: clock, limiter, metrics, retry policy).
  func nlbClient(configuration: ClientConfiguration? = nil) throws -> NLBClient {
    try NLBClient(
      configuration: configuration ?? self.configuration, credentials: clientCredentials, transport: transport,
      endpoint: server.endpoint)
  }

  /// A Global Accelerator client on this emulator.
  func gaClient(configuration: ClientConfiguration? = nil) throws -> GAClient {
    try GAClient(
      configuration: configuration ?? self.configuration, credentials: clientCredentials, transport: transport,
      endpoint: server.endpoint)
  }

  /// A CLB (SLB API) client on this emulator.
  func slbClient(configuration: ClientConfiguration? = nil) throws -> SLBClient {
    try SLBClient(
      configuration: configuration ?? self.configuration, credentials: clientCredentials, transport: transport,
      endpoint: server.endpoint)
  }
}
